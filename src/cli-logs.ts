import { Option, type Command } from 'commander';
import { durationFlag, emitReport, exitCodeOf, printError, reportSettings, withReportOptions, type ReportOptions } from './cli-support.js';
import { UsageError } from './errors.js';
import { LOG_FORMATS, type LogReadOptions } from './logs/record.js';

interface LogsFlags extends ReportOptions {
  logFormat: LogReadOptions['format'];
  nginxFormat?: string;
  field?: string[];
  sessionCookie?: string;
  maxIps: string;
  maxUserAgents: string;
  window: string;
  sessions: 'auto' | 'shared' | 'local';
  minFailures: string;
  failureFactor: string;
  stormMin: string;
  stormFactor: string;
  maxTracked: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const FIELD_KEYS = ['time', 'ip', 'userAgent', 'status', 'node', 'session', 'user', 'jti', 'requestId', 'event', 'path', 'method'] as const;
/** Spellings people type for the --field keys. */
const FIELD_ALIASES: Record<string, (typeof FIELD_KEYS)[number]> = {
  time: 'time', timestamp: 'time', ip: 'ip', client: 'ip', useragent: 'userAgent', 'user-agent': 'userAgent', user_agent: 'userAgent', ua: 'userAgent',
  status: 'status', node: 'node', upstream: 'node', session: 'session', user: 'user', jti: 'jti', requestid: 'requestId', 'request-id': 'requestId',
  request_id: 'requestId', event: 'event', path: 'path', method: 'method',
};

/** `--field session=ctx.sid,user=usr.id` (repeatable) into the readers' field map. */
export function parseFields(values: string[]): LogReadOptions['fields'] {
  const fields: NonNullable<LogReadOptions['fields']> = {};
  for (const value of values) {
    for (const pair of value.split(',')) {
      if (pair.trim() === '') continue;
      const match = /^\s*([A-Za-z_-]+)\s*=\s*(\S+)\s*$/.exec(pair);
      const key = match ? FIELD_ALIASES[match[1].toLowerCase()] : undefined;
      if (!match || !key) throw new UsageError(`--field: expected KEY=FIELD with KEY one of ${FIELD_KEYS.join(', ')} (got "${pair.trim()}")`);
      fields[key] = match[2];
    }
  }
  return fields;
}

function wholeNumber(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number) || number < min) throw new UsageError(`${flag}: expected a whole number of at least ${min} (got "${value}")`);
  if (number > max) throw new UsageError(`${flag}: at most ${max} (each session keeps ${max + 4} distinct values, so a higher threshold could never be crossed; got "${value}")`);
  return number;
}

function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(number > 0)) throw new UsageError(`${flag}: expected a number above 0 (got "${value}")`);
  return number;
}

/** The defaults of the logs flags, for callers that give only some (the fixture tests' directives). */
export const LOGS_FLAG_DEFAULTS = {
  logFormat: 'auto',
  maxIps: '3',
  maxUserAgents: '2',
  window: '10m',
  sessions: 'auto',
  minFailures: '10',
  failureFactor: '3',
  stormMin: '20',
  stormFactor: '5',
  maxTracked: '100000',
} as const;

export type LogsSettingsFlags = Omit<LogsFlags, keyof ReportOptions>;

