/** The request line ("GET /path?q=1 HTTP/1.1") into method and path, reading the line in place. */
import type { LogRecord } from './record.js';

/** Parses line[start, end) as a request line; "-" or garbage leaves method and path unset. */
export function parseRequestLine(line: string, start: number, end: number, record: LogRecord): void {
  const space = line.indexOf(' ', start);
  if (space < 0 || space >= end) return;
  record.method = method(line, start, space);
  let targetEnd = line.lastIndexOf(' ', end - 1);
  if (targetEnd <= space) targetEnd = end; // HTTP/0.9 or a truncated line: no protocol
  record.path = requestPath(line, space + 1, targetEnd);
}

/** The path of a request target, without query string; an absolute URL loses its scheme and host. */
export function requestPath(text: string, start: number, end: number): string | undefined {
  if (end <= start) return undefined;
  if (text.charCodeAt(start) !== 47) {
    // Absolute form (proxies, ALB): "http://host:80/path".
    const scheme = text.indexOf('://', start);
    if (scheme < 0 || scheme >= end) return text.slice(start, end) === '*' ? '*' : undefined;
    const slash = text.indexOf('/', scheme + 3);
    if (slash < 0 || slash >= end) return '/';
    start = slash;
  }
  const query = text.indexOf('?', start);
  return text.slice(start, query >= 0 && query < end ? query : end);
}

const METHODS = new Map(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'].map((name) => [name, name]));

/** Common methods as shared constants: no new string per line. */
function method(line: string, start: number, end: number): string {
  if (end - start === 3 && line.charCodeAt(start) === 71 && line.charCodeAt(start + 1) === 69 && line.charCodeAt(start + 2) === 84) return 'GET';
  const text = line.slice(start, end);
  return METHODS.get(text) ?? text;
}
