/**
 * Structured JSON lines: pino / pino-http, bunyan, ECS (Elastic Common Schema, incl. dotted top-level
 * keys like "log.level"), logstash (grok COMBINEDAPACHELOG names), nginx `escape=json` formats using
 * the variable names, Caddy and Traefik access logs. Each record field has a list of candidate paths,
 * first match wins; --field name=dotted.path replaces a field's list. Docker's json-file wrapper
 * ({"log": "<json>\n"}) and a short prefix before the "{" (CRI: "<time> stdout F {...}") are unwrapped.
 * JSON.parse is the parser: nothing faster reads arbitrary JSON in Node.
 */
import type { LogReadOptions, LogRecord } from '../record.js';
import type { CredentialReader } from '../read-credentials.js';
import { eventOf } from '../read-events.js';
import { parseRequestLine, requestPath } from '../read-request.js';
import { parseTimeValue } from '../read-time.js';
import type { LineParser } from './parser.js';

type Field = keyof NonNullable<LogReadOptions['fields']>;

const PATHS: Record<Field, string[]> = {
  time: ['@timestamp', 'time', 'timestamp', 'ts', 'time_iso8601', 'time_local', 'msec', 'date', 'datetime', 'StartUTC'],
  ip: ['client.ip', 'source.ip', 'req.remoteAddress', 'remote_addr', 'clientip', 'client_ip', 'remoteAddress', 'request.remote_ip', 'ClientHost', 'req.ip', 'ip', 'client.address', 'http_x_forwarded_for'],
  userAgent: ['user_agent.original', 'req.headers.user-agent', 'http.request.headers.user-agent', 'http_user_agent', 'request.headers.User-Agent', 'request_User-Agent', 'agent', 'userAgent', 'user_agent', 'useragent'],
  status: ['http.response.status_code', 'res.statusCode', 'status', 'statusCode', 'status_code', 'response', 'DownstreamStatus', 'res.status'],
  method: ['http.request.method', 'req.method', 'request_method', 'method', 'verb', 'request.method', 'RequestMethod'],
  path: ['url.path', 'req.url', 'request_uri', 'uri', 'path', 'request.uri', 'RequestPath', 'url.original', 'url', 'request'],
  node: ['upstream_addr', 'upstream.address', 'node', 'hostname', 'host.hostname', 'host.name', 'ServiceAddr', 'backend'],
  session: ['session.id', 'sessionId', 'session_id', 'sessionID', 'req.sessionID', 'sid', 'session'],
  user: ['user.id', 'user.name', 'userId', 'user_id', 'req.user.id', 'usr.id', 'user', 'username', 'remote_user', 'auth'],
  jti: ['jti', 'token.jti', 'jwt.jti'],
  requestId: ['http.request.id', 'trace.id', 'transaction.id', 'reqId', 'req.id', 'requestId', 'request_id', 'req_id', 'correlationId', 'correlation_id', 'traceId', 'trace_id', 'x_request_id', 'http_x_request_id', 'req.headers.x-request-id', 'request_X-Request-Id'],
  event: ['event.action', 'event', 'action', 'msg', 'message', 'err.message', 'error.message'],
};
const AUTHORIZATION = ['req.headers.authorization', 'http.request.headers.authorization', 'http_authorization', 'request.headers.Authorization', 'headers.authorization', 'authorization'];
const COOKIE = ['req.headers.cookie', 'http.request.headers.cookie', 'http_cookie', 'request.headers.Cookie', 'headers.cookie', 'cookie'];

/** A dotted path compiled once: tried as one literal key ("log.level"), then as nested objects. */
class Path {
  readonly segments: string[];
  constructor(readonly full: string) {
    this.segments = full.split('.');
  }

  get(object: Record<string, unknown>): unknown {
    let value: unknown = object[this.segments[0]];
    if (this.segments.length === 1) return value;
    if (value === undefined) return object[this.full]; // ECS writes some keys dotted at the top level
    for (let index = 1; index < this.segments.length; index++) {
      if (value === null || typeof value !== 'object') return object[this.full];
      value = (value as Record<string, unknown>)[this.segments[index]];
    }
    // Both shapes in one line ({"log": {"logger": ...}, "log.level": ...}): the dotted key still counts.
    return value === undefined ? object[this.full] : value;
  }
}

/** Candidate paths for one field; the one that matched last is tried first (a log's lines share a shape). */
class Candidates {
  private readonly paths: Path[];
  private hit = 0;
  constructor(paths: string[]) {
    this.paths = paths.map((path) => new Path(path));
  }

  /** The event of the first candidate (in order, no reordering) whose text names one. */
  event(object: Record<string, unknown>): LogRecord['event'] {
    for (const path of this.paths) {
      const value = path.get(object);
      if (typeof value === 'string' && value.length > 0) {
        const event = eventOf(value);
        if (event !== undefined) return event;
      }
    }
    return undefined;
  }