/** Every logs flag checked and turned into what runLogs takes, before any input is read. */
export async function logsSettings(given: Partial<LogsSettingsFlags>) {
  const flags = { ...LOGS_FLAG_DEFAULTS, ...given } as LogsSettingsFlags;
  // Loaded here, not at start-up: every other command's start would pay for the analysis modules.
  const { MAX_THRESHOLD } = await import('./logs/analyse-sessions.js');
  const { isApacheLogFormat } = await import('./logs/formats/apache.js');
  const window = await durationFlag('--window', flags.window, '10m, 1h, 90s');
  if (!['auto', 'shared', 'local'].includes(flags.sessions)) throw new UsageError(`--sessions must be auto, shared or local (got "${flags.sessions}")`);
  const ruleOptions = {
    logMaxIps: wholeNumber('--max-ips', flags.maxIps, 1, MAX_THRESHOLD),
    logMaxUserAgents: wholeNumber('--max-user-agents', flags.maxUserAgents, 1, MAX_THRESHOLD),
    logWindow: window,
    logSessions: flags.sessions,
    logMinFailures: wholeNumber('--min-failures', flags.minFailures, 1),
    logFailureFactor: positiveNumber('--failure-factor', flags.failureFactor),
    logStormMin: wholeNumber('--storm-min', flags.stormMin, 1),
    logStormFactor: positiveNumber('--storm-factor', flags.stormFactor),
  };
  const maxTracked = wholeNumber('--max-tracked', flags.maxTracked, 100);
  if (!(LOG_FORMATS as readonly string[]).includes(flags.logFormat)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')} (got "${flags.logFormat}")`);
  if (flags.nginxFormat !== undefined && !['auto', 'nginx', 'apache'].includes(flags.logFormat)) {
    throw new UsageError(`--nginx-format describes nginx logs; it cannot go with --log-format ${flags.logFormat}`);
  }
  const read: LogReadOptions = {
    // An Apache LogFormat given as --nginx-format is reported as apache, as its messages name the format.
    format: flags.nginxFormat !== undefined && flags.logFormat === 'auto' ? (isApacheLogFormat(flags.nginxFormat) ? 'apache' : 'nginx') : flags.logFormat,
    nginxFormat: flags.nginxFormat,
    sessionCookie: flags.sessionCookie,
    fields: flags.field ? parseFields(flags.field) : undefined,
  };
  return { read, ruleOptions, maxTracked };
}

/** `session-audit logs FILE... | -`: sessions, tokens and nodes as the access and app logs show them. */
export function defineLogsCommand(program: Command, setExit: (code: number) => void): void {
  const command = withReportOptions(
    program
      .command('logs')
      .description('read access and app logs (nginx, Apache, HAProxy, ALB, JSON lines; gzip too): session reuse, hops between nodes, auth failures, logout storms')
      .argument('<files...>', 'log files (plain or gzip), or - for stdin'),
  );
  // A config-file setting the shared report options carry: no meaning for logs.
  for (const option of command.options) if (option.long === '--sticky-cookie-max-age') option.hidden = true;
  command
    .addOption(new Option('--log-format <format>', 'the log format (auto: detected from the first lines of each input)').choices(LOG_FORMATS).default('auto'))
    .option('--nginx-format <log_format>', "the nginx log_format the logs were written with, e.g. '$remote_addr - [$time_local] \"$request\" $status $upstream_addr $cookie_sid $request_id'")
    .option('--field <key=field,...>', 'JSON field names for formats not known: session=..., user=..., ip=..., node=..., jti=..., requestId=..., event=..., status=..., time=... (repeatable)', collect)
    .option('--session-cookie <name>', 'the cookie that holds the session id (read from a logged Cookie header or $cookie_NAME)')
    .option('--max-ips <n>', 'session-reuse-many-ips: most client IPs one session or jti may use within --window', '3')
    .option('--max-user-agents <n>', 'session-reuse-many-ips: most user agents one session or jti may send within --window', '2')
    .option('--window <duration>', 'session-reuse-many-ips: the sliding window', '10m')
    .addOption(
      new Option('--sessions <where>', 'session-hops-nodes: where the app keeps sessions (auto: judged from what happens after a hop)').choices(['auto', 'shared', 'local']).default('auto'),
    )
    .option('--min-failures <n>', 'auth-failures-on-one-node: fewest auth failures on a node before it is judged', '10')
    .option('--failure-factor <x>', "auth-failures-on-one-node: times the other nodes' failure rate that counts as concentrated", '3')
    .option('--storm-min <n>', 'logout-storm: fewest lost sessions (401, session-not-found) in a minute that can be a storm', '20')
    .option('--storm-factor <x>', 'logout-storm: times the rate of the 15 minutes before that makes a spike', '5')
    .option('--max-tracked <n>', 'session ids and jtis tracked at once, each (memory bound: about 0.5 KB each)', '100000')
    .addHelpText(
      'after',
      `
Formats detected: nginx / Apache combined (and common, nginx main), HAProxy HTTP logs, AWS ALB access
logs, JSON lines (pino, bunyan, ECS, logstash field names). Custom nginx log_format: --nginx-format.
Session ids come from --session-cookie NAME (a logged Cookie header or $cookie_NAME) or a logged
session field; token jti / sub are decoded from a logged Authorization header, never verified,
never printed. Ids in findings are SHA-256 digests.

Findings: session-reuse-many-ips, token-used-after-logout, session-hops-nodes, auth-failures-on-one-node,
logout-storm, missing-correlation-id ("session-audit explain RULE" for each).
Output: findings, and a per-node, per-minute timeline (a chart in the terminal, an SVG chart with
--format html, "logs.timeline" with --format json).
Exit 0: nothing at or above --fail-on; 1: findings; 2: bad usage or an input that is not a log.

Examples:
  $ session-audit logs /var/log/nginx/access.log --session-cookie sid
  $ zcat access.log.*.gz | session-audit logs - --format json
  $ session-audit logs access.log --nginx-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr $request_id' --session-cookie JSESSIONID
  $ session-audit logs app.jsonl --field session=ctx.sid,user=ctx.user --sessions local
  $ session-audit logs haproxy.log alb.log.gz --format html --output logs.html`,
    )
    .action(async (files: string[], flags: LogsFlags) => {
      const { accepted } = await reportSettings({ ...flags, stickyCookieMaxAge: flags.stickyCookieMaxAge ?? '1d' });
      if (files.filter((file) => file === '-').length > 1) throw new UsageError('- (stdin) can be given once');
      const { read, ruleOptions, maxTracked } = await logsSettings(flags);
      const { runLogs } = await import('./commands/logs.js');
      const { report, notes } = await runLogs({ inputs: files, read, ruleOptions, maxTracked, accepted });
      for (const note of notes) printError(`note: ${note}`);
      await emitReport(report, flags.format, flags.output, flags.verbose === true);
      setExit(exitCodeOf(report, flags.failOn));
    });
}
