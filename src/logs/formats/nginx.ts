/**
 * nginx access logs: the built-in `combined` format, and any `log_format` given as --nginx-format,
 * compiled once into a list of (variable, literal that follows it) steps. A line is read left to
 * right: a value runs up to the next occurrence of the literal after it. Hand-written rather than a
 * regex per format or a grok library: this is the 500k lines/s path, and indexOf on literal separators
 * is several times faster than a backtracking regex. nginx escapes '"' in values as \x22, so a quoted
 * value never contains its closing quote (Apache writes \" instead: those are stepped over).
 * Apache's combined LogFormat writes exactly the same line, so `apache` uses this reader too, and an
 * Apache LogFormat string given as --nginx-format is translated to nginx variables (apache.ts).
 */
import { UsageError } from '../../errors.js';
import type { LogRecord } from '../record.js';
import type { CredentialReader } from '../read-credentials.js';
import { parseRequestLine, requestPath } from '../read-request.js';
import { parseClfTime, parseEpochSeconds, parseIsoTime } from '../read-time.js';
import { apacheToNginxFormat, isApacheLogFormat } from './apache.js';
import { statusAt, type LineParser } from './parser.js';

export const NGINX_COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
/** The `main` format of nginx's stock nginx.conf: combined plus X-Forwarded-For. */
export const NGINX_MAIN = `${NGINX_COMBINED} "$http_x_forwarded_for"`;
/** Common Log Format (Apache `common`): combined without referer and user agent. */
export const NGINX_COMMON = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent';

const enum Kind {
  Skip, RemoteAddr, ForwardedFor, RealIp, RemoteUser, TimeLocal, TimeIso, Msec, Request, Method, Uri, Status,
  UserAgent, UpstreamAddr, RequestId, Authorization, Cookies, Cookie,
}

const KINDS: Record<string, Kind> = {
  remote_addr: Kind.RemoteAddr, binary_remote_addr: Kind.Skip, realip_remote_addr: Kind.RemoteAddr,
  http_x_forwarded_for: Kind.ForwardedFor, proxy_add_x_forwarded_for: Kind.ForwardedFor, http_x_real_ip: Kind.RealIp,
  remote_user: Kind.RemoteUser, time_local: Kind.TimeLocal, time_iso8601: Kind.TimeIso, msec: Kind.Msec,
  request: Kind.Request, request_method: Kind.Method, request_uri: Kind.Uri, uri: Kind.Uri, document_uri: Kind.Uri,
  status: Kind.Status, http_user_agent: Kind.UserAgent, upstream_addr: Kind.UpstreamAddr,
  request_id: Kind.RequestId, http_x_request_id: Kind.RequestId, http_x_correlation_id: Kind.RequestId,
  upstream_http_x_request_id: Kind.RequestId, sent_http_x_request_id: Kind.RequestId, http_x_amzn_trace_id: Kind.RequestId,
  http_authorization: Kind.Authorization, http_cookie: Kind.Cookies,
};

/** Values that never contain a space: checking it keeps another format's line from parsing by accident. */
const NO_SPACE = new Set([Kind.RemoteAddr, Kind.Status, Kind.Msec, Kind.Method]);

interface Step {
  kind: Kind;
  name: string;
  /** The cookie name for $cookie_NAME. */
  cookie: string;
  /** The literal after this variable; '' when the variable ends the line. */
  after: string;
  /** Characters the value has at least ($time_local's own space must not end it). */
  minLength: number;
  /** The value may not contain a space (NO_SPACE). */
  noSpace: boolean;
}

export interface CompiledFormat {
  prefix: string;
  steps: Step[];
  hasRequestId: boolean;
}

/**
 * Compiles a log_format string. Accepts it as written in nginx.conf too: `log_format main '...' '...';`
 * or several single-quoted pieces, which nginx joins. Throws UsageError when it cannot be used.
 */
export function compileNginxFormat(text: string): CompiledFormat {
  const format = isApacheLogFormat(text) ? apacheToNginxFormat(text) : unwrap(text);
  const pattern = /\$(?:\{([^}]+)\}|([A-Za-z0-9_]+))/g;
  const steps: Step[] = [];
  let prefix = '';
  let last = 0;
  for (const match of format.matchAll(pattern)) {
    const literal = format.slice(last, match.index);
    if (steps.length === 0) prefix = literal;
    else {
      if (literal === '') throw new UsageError(`--nginx-format: $${steps[steps.length - 1].name}$${match[1] ?? match[2]} has nothing between the two variables, so their values cannot be told apart`);
      steps[steps.length - 1].after = literal;
    }
    const written = match[1] ?? match[2];
    const name = written.toLowerCase();
    const cookie = name.startsWith('cookie_') ? written.slice(7) : '';
    const kind = cookie ? Kind.Cookie : (KINDS[name] ?? Kind.Skip);
    steps.push({ kind, name, cookie, after: '', minLength: kind === Kind.TimeLocal ? 26 : 0, noSpace: NO_SPACE.has(kind) });
    last = match.index + match[0].length;
  }
  if (steps.length === 0) throw new UsageError(`--nginx-format: no $variables in "${format}" (expected e.g. '${NGINX_COMBINED}')`);
  steps[steps.length - 1].after = format.slice(last);
  // With $remote_addr logged, X-Forwarded-For is not the client (it can be forged): use it only without.
  const hasRemoteAddr = steps.some((step) => step.kind === Kind.RemoteAddr);
  for (const step of steps) if (hasRemoteAddr && (step.kind === Kind.ForwardedFor || step.kind === Kind.RealIp)) step.kind = Kind.Skip;
  for (const step of steps) step.noSpace = NO_SPACE.has(step.kind);
  return { prefix, steps, hasRequestId: steps.some((step) => step.kind === Kind.RequestId) };
}

