/**
 * Which format a log is in, from one of its first non-empty lines: each reader tries the line, most
 * particular shape first (JSON, ALB's type token, HAProxy's "ip:port [date] frontend backend/server"),
 * nginx/Apache last because its combined format is the most forgiving. Apache and nginx combined
 * lines are identical: both are read as `nginx`.
 */
import type { LogRecord } from './record.js';
import type { CredentialReader } from './read-credentials.js';
import { AlbParser } from './formats/alb.js';
import { HaproxyParser } from './formats/haproxy.js';
import { JsonParser, parseObject } from './formats/json.js';
import { NGINX_COMBINED, NGINX_COMMON, NGINX_MAIN, NginxParser, compileNginxFormat } from './formats/nginx.js';
import { newRecord, type LineParser } from './formats/parser.js';
import type { LogReadOptions } from './record.js';

const NGINX_FORMATS = [NGINX_MAIN, NGINX_COMBINED, NGINX_COMMON].map((format) => compileNginxFormat(format));

/**
 * A fresh parser for the format this line is in, or null when no reader recognises it. With
 * --log-format nginx or apache, only that reader's built-in shapes (main, combined, common) are tried.
 */
export function detectFormat(line: string, options: LogReadOptions, credentials: CredentialReader): LineParser | null {
  const scratch: LogRecord = newRecord('');
  const candidates: Array<() => LineParser> = [];
  const label = options.format === 'apache' ? 'apache' : 'nginx';
  if (options.format === 'auto') {
    if (parseObject(line) !== null) candidates.push(() => new JsonParser(credentials, options.fields));
    candidates.push(() => new AlbParser(), () => new HaproxyParser(credentials));
  }
  for (const compiled of NGINX_FORMATS) candidates.push(() => new NginxParser(compiled, credentials, label));
  for (const make of candidates) {
    const parser = make();
    if (parser.parse(line, scratch) === null) return parser;
  }
  return null;
}
