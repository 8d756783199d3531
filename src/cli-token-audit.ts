import type { Command } from 'commander';
import { Option } from 'commander';
import { SEVERITIES } from './model/index.js';
import { durationFlag, emitReport, exitCodeOf, failOnThreshold, printError } from './cli-support.js';
import { InputError, UsageError } from './errors.js';

const AUDIT_FORMATS = ['table', 'json', 'sarif', 'github', 'markdown'] as const;

interface AuditFlags {
  alg?: string;
  maxLifetime: string;
  secret?: string;
  secretFile?: string;
  wordlist?: string;
  showSecret?: boolean;
  now?: string;
  batch?: string;
  secretCheck: 'sample' | 'all';
  format: (typeof AUDIT_FORMATS)[number];
  output?: string;
  failOn: string;
}

/** `session-audit token audit`: offline lint of JWT/JWS/JWE tokens (rules jwt-* and jwe-*). */
export function defineTokenAudit(token: Command, setExit: (code: number) => void): void {
  token
    .command('audit')
    .description('judge a token offline against RFC 8725 and the OWASP JWT cheat sheet: alg, secret, lifetime, claims, header, encoding')
    .argument('[token]', 'the token, or text holding it (Bearer ..., a header line, a URL, JSON); - reads stdin')
    .option('--alg <list>', 'algorithms the verifiers accept, comma-separated (jwt-alg-unexpected), e.g. RS256,ES256')
    .option('--max-lifetime <duration>', 'longest acceptable exp - iat (jwt-long-lifetime)', '24h')
    .option('--secret <value>', 'the HMAC secret the tokens are signed with: judged for length (RFC 7518 §3.2) and against the sample list')
    .option('--secret-file <file>', 'the same, read from a file (one trailing newline is ignored)')
    .option('--wordlist <file>', 'also try each line of this file as the HMAC secret (streamed)')
    .option('--show-secret', 'print a found secret in full (masked by default)')
    .option('--now <time>', 'judge times at this instant: ISO 8601 or seconds since the epoch (default: the clock)')
    .option('--batch <file>', 'audit one token per line of a file, or - for stdin')
    .addOption(
      new Option('--secret-check <mode>', '--batch: search the secret lists for every distinct HS token (all), or for the first 64 of each signer and 1 in 64 after (sample; found secrets are tried on all)')
        .choices(['sample', 'all'])
        .default('sample'),
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(AUDIT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (${SEVERITIES.join('|')}|none)`, 'low')
    .addHelpText(
      'after',
      `
The weak-secret check HMACs each distinct HS256/384/512 token with the built-in sample secrets
(jwt.io's your-256-bit-secret, framework tutorial values, app session samples), the --secret
and the --wordlist; a found secret is shown masked unless --show-secret.

Examples:
  $ session-audit token audit eyJhbGciOi...
  $ pbpaste | session-audit token audit -
  $ session-audit token audit "Authorization: Bearer eyJ..." --alg RS256 --max-lifetime 1h
  $ session-audit token audit --batch tokens.txt --format json --fail-on high
  $ session-audit token audit "$TOKEN" --secret-file jwt.key --wordlist rockyou.txt`,
    )
    .action(async (argument: string | undefined, flags: AuditFlags) => {
      const options = await settingsOf(argument, flags);
      const { runTokenAudit } = await import('./commands/token-audit.js');
      const { report, notes } = await runTokenAudit(options);
      for (const note of notes) printError(`note: ${note}`);
      for (const problem of report.errors) {
        const where = [problem.file, problem.line].filter((part) => part !== null).join(':');
        printError(where ? `${where}: ${problem.message}` : problem.message);
      }
      await emit(report, flags);
      setExit(exitCodeOf(report, flags.failOn));
    });
}

/** Every flag checked before any work starts, so a typo costs nothing. */
async function settingsOf(argument: string | undefined, flags: AuditFlags) {
  failOnThreshold(flags.failOn);
  if (argument !== undefined && flags.batch !== undefined) throw new UsageError('give either a token or --batch, not both');
  if (argument === undefined && flags.batch === undefined) throw new UsageError('give the token as an argument, - to read it from stdin, or --batch FILE');
  if (flags.secret !== undefined && flags.secretFile !== undefined) throw new UsageError('give either --secret or --secret-file, not both');
  const tokenMaxLifetime = await durationFlag('--max-lifetime', flags.maxLifetime, '3600, 1h, 1d');
  const { parseAlgList, parseNow } = await import('./tokens/audit-flags.js');
  const tokenAlgs = flags.alg === undefined ? null : parseAlgList(flags.alg);
  const { statSync } = await import('node:fs');
  const { loadSecret } = await import('./tokens/keys.js');
  const secret = loadSecret(flags);
  if (flags.wordlist !== undefined) {
    let isFile = false;
    try {
      isFile = statSync(flags.wordlist).isFile();
    } catch (error) {
      throw new InputError(`cannot read the wordlist (${(error as NodeJS.ErrnoException).code ?? 'error'})`, flags.wordlist);
    }
    if (!isFile) throw new InputError('the wordlist is not a file', flags.wordlist);
  }
  return {
    token: argument,
    batch: flags.batch,
    now: flags.now === undefined ? Math.floor(Date.now() / 1000) : parseNow(flags.now),
    secret,
    wordlist: flags.wordlist,
    secretCheck: flags.secretCheck,
    ruleOptions: { tokenAlgs, tokenMaxLifetime, tokenShowSecret: flags.showSecret === true },
  };
}

async function emit(report: import('./commands/token-audit.js').TokenAuditReport, flags: AuditFlags): Promise<void> {
  // The table and Markdown of a token audit are its own (token, claims, times); the rest are shared.
  await emitReport(report, flags.format, flags.output, false, async (options) => {
    if (flags.format !== 'table' && flags.format !== 'markdown') return undefined;
    const { renderTokenTable, renderTokenMarkdown } = await import('./tokens/audit-text.js');
    return flags.format === 'table' ? renderTokenTable(report, options) : renderTokenMarkdown(report);
  });
}