  /** The first candidate whose value is a string or number (Caddy's header arrays give their first item). */
  find(object: Record<string, unknown>): string | number | undefined {
    const first = usable(this.paths[this.hit].get(object));
    if (first !== undefined) return first;
    for (let index = 0; index < this.paths.length; index++) {
      if (index === this.hit) continue;
      const value = usable(this.paths[index].get(object));
      if (value !== undefined) {
        this.hit = index;
        return value;
      }
    }
    return undefined;
  }
}

function usable(value: unknown): string | number | undefined {
  if (typeof value === 'string') return value === '' || value === '-' ? undefined : value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export class JsonParser implements LineParser {
  readonly format = 'json' as const;
  hasRequestIdField: boolean;
  private readonly fields: Record<Field, Candidates>;
  private readonly authorization = new Candidates(AUTHORIZATION);
  private readonly cookie = new Candidates(COOKIE);

  constructor(
    private readonly credentials: CredentialReader,
    overrides: LogReadOptions['fields'] = {},
  ) {
    const fields = {} as Record<Field, Candidates>;
    for (const name of Object.keys(PATHS) as Field[]) fields[name] = new Candidates(overrides[name] ? [overrides[name]!] : PATHS[name]);
    this.fields = fields;
    this.hasRequestIdField = overrides.requestId !== undefined;
  }

  parse(line: string, record: LogRecord): string | null {
    let object = parseObject(line);
    if (object === null) return 'not a JSON object';
    // Docker json-file: the application's line is a string in "log".
    const wrapped = object.log;
    if (typeof wrapped === 'string' && wrapped.charCodeAt(0) === 123) {
      const inner = parseObject(wrapped);
      if (inner !== null) {
        if (inner.time === undefined && inner['@timestamp'] === undefined) inner.time = object.time;
        object = inner;
      }
    }
    const fields = this.fields;
    const time = fields.time.find(object);
    record.time = time === undefined ? NaN : parseTimeValue(time);
    record.ip = printable(text(fields.ip.find(object)));
    record.userAgent = printable(unquote(text(fields.userAgent.find(object))));
    const status = fields.status.find(object);
    if (status !== undefined) {
      const code = typeof status === 'number' ? status : Number(status);
      if (Number.isInteger(code) && code >= 100 && code <= 999) record.status = code;
    }
    record.method = printable(text(fields.method.find(object)));
    const path = printable(text(fields.path.find(object)));
    if (path !== undefined) {
      // nginx's $request or logstash's "request" may be the whole request line.
      if (path.indexOf(' ') > 0 && path.charCodeAt(0) !== 47) parseRequestLine(path, 0, path.length, record);
      else record.path = requestPath(path, 0, path.length);
    }
    const node = printable(text(fields.node.find(object)));
    if (node !== undefined) {
      const space = node.lastIndexOf(' ');
      record.node = space >= 0 ? node.slice(space + 1) : node; // upstream_addr after a retry: the last
    }
    record.user = text(fields.user.find(object));
    const requestId = text(fields.requestId.find(object));
    if (requestId !== undefined) {
      record.requestId = requestId;
      this.hasRequestIdField = true;
    }
    // An explicit event field says more than a message: check them in order, first recognised wins.
    record.event = fields.event.event(object);
    const authorization = this.authorization.find(object);
    if (typeof authorization === 'string') this.credentials.authorization(authorization, record);
    const cookie = this.cookie.find(object);
    if (typeof cookie === 'string') this.credentials.cookieHeader(cookie, record);
    const session = text(fields.session.find(object));
    if (session !== undefined) this.credentials.session(session, record);
    const jti = text(fields.jti.find(object));
    if (jti !== undefined) record.jti = jti;
    return null;
  }
}

/** The JSON object on the line, allowing a short prefix before "{" (CRI / syslog); null when none. */
export function parseObject(line: string): Record<string, unknown> | null {
  let start = 0;
  if (line.charCodeAt(0) !== 123) {
    start = line.indexOf('{');
    if (start < 0 || start > 120) return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(start === 0 ? line : line.slice(start));
  } catch {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

// JSON.parse decodes "\u001b": a value could carry terminal escapes into the report. Values that may be
// printed (ip, user agent, method, path, node) lose their control characters; the text formats are
// escaped by nginx, HAProxy and ALB when they log.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
function printable(value: string | undefined): string | undefined {
  return value === undefined || !CONTROL.test(value) ? value : value.replace(CONTROLS, '?');
}

function text(value: string | number | undefined): string | undefined {
  return typeof value === 'number' ? String(value) : value;
}

/** logstash keeps the quotes of the combined log's agent field: "\"Mozilla/5.0 ...\"". */
function unquote(value: string | undefined): string | undefined {
  return value !== undefined && value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34 ? value.slice(1, -1) : value;
}
