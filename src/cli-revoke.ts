import { Option, type Command } from 'commander';
import { connectionArgs, parseTime, wholeNumber, withConnection as withConnectionFlags } from './cli-connection.js';
import { EXIT_ERROR, EXIT_OK, durationFlag, printError, terminalSpinner } from './cli-support.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** The connection options, and table or JSON output. */
const withConnection = (command: Command) => withConnectionFlags(command).addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'));


/** Ctrl-C: ask the run to stop cleanly after the batch in flight; a second Ctrl-C quits at once. */
function onInterrupt(stop: { now: boolean }, what: string): () => void {
  const handler = () => {
    if (stop.now) {
      process.off('SIGINT', handler);
      process.kill(process.pid, 'SIGINT');
      return;
    }
    stop.now = true;
    process.stderr.write(`\nsession-audit: stopping ${what} (Ctrl-C again to quit at once)\n`);
  };
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

const n = (value: number) => value.toLocaleString('en-US');

export function defineRevokeCommands(program: Command, setExit: (code: number) => void): void {
  withConnection(
    program
      .command('revoke')
      .description('revoke sessions in Redis in bulk: dry run by default; --yes deletes (batched, resumable, with --backup and an audit log)'),
  )
    .option('--namespace <glob>', 'only session keys matching this Redis glob, e.g. "sess:*" (repeatable: any of them)', collect)
    .option('--framework <id>', 'only sessions of this framework: connect-redis, spring-session, phpredis, php-memcached, laravel, symfony, django, rails, flask-session, redistore, aspnet-core (repeatable)', collect)
    .option('--session-pattern <glob>', 'also treat keys matching this glob as sessions, e.g. "myapp:sess:*" (repeatable); with one --framework, read as that framework\'s', collect)
    .option('--user <id>', 'only the sessions of this user, read the way each framework stores it (Spring Session: its principal index)')
    .option('--user-field <path>', 'where the user id is in the session, e.g. passport.user.id (what it means per framework: README)')
    .option('--idle-over <duration>', 'only sessions idle longer than this (OBJECT IDLETIME), e.g. 30d')
    .option('--created-before <time>', 'only sessions created before this time (frameworks that record it: Spring Session, Symfony), ISO 8601 or epoch seconds')
    .option('--ttl-none', 'only sessions without a TTL')
    .option('--all-sessions', 'every recognised session (must be given explicitly)')
    .option('-y, --yes', 'really delete (without it: a dry run that changes nothing)')
    .option('--confirm-over <n>', 'at a terminal, ask to type the count back when more sessions than this would go', '1000')
    .option('--backup <file>', 'before deleting, write each key\'s DUMP and TTL to this new file (JSON lines, fsynced per batch)')
    .option('--audit-log <file>', 'append one JSON line per batch here (default: $XDG_STATE_HOME/session-audit/audit.log)')
    .option('--no-audit-log', 'do not write the audit log')
    .option('--rate <n>', 'delete at most about N keys per second')
    .option('--resume [run-id]', 'carry on an interrupted run (default: the last unfinished one); give --yes to delete')
    .addOption(new Option('--batch-size <n>', 'plan lines per batch').hideHelp())
    .addOption(new Option('--scan-count <n>', 'SCAN COUNT').hideHelp())
    .addHelpText(
      'after',
      `
Only keys recognised as sessions are ever touched: the key shapes of the known frameworks (see
"session-audit scan"), or --session-pattern. Filters combine with AND. A bare "revoke" does nothing.

Without --yes nothing is deleted: it prints, per namespace, how many sessions would go, a few
example keys (masked) and the command that would do it. With --yes:
  - at a terminal, above --confirm-over sessions, the count must be typed back;
  - the plan is written to $XDG_STATE_HOME/session-audit/runs/<run-id>/ (default ~/.local/state/...),
    then keys go in batches with UNLINK (one key per command on a cluster, following MOVED/ASK);
  - with --backup FILE each batch is DUMPed and fsynced before it is deleted;
    "session-audit restore --backup FILE --redis URL --yes" brings it back;
  - a run stopped by Ctrl-C, a lost connection or a kill is carried on with --resume [RUN_ID] --yes;
  - Spring Session: the session hash, its expires key and its principal index entries all go.
Exit 0: done (or dry run); 2: bad usage, store error, interrupted, or not confirmed.
--format json: {"tool": {...}, "revoke": {"runId", "dryRun", "matched", "revoked", "byNamespace", "unreadable", "backup", "auditLog", ...}}

ACL for a revoke user: +scan +unlink (+dump with --backup, +srem for Spring Session, +get/+hgetall for
--user, +object|idletime for --idle-over); see the README.

Examples:
  $ session-audit revoke --redis redis://127.0.0.1:6379 --user alice
  $ session-audit revoke --redis redis://127.0.0.1:6379 --framework connect-redis --idle-over 30d --yes --backup revoked.jsonl
  $ session-audit revoke --redis redis://10.0.0.5:7000 --cluster --framework spring --user bob --yes
  $ session-audit revoke --redis redis://127.0.0.1:6379 --all-sessions --yes --rate 5000
  $ session-audit revoke --resume --yes`,
    )
    .action(async (options) => {
      const { normaliseFramework } = await import('./revoke/select.js');
      const filter = {
        namespaces: options.namespace ?? [],
        frameworks: [...new Set<string>((options.framework ?? []).map(normaliseFramework))],
        sessionPatterns: options.sessionPattern ?? [],
        user: options.user,
        userField: options.userField,
        idleOver: options.idleOver !== undefined ? await durationFlag('--idle-over', options.idleOver, '30d, 12h, 3600') : undefined,
        createdBefore: options.createdBefore !== undefined ? parseTime('--created-before', options.createdBefore) : undefined,
        ttlNone: options.ttlNone === true,
        allSessions: options.allSessions === true,
      };
      const { runRevoke } = await import('./commands/revoke.js');
      const { defaultAuditLog } = await import('./revoke/run-state.js');
      const { confirmCount } = await import('./revoke/confirm.js');
      const stop = { now: false };
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
      const args = process.argv.slice(process.argv.indexOf('revoke') + 1);
      const progress = await terminalSpinner('connecting…');
      const started = performance.now();
      const release = onInterrupt(stop, 'after the batch in flight');
      let result;
      try {
        result = await runRevoke({
          connection: connectionArgs(options),
          filter,
          yes: options.yes === true,
          confirmOver: wholeNumber('--confirm-over', options.confirmOver, 0)!,
          backup: options.backup,
          auditLog: options.auditLog === false ? false : typeof options.auditLog === 'string' ? options.auditLog : defaultAuditLog(),
          rate: wholeNumber('--rate', options.rate, 1),
          resume: options.resume,
          args,
          interactive,
          confirm: async (count, what) => {
            progress.stop();
            return confirmCount(count, what, process.stdin, process.stderr);
          },
          stop,
          warn: progress.log,
          batchSize: wholeNumber('--batch-size', options.batchSize, 1),
          scanCount: wholeNumber('--scan-count', options.scanCount, 1),
          onProgress: (p) => {
            const seconds = Math.max(0.001, (performance.now() - started) / 1000);
            progress.text(
              p.phase === 'planning' && p.revoked === 0
                ? `scanned ${n(p.scanned)} keys, ${n(p.matched)} sessions selected`
                : `scanned ${n(p.scanned)} keys, ${n(p.matched)} selected, ${n(p.revoked)} revoked (${n(Math.round(p.revoked / seconds))}/s)`,
            );
          },
        });
      } finally {
        progress.stop();
        release();
      }
      if (options.format === 'json') process.stdout.write(`${JSON.stringify({ tool: { name: 'session-audit', version: VERSION }, revoke: result.revoke }, null, 2)}\n`);
      else process.stdout.write((await import('./revoke/render.js')).renderRevoke(result.revoke));
      setExit(EXIT_OK);
    });

  withConnection(
    program
      .command('restore')
      .description('bring back what "revoke --backup" deleted (RESTORE, never replacing a key that exists again); dry run without --yes'),
  )
    .requiredOption('--backup <file>', 'the backup file written by revoke --backup')
    .option('-y, --yes', 'really restore (without it: a dry run)')
    .addOption(new Option('--ttl <mode>', 'recorded: the TTL each key had left when revoked; deadline: its original expiry moment').choices(['recorded', 'deadline']).default('recorded'))
    .option('--audit-log <file>', 'append one JSON line per batch here (default: $XDG_STATE_HOME/session-audit/audit.log)')
    .option('--no-audit-log', 'do not write the audit log')
    .option('--rate <n>', 'restore at most about N keys per second')
    .addHelpText(
      'after',
      `
Keys that exist again are skipped and reported, never replaced; keys whose original expiry moment has
passed ("expired while revoked") are skipped and reported. On a cluster each key goes to the master that
owns its slot now (following MOVED/ASK). Spring Session index entries are added back with SADD.
Exit 0: done (or dry run); 2: bad usage, unreadable backup, store error, or keys the server refused.
--format json: {"tool": {...}, "restore": {"restored", "existing", "expired", "failed", ...}}

Examples:
  $ session-audit restore --backup revoked.jsonl --redis redis://127.0.0.1:6379
  $ session-audit restore --backup revoked.jsonl --redis redis://127.0.0.1:6379 --yes`,
    )
    .action(async (options) => {
      const { runRestore } = await import('./commands/restore.js');
      const { defaultAuditLog } = await import('./revoke/run-state.js');
      const stop = { now: false };
      const progress = await terminalSpinner('connecting…');
      const release = onInterrupt(stop, 'after the batch in flight');
      let result;
      try {
        result = await runRestore({
          connection: connectionArgs(options),
          backup: options.backup,
          yes: options.yes === true,
          ttl: options.ttl,
          auditLog: options.auditLog === false ? false : typeof options.auditLog === 'string' ? options.auditLog : defaultAuditLog(),
          rate: wholeNumber('--rate', options.rate, 1),
          stop,
          onProgress: (done, total) => progress.text(`${n(done)} of ${n(total)} keys`),
        });
      } finally {
        progress.stop();
        release();
      }
      if (options.format === 'json') process.stdout.write(`${JSON.stringify({ tool: { name: 'session-audit', version: VERSION }, restore: result.restore }, null, 2)}\n`);
      else process.stdout.write((await import('./revoke/render.js')).renderRestore(result.restore));
      if (result.restore.failed.count > 0) printError(`restore: the server refused ${n(result.restore.failed.count)} keys (reasons above)`);
      setExit(result.restore.failed.count > 0 ? EXIT_ERROR : EXIT_OK);
    });
}
