/**
 * AWS Application Load Balancer access logs, field order from the AWS documentation ("Access log
 * entries"): type time elb client:port target:port request_processing_time target_processing_time
 * response_processing_time elb_status_code target_status_code received_bytes sent_bytes "request"
 * "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" "chosen_cert_arn"
 * matched_rule_priority request_creation_time "actions_executed" ... (AWS appends fields over time;
 * the rest are ignored). Classic ELB logs (no type, starting with the time) are read too.
 * Hand-written (see nginx.ts): space-separated fields, some double-quoted.
 */
import type { LogRecord } from '../record.js';
import { parseRequestLine } from '../read-request.js';
import { parseIsoTime } from '../read-time.js';
import { statusAt, type LineParser } from './parser.js';

const TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);
const MAX_FIELDS = 22;

export class AlbParser implements LineParser {
  readonly format = 'alb' as const;
  hasRequestIdField = false;
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);

  parse(line: string, record: LogRecord): string | null {
    const count = this.split(line);
    const starts = this.starts;
    const ends = this.ends;
    // ALB lines start with the request type; classic ELB lines with the time: shift by one.
    const classic = count > 0 && !TYPES.has(line.slice(starts[0], ends[0]));
    const at = classic ? -1 : 0;
    if (count < 13 + at) return 'too few fields for an ALB log';
    const client = line.slice(starts[3 + at], ends[3 + at]);
    const colon = client.lastIndexOf(':');
    if (colon <= 0) return 'no client ip:port';
    record.ip = client.slice(0, colon);
    // The request's own time when logged (request_creation_time), else when the response was sent.
    const created = classic || count <= 21 ? '' : line.slice(starts[21], ends[21]);
    record.time = parseIsoTime(created !== '' && created !== '-' ? created : line.slice(starts[1 + at], ends[1 + at]));
    if (Number.isNaN(record.time)) return 'the time is not a time';
    const target = line.slice(starts[4 + at], ends[4 + at]);
    if (target !== '-') record.node = target;
    record.status = statusAt(line, starts[8 + at], ends[8 + at]);
    parseRequestLine(line, starts[12 + at], ends[12 + at], record);
    if (count > 13 + at) {
      const agent = line.slice(starts[13 + at], ends[13 + at]);
      if (agent !== '-') record.userAgent = agent;
    }
    if (!classic && count > 17) {
      this.hasRequestIdField = true;
      const trace = line.slice(starts[17], ends[17]);
      if (trace !== '-') record.requestId = trace;
    }
    return null;
  }

  /** Field boundaries into starts/ends (quotes excluded); returns how many fields (up to MAX_FIELDS). */
  private split(line: string): number {
    let count = 0;
    let position = 0;
    const length = line.length;
    while (position < length && count < MAX_FIELDS) {
      if (line.charCodeAt(position) === 34) {
        let close = line.indexOf('"', position + 1);
        while (close > 0 && line.charCodeAt(close - 1) === 92) close = line.indexOf('"', close + 1);
        if (close < 0) close = length;
        this.starts[count] = position + 1;
        this.ends[count] = close;
        position = close + 2;
      } else {
        let space = line.indexOf(' ', position);
        if (space < 0) space = length;
        this.starts[count] = position;
        this.ends[count] = space;
        position = space + 1;
      }
      count++;
    }
    return count;
  }
}
