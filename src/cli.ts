import { Command, CommanderError, Option } from 'commander';
import { InputError, UsageError, isExpectedError } from './errors.js';
import { SEVERITIES, isSeverity, severityRank, type Report } from './model/index.js';
import { VERSION } from './version.js';

// The only place that sets the exit code (shared/DESIGN.md): 0 clean, 1 findings at or above --fail-on, 2 could not do the job.
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;

const FORMATS = ['table', 'json', 'sarif', 'github', 'markdown', 'html'] as const;

function printError(message: string): void {
  process.stderr.write(`session-audit: ${message}\n`);
}

function failOnThreshold(value: string): number {
  if (value === 'none') return Number.POSITIVE_INFINITY;
  if (!isSeverity(value)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${value}")`);
  return severityRank(value);
}

/** Exit code of a judged report: 2 when a file could not be parsed, else 1 when something reaches --fail-on. */
export function exitCodeOf(report: Report, failOn: string): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  const threshold = failOnThreshold(failOn);
  return report.findings.some((finding) => severityRank(finding.severity) >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}

/** A duration flag's value in seconds, or one clear usage line. */
async function durationFlag(flag: string, value: string, examples: string): Promise<number> {
  const { parseDuration } = await import('./util/duration.js');
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0) throw new UsageError(`${flag}: not a duration: "${value}" (use e.g. ${examples})`);
  return seconds;
}

/** The options of every command that judges config files and prints a report (check, scan). */
function withReportOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (${SEVERITIES.join('|')}|none)`, 'low')
    .option('--baseline <file>', 'do not report findings listed in this baseline file')
    .option('--sticky-cookie-max-age <duration>', 'longest acceptable affinity cookie lifetime (sticky-cookie-lifetime)', '1d')
    .option('-v, --verbose', 'list the files skipped as in no known format, and why parts of the session map could not be linked');
}

interface ReportOptions {
  format: (typeof FORMATS)[number];
  output?: string;
  failOn: string;
  baseline?: string;
  stickyCookieMaxAge: string;
  verbose?: boolean;
}

/** Checked before any work starts, so a typo costs nothing. */
async function reportSettings(options: ReportOptions) {
  failOnThreshold(options.failOn);
  const stickyCookieMaxAge = await durationFlag('--sticky-cookie-max-age', options.stickyCookieMaxAge, '3600, 12h, 1d');
  const { readBaseline } = await import('./analysis/baseline.js');
  return { stickyCookieMaxAge, accepted: options.baseline ? readBaseline(options.baseline) : undefined };
}

/** Skipped files (with --verbose) and unreadable inputs on stderr, then the report. */
async function emitResult(result: { report: Report; skipped: string[] }, options: ReportOptions): Promise<void> {
  if (options.verbose) {
    for (const file of result.skipped) process.stderr.write(`session-audit: skipped ${file}: not a known config format\n`);
  }
  for (const problem of result.report.errors) {
    const where = [problem.file, problem.line, problem.column].filter((part) => part !== null).join(':');
    printError(`${where}: ${problem.message}`);
  }
  await emitReport(result.report, options.format, options.output, options.verbose === true);
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('session-audit')
    .description('Find why sessions misbehave in distributed applications: sticky sessions, per-node sessions, weak tokens.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text) => printError(text.replace(/^error: /, '').trimEnd()) });

  withReportOptions(
    program
      .command('check')
      .description('check config files for session affinity (sticky sessions): the CI gate')
      .argument('[paths...]', 'files or folders to check (default: the current folder)'),
  )
    .option('--write-baseline <file>', 'write every current finding to a baseline file and exit 0')
    .addHelpText(
      'after',
      `
Examples:
  $ session-audit check deploy/
  $ session-audit check . --format sarif --output session-audit.sarif
  $ session-audit check . --format github --fail-on medium
  $ session-audit check . --write-baseline .session-audit-baseline.json
  $ session-audit check . --baseline .session-audit-baseline.json`,
    )
    .action(async (paths: string[], options: ReportOptions & { writeBaseline?: string }) => {
      const { stickyCookieMaxAge, accepted } = await reportSettings(options);
      const { runCheck } = await import('./commands/check.js');
      const result = await runCheck({ paths, accepted, ruleOptions: { stickyCookieMaxAge } });
      await emitResult(result, options);
      if (options.writeBaseline) {
        const { writeFileAtomic } = await import('./output.js');
        writeFileAtomic(options.writeBaseline, `${JSON.stringify(result.baseline, null, 2)}\n`);
        process.stderr.write(`session-audit: wrote ${result.baseline.findings.length} findings to baseline ${options.writeBaseline}\n`);
        setExit(result.report.errors.length > 0 ? EXIT_ERROR : EXIT_OK);
        return;
      }
      setExit(exitCodeOf(result.report, options.failOn));
    });

  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  withReportOptions(
    program
      .command('scan')
      .description('map how sessions are kept: config files, and live Redis / Memcached stores (read-only)')
      .argument('[paths...]', 'config files or folders to read too (default: the current folder when no store is given)'),
  )
    .option('--redis <url>', 'a Redis to scan: [NAME=]redis[s]://[user[:password]@]host[:port][/db] (repeatable; NAME: the host the apps call it)', collect)
    .option('--memcached <host:port>', 'a memcached to scan: [NAME=]host:port (repeatable)', collect)
    .option('--cluster', 'the --redis URL is a Redis Cluster node: scan every master (detected from INFO otherwise)')
    .option('--sentinel <host:port>', 'a Sentinel to ask for the current master, [user:password@]host:port (repeatable; password also from SESSION_AUDIT_SENTINEL_AUTH)', collect)
    .option('--sentinel-name <name>', 'the master group name Sentinel knows')
    .option('--redis-user <user>', 'ACL user when the URL has none (the password may come from REDISCLI_AUTH)')
    .option('--tls-ca <file>', 'CA certificate (PEM) for rediss://')
    .option('--tls-cert <file>', 'client certificate (PEM) for rediss://')
    .option('--tls-key <file>', 'client key (PEM) for rediss://')
    .option('--tls-insecure', 'do not verify the server certificate')
    .option('--sample <n>', 'look at about N keys per store and estimate the rest (states the error)')
    .option('--no-memory', 'skip the MEMORY USAGE sampling behind the Memory column (about a fifth faster)')
    .option('--session-pattern <glob>', 'treat keys matching this glob as sessions, e.g. "myapp:sess:*" (repeatable)', collect)
    .option('--session-ttl-max <duration>', 'longest acceptable session TTL (session-ttl-too-long)', '30d')
    .addHelpText(
      'after',
      `
