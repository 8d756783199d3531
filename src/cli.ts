import { Command, CommanderError, Option } from 'commander';
import { InputError, UsageError, isExpectedError } from './errors.js';
import { VERSION } from './version.js';

import {
  EXIT_ERROR,
  EXIT_OK,
  durationFlag,
  emitResult,
  exitCodeOf,
  printError,
  reportSettings,
  type ReportOptions,
  startProgress,
  withReportOptions,
} from './cli-support.js';
import { defineTokenCommand } from './cli-token.js';
import { defineRevokeCommands } from './cli-revoke.js';
import { defineWatchCommand } from './cli-watch.js';
import { defineLogsCommand } from './cli-logs.js';

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
      .description('the same static analysis as scan (config files and app settings, no network), as a CI gate')
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
      .description('map how sessions are kept across a system: proxies, app session settings, live Redis / Memcached stores (read-only)')
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

  defineTokenCommand(program, setExit);
  defineRevokeCommands(program, setExit);
  defineWatchCommand(program, setExit);
  defineLogsCommand(program, setExit);
  return program;
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
