/** What every format reader provides, and the reused record they fill. */
import type { LogFormat, LogRecord } from '../record.js';

export interface LineParser {
  readonly format: Exclude<LogFormat, 'auto'>;
  /** Whether the lines read so far carry a request/correlation id field (read after the input ends). */
  readonly hasRequestIdField: boolean;
  /** Fills `record` (already reset) from `line`: null when it parsed, else why it did not (a short, constant reason). */
  parse(line: string, record: LogRecord): string | null;
}

/** A record with every field present, so V8 keeps one shape for it across lines. */
export function newRecord(file: string): LogRecord {
  return {
    file, line: 0, time: NaN, ip: undefined, userAgent: undefined, method: undefined, path: undefined, status: undefined, node: undefined,
    session: undefined, jti: undefined, sub: undefined, user: undefined, requestId: undefined, event: undefined,
  };
}

export function resetRecord(record: LogRecord, line: number): void {
  record.line = line;
  record.time = NaN;
  record.ip = undefined;
  record.userAgent = undefined;
  record.method = undefined;
  record.path = undefined;
  record.status = undefined;
  record.node = undefined;
  record.session = undefined;
  record.jti = undefined;
  record.sub = undefined;
  record.user = undefined;
  record.requestId = undefined;
  record.event = undefined;
}

/** A status code from digits in line[start, end), or undefined ("-", "-1", anything else). */
export function statusAt(line: string, start: number, end: number): number | undefined {
  if (end - start !== 3) return undefined;
  const a = line.charCodeAt(start) - 48;
  const b = line.charCodeAt(start + 1) - 48;
  const c = line.charCodeAt(start + 2) - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return undefined;
  return a * 100 + b * 10 + c;
}
