/**
 * The contract between the log readers (src/logs/read-*.ts: nginx, Apache, HAProxy, ALB, JSON lines)
 * and the log analysis (src/logs/analyse*.ts). A reader turns one line into one LogRecord; the
 * analysis never sees raw syntax. Fields a format does not carry are left undefined.
 *
 * Readers REUSE one record object per input for speed (500k lines/s is the target): a consumer that
 * keeps anything past the callback copies the fields it needs.
 */
export interface LogRecord {
  /** Where the line is: the file as given ("-" for stdin) and its 1-based line number. */
  file: string;
  line: number;
  /** Request time, ms since the epoch; NaN when the line has none or it could not be read. */
  time: number;
  ip?: string;
  userAgent?: string;
  method?: string;
  /** The request path without the query string. */
  path?: string;
  status?: number;
  /** The upstream that served the request: nginx $upstream_addr, HAProxy backend/server, ALB target:port. */
  node?: string;
  /** Session id: the value of --session-cookie from a logged Cookie header, or a logged session field. */
  session?: string;
  /** Token claims, from a logged Authorization header or cookie value: decoded, never verified; the token itself is never kept. */
  jti?: string;
  sub?: string;
  /** The user, when the log names one (a structured log's user field, or an authenticated $remote_user). */
  user?: string;
  /** Correlation / request id ($request_id, X-Request-ID, HAProxy unique-id, ALB trace id, a logged field). */
  requestId?: string;
  /**
   * What the application said happened, when a structured log says it (a message or event field):
   * logout / revoke end a session or token; invalid-token and session-not-found are auth failures
   * the status code alone may not show.
   */
  event?: 'login' | 'logout' | 'revoke' | 'invalid-token' | 'session-not-found';
}

/** The formats a reader understands; `auto` detects from the first lines. */
export const LOG_FORMATS = ['auto', 'nginx', 'apache', 'haproxy', 'alb', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What the user told the readers (CLI flags of `session-audit logs`). */
export interface LogReadOptions {
  format: LogFormat;
  /** --nginx-format: an nginx log_format string with nginx variable names ($remote_addr, $upstream_addr, $cookie_NAME, $http_x_request_id...). */
  nginxFormat?: string;
  /** --session-cookie NAME: the cookie that holds the session id. */
  sessionCookie?: string;
  /** --field session=a.b,user=...,ip=...,node=...: JSON field names for formats the readers do not know. */
  fields?: Partial<Record<'time' | 'ip' | 'userAgent' | 'status' | 'node' | 'session' | 'user' | 'jti' | 'requestId' | 'event' | 'path' | 'method', string>>;
}

/** Reads every input in turn (files, gzip by content, "-" for stdin), calling onRecord per parsed line. */
export type ReadLogs = (inputs: string[], options: LogReadOptions, onRecord: (record: LogRecord) => void) => Promise<LogReadSummary>;

export interface LogReadSummary {
  /** Per input: the format used and how many lines were read, parsed and skipped (unparsable lines are counted, not fatal). */
  inputs: { file: string; format: Exclude<LogFormat, 'auto'>; lines: number; parsed: number; skipped: number; firstSkipped?: { line: number; reason: string } }[];
  /** True when some input's format has a request-id field (missing-correlation-id only judges those). */
  hasRequestIdField: boolean;
  /** The inputs (files as given) whose own format has one: missing-correlation-id judges each input on its own. */
  requestIdInputs?: string[];
}