Only read commands are sent (SCAN, TYPE, PTTL, OBJECT IDLETIME, INFO, CONFIG GET, ACL GETUSER, EVAL_RO...);
session values are never printed. Passwords are removed from every URL shown.

Examples:
  $ session-audit scan --redis redis://127.0.0.1:6379
  $ REDISCLI_AUTH=secret session-audit scan --redis rediss://audit@sessions.internal:6380 --tls-ca ca.pem
  $ session-audit scan --redis redis://10.0.0.5:7000 --cluster --sample 100000
  $ session-audit scan --sentinel 10.0.0.9:26379 --sentinel-name sessions --format json
  $ session-audit scan --memcached 127.0.0.1:11211
  $ session-audit scan deploy/ --redis redis://127.0.0.1:6379
  $ session-audit scan . --redis sessions=redis://127.0.0.1:6379   # the store the apps call "sessions"`,
    )
    .action(async (paths: string[], options) => {
      const { stickyCookieMaxAge, accepted } = await reportSettings(options);
      const sessionTtlMax = await durationFlag('--session-ttl-max', options.sessionTtlMax, '7d, 720h');
      const sample = options.sample === undefined ? undefined : Number(options.sample);
      if (sample !== undefined && !(Number.isInteger(sample) && sample > 0)) throw new UsageError(`--sample must be a whole number above 0 (got "${options.sample}")`);
      const { runScan } = await import('./commands/scan.js');
      const progress = await startProgress();
      let result;
      try {
        result = await runScan({
          paths,
          redis: options.redis ?? [],
          memcached: options.memcached ?? [],
          cluster: options.cluster,
          sentinels: options.sentinel ?? [],
          sentinelName: options.sentinelName,
          redisUser: options.redisUser,
          tls: options.tlsCa || options.tlsCert || options.tlsKey || options.tlsInsecure
            ? { ca: options.tlsCa, cert: options.tlsCert, key: options.tlsKey, insecure: options.tlsInsecure }
            : undefined,
          sample,
          memory: options.memory,
          sessionPatterns: options.sessionPattern ?? [],
          ruleOptions: { stickyCookieMaxAge, sessionTtlMax },
          accepted,
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
      }
      await emitResult(result, options);
      setExit(exitCodeOf(result.report, options.failOn));
    });

  program
    .command('rules')
    .description('list every rule with its severity, category and summary')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (options) => {
      const { listRules } = await import('./commands/rules.js');
      process.stdout.write(listRules(options.format, (await import('./output.js')).wantsColor(process.stdout)));
    });

  program
    .command('explain')
    .description("print one rule's rationale and fix")
    .argument('<rule>', 'rule id, e.g. sticky-session')
    .action(async (ruleId: string) => {
      const { explainRule } = await import('./commands/rules.js');
      process.stdout.write(explainRule(ruleId));
    });

  return program;
}

/** An ora spinner with keys scanned and rate, on stderr and only on a terminal. */
async function startProgress(): Promise<{ update: (source: string, keys: number) => void; stop: () => void }> {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const { default: ora } = await import('ora');
  const spinner = ora({ text: 'reading…', stream: process.stderr }).start();
  let started = { source: '', at: performance.now() };
  return {
    update: (source, keys) => {
      if (source !== started.source) started = { source, at: performance.now() };
      const rate = keys / Math.max(0.001, (performance.now() - started.at) / 1000);
      spinner.text = `${source}: ${keys.toLocaleString('en-US')} keys (${Math.round(rate).toLocaleString('en-US')}/s)`;
    },
    stop: () => spinner.stop(),
  };
}

async function emitReport(report: Report, format: (typeof FORMATS)[number], output: string | undefined, verbose = false): Promise<void> {
  const { REPORTERS } = await import('./reporters/index.js');
  const { wantsColor, writeFileAtomic } = await import('./output.js');
  const toTerminal = !output && process.stdout.isTTY === true;
  const text = REPORTERS[format](report, {
    color: output ? false : wantsColor(process.stdout),
    width: toTerminal ? Math.max(80, process.stdout.columns ?? 120) : 120,
    verbose,
  });
  if (output) writeFileAtomic(output, text);
  else process.stdout.write(text);
}

// `session-audit ... | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (isExpectedError(error)) {
      printError(error instanceof InputError ? error.toString() : error.message);
      return EXIT_ERROR;
    }
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    printError('internal error: this is a bug in session-audit; please report it with the command line and the stack above');
    return EXIT_ERROR;
  }
}

process.exitCode = await main(process.argv);
