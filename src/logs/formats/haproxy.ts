/**
 * HAProxy HTTP logs ("option httplog", and "option httpslog" which appends TLS fields), with or without
 * the syslog prefix. Field order from HAProxy's configuration manual, section "HTTP log format":
 *
 *   [syslog prefix] client_ip:port [accept_date] frontend backend/server Tq/Tw/Tc/Tr/Ta status bytes
 *   captured_request_cookie captured_response_cookie termination_state actconn/feconn/beconn/srv_conn/retries
 *   srv_queue/backend_queue [{captured request headers}] [{captured response headers}] "request"
 *
 * Hand-written (see nginx.ts): fields are single-space separated except the braces and the quotes.
 */
import type { LogRecord } from '../record.js';
import type { CredentialReader } from '../read-credentials.js';
import { parseRequestLine } from '../read-request.js';
import { parseClfTime } from '../read-time.js';
import { statusAt, type LineParser } from './parser.js';

/** A UUID or a long hex/base64url-ish id: what unique-id-format and X-Request-ID usually look like. */
const ID_SHAPE = /^[0-9A-Za-z][0-9A-Za-z_:.-]{15,127}$/;

export class HaproxyParser implements LineParser {
  readonly format = 'haproxy' as const;
  hasRequestIdField = false;

  constructor(private readonly credentials: CredentialReader) {}

  parse(line: string, record: LogRecord): string | null {
    // The client is the token before the first "[" that follows a space ("haproxy[pid]:" does not).
    let open = line.indexOf('[');
    while (open > 0 && line.charCodeAt(open - 1) !== 32) open = line.indexOf('[', open + 1);
    if (open < 2) return 'no "ip:port [date]"';
    const clientStart = line.lastIndexOf(' ', open - 2) + 1;
    const colon = line.lastIndexOf(':', open - 2);
    if (colon <= clientStart) return 'no client ip:port';
    const close = line.indexOf('] ', open);
    if (close < 0) return 'no "]" after the accept date';
    record.time = parseClfTime(line.slice(open + 1, close));
    if (Number.isNaN(record.time)) return 'the accept date is not a date';
    record.ip = line.slice(clientStart, colon);

    let start = close + 2;
    let end = line.indexOf(' ', start); // frontend
    if (end < 0) return 'no frontend';
    start = end + 1;
    end = line.indexOf(' ', start); // backend/server
    const slash = line.indexOf('/', start);
    if (end < 0 || slash < 0 || slash > end) return 'no backend/server';
    if (!line.startsWith('<NOSRV>', slash + 1)) record.node = line.slice(start, end);
    start = end + 1;
    end = line.indexOf(' ', start); // timers
    if (end < 0 || line.indexOf('/', start) > end) return 'no timers';
    start = end + 1;
    end = line.indexOf(' ', start); // status
    if (end < 0) return 'no status';
    record.status = statusAt(line, start, end);
    if (record.status === undefined && !(line.charCodeAt(start) === 45 && line.charCodeAt(start + 1) === 49)) return 'the status is not a status code';
    start = end + 1;
    end = line.indexOf(' ', start); // bytes read
    if (end < 0) return 'no bytes';
    start = end + 1;
    end = line.indexOf(' ', start); // captured request cookie: "-" or "NAME=value"
    if (end < 0) return 'no captured cookie fields';
    if (end - start > 1) {
      const equals = line.indexOf('=', start);
      if (equals > start && equals < end) this.credentials.cookie(line.slice(start, equals), line.slice(equals + 1, end), record);
    }
    // Response cookie, termination state, connection counters, queues.
    for (let field = 0; field < 4; field++) {
      start = end + 1;
      end = line.indexOf(' ', start);
      if (end < 0) return 'too few fields';
    }
    start = end + 1;
    // Captured headers: the first block is the request's when "capture request header" is set.
    let block = 0;
    while (line.charCodeAt(start) === 123) {
      const closeBrace = line.indexOf('}', start);
      if (closeBrace < 0) return 'no "}" after captured headers';
      if (block === 0 && closeBrace > start + 1) this.capturedHeaders(line.slice(start + 1, closeBrace), record);
      block++;
      start = closeBrace + 2;
    }
    if (line.charCodeAt(start) !== 34) return 'no quoted request';
    let requestEnd = line.indexOf('"', start + 1);
    if (requestEnd < 0) requestEnd = line.length; // truncated by the syslog line length
    parseRequestLine(line, start + 1, requestEnd, record);
    return null;
  }

  /** "{host|Bearer eyJ...|6f1c...}": which header is which depends on the config, so go by shape. */
  private capturedHeaders(text: string, record: LogRecord): void {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('|', start);
      if (end < 0) end = text.length;
      const value = text.slice(start, end);
      if (value.length > 7 && (value.startsWith('Bearer ') || value.startsWith('bearer '))) this.credentials.authorization(value, record);
      else if (value.indexOf('=') > 0 && value.indexOf(' ') !== 0 && (value.includes('; ') || !value.includes(' '))) this.credentials.cookieHeader(value, record);
      else if (record.requestId === undefined && ID_SHAPE.test(value) && value.indexOf('.') < 0) {
        record.requestId = value;
        this.hasRequestIdField = true;
      }
      start = end + 1;
    }
  }
}