/** `log_format main escape=default '$a ' '$b';` -> `$a $b` */
function unwrap(text: string): string {
  let format = text.trim();
  const directive = /^log_format\s+\S+\s+(?:escape=\S+\s+)?/.exec(format);
  if (directive) format = format.slice(directive[0].length).replace(/;\s*$/, '');
  if (format.startsWith("'")) {
    const pieces = /^(?:'[^']*'\s*)+$/.test(format) ? format.match(/'[^']*'/g) : null;
    if (pieces) format = pieces.map((piece) => piece.slice(1, -1)).join('');
  }
  return format;
}

export class NginxParser implements LineParser {
  readonly hasRequestIdField: boolean;
  private readonly prefix: string;
  private readonly steps: Step[];

  constructor(
    compiled: CompiledFormat,
    private readonly credentials: CredentialReader,
    readonly format: 'nginx' | 'apache' = 'nginx',
  ) {
    this.prefix = compiled.prefix;
    this.steps = compiled.steps;
    this.hasRequestIdField = compiled.hasRequestId;
  }

  parse(line: string, record: LogRecord): string | null {
    if (this.prefix !== '' && !line.startsWith(this.prefix)) return 'does not start like the format';
    let position = this.prefix.length;
    const steps = this.steps;
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index];
      let end: number;
      if (step.after === '') end = line.length;
      else {
        end = line.indexOf(step.after, position + step.minLength);
        // Apache escapes a quote inside a value as \": not the closing quote.
        while (end > 0 && line.charCodeAt(end - 1) === 92 && step.after.charCodeAt(0) === 34) end = line.indexOf(step.after, end + 1);
        if (end < 0) return `no "${step.after}" after $${step.name}`;
      }
      if (step.kind !== Kind.Skip) {
        const problem = this.value(step, line, position, end, record);
        if (problem !== null) return problem;
      }
      position = end + step.after.length;
    }
    return null;
  }

  /** One variable's value, line[start, end); null when fine, else why the line does not fit. */
  private value(step: Step, line: string, start: number, end: number, record: LogRecord): string | null {
    const kind = step.kind;
    if (step.noSpace) {
      const space = line.indexOf(' ', start);
      if (space >= 0 && space < end) return `$${step.name} has a space`;
    }
    const dash = end - start === 1 && line.charCodeAt(start) === 45;
    if (dash || end === start) return kind === Kind.Status ? '$status is empty' : null;
    switch (kind) {
      case Kind.RemoteAddr:
        record.ip = line.slice(start, end);
        break;
      case Kind.ForwardedFor: {
        // The first address is the client as the first proxy saw it.
        const comma = line.indexOf(',', start);
        record.ip = line.slice(start, comma >= 0 && comma < end ? comma : end).trim();
        break;
      }
      case Kind.RealIp:
        record.ip ??= line.slice(start, end);
        break;
      case Kind.RemoteUser:
        record.user = line.slice(start, end);
        break;
      case Kind.TimeLocal:
        record.time = parseClfTime(line.slice(start, end));
        if (Number.isNaN(record.time)) return '$time_local is not a time';
        break;
      case Kind.TimeIso:
        record.time = parseIsoTime(line.slice(start, end));
        if (Number.isNaN(record.time)) return '$time_iso8601 is not a time';
        break;
      case Kind.Msec:
        record.time = parseEpochSeconds(line.slice(start, end));
        if (Number.isNaN(record.time)) return '$msec is not a time';
        break;
      case Kind.Request:
        parseRequestLine(line, start, end, record);
        break;
      case Kind.Method:
        record.method = line.slice(start, end);
        break;
      case Kind.Uri:
        record.path = requestPath(line, start, end);
        break;
      case Kind.Status:
        record.status = statusAt(line, start, end);
        if (record.status === undefined) return '$status is not a status code';
        break;
      case Kind.UserAgent:
        record.userAgent = line.slice(start, end);
        break;
      case Kind.UpstreamAddr: {
        // "10.0.0.1:8080, 10.0.0.2:8080" after a retry, " : " after an internal redirect: the last answered.
        const space = line.lastIndexOf(' ', end - 1);
        const value = line.slice(space >= start ? space + 1 : start, end);
        if (value !== '-') record.node = value;
        break;
      }
      case Kind.RequestId:
        record.requestId ??= line.slice(start, end);
        break;
      case Kind.Authorization:
        this.credentials.authorization(line.slice(start, end), record);
        break;
      case Kind.Cookies:
        this.credentials.cookieHeader(line.slice(start, end), record);
        break;
      case Kind.Cookie:
        this.credentials.cookie(step.cookie, line.slice(start, end), record);
        break;
    }
    return null;
  }
}
