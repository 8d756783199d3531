import { Option, type Command } from 'commander';
import { connectionArgs, parseTime, withConnection } from './cli-connection.js';
import { printError } from './cli-support.js';
import { UsageError } from './errors.js';
import { VERSION } from './version.js';

/** `session-audit token revoke`: put a token (or a subject's older tokens) on the Redis denylist. Dry run unless --yes. */
export function defineTokenRevoke(token: Command, setExit: (code: number) => void): void {
  withConnection(
    token
      .command('revoke')
      .description('put a token, or every token of a user issued before a time, on a Redis denylist: dry run by default, --yes writes')
      .argument('[token]', 'the token to revoke, or - to read it from stdin (decoded, not verified: no key needed)'),
  )
    .option('--jti <id>', 'revoke this jti without the token (needs --ttl)')
    .option('--user <sub>', 'revoke every token of this subject (sub) issued before --before')
    .option('--before <time>', 'with --user: the cutoff, "now", ISO 8601 or epoch seconds')
    .option('--ttl <duration>', 'how long the entry lives: with --jti, the token\'s remaining life; with --user, your longest token lifetime; "never" for no TTL')
    .option('--prefix <prefix>', 'denylist key prefix: <prefix>jti:<jti>, <prefix>sub:<sub> (default: revoked:)')
    .option('-y, --yes', 'really write (without it: a dry run that changes nothing)')
    .option('--audit-log <file>', 'append one JSON line per write here (default: $XDG_STATE_HOME/session-audit/audit.log)')
    .option('--no-audit-log', 'do not write the audit log')
    .option('--now <time>', 'the time to judge exp and "now" by (ISO 8601 or epoch seconds); default the clock')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Writes one key, the way applications check revocation:
  revoked:jti:<jti> = revocation time, with a TTL of the token's remaining life (exp - now), so the
                      list cleans itself; a token without exp gets no TTL unless --ttl says so
  revoked:sub:<sub> = cutoff (epoch seconds): tokens of <sub> with iat < cutoff are revoked
An entry is only ever raised: a later cutoff or a longer TTL already there is kept.
"session-audit token verify --denylist URL" honours both; the README shows an application's check.
Without --yes it connects read-only, shows the entry now and what would be written, and the command.
The token is never printed: the command shown names its jti.

ACL for a token revoke user: +eval +get +pttl +set on the denylist keys (~revoked:*).

Examples:
  $ session-audit token revoke "$TOKEN" --redis redis://127.0.0.1:6379
  $ session-audit token revoke - --redis redis://127.0.0.1:6379 --yes < leaked-token.txt
  $ session-audit token revoke --jti 3f9c2e --ttl 1h --redis redis://127.0.0.1:6379 --yes
  $ session-audit token revoke --user alice --before now --ttl 1d --redis redis://127.0.0.1:6379 --yes`,
    )
    .action(async (argument: string | undefined, options) => {
      const { parseNow } = await import('./tokens/times.js');
      const { runTokenRevoke } = await import('./commands/token-revoke.js');
      const { renderTokenRevoke } = await import('./tokens/render-revoke.js');
      const { defaultAuditLog } = await import('./revoke/run-state.js');
      const nowMs = options.now !== undefined ? parseNow(options.now) * 1000 : Date.now();
      const args = process.argv.slice(process.argv.indexOf('revoke') + 1);
      const result = await runTokenRevoke({
        token: argument,
        jti: options.jti,
        user: options.user,
        beforeMs: options.before !== undefined ? parseTime('--before', options.before, nowMs) : undefined,
        ttlSeconds: options.ttl === undefined ? undefined : await ttlFlag(options.ttl),
        prefix: options.prefix,
        connection: connectionArgs(options),
        yes: options.yes === true,
        auditLog: options.auditLog === false ? false : typeof options.auditLog === 'string' ? options.auditLog : defaultAuditLog(),
        args,
        nowMs,
        note: (line) => printError(`note: ${line}`),
      });
      if (options.format === 'json') process.stdout.write(`${JSON.stringify({ tool: { name: 'session-audit', version: VERSION }, revoke: result.revoke }, null, 2)}\n`);
      else process.stdout.write(renderTokenRevoke(result.revoke, nowMs));
      setExit(result.exitCode);
    });
}

/** --ttl: a duration, or "never" for an entry without a TTL. */
async function ttlFlag(value: string): Promise<number> {
  if (value.trim() === 'never') return Infinity;
  const { parseDuration } = await import('./util/duration.js');
  const seconds = parseDuration(value);
  if (seconds === undefined || !(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--ttl ${value}: not a duration (use e.g. 90s, 15m, 1h, 2d, or never for no TTL)`);
  return seconds;
}
