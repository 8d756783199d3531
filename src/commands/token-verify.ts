/**
 * `session-audit token verify [TOKEN|-] [--batch FILE|-]`: check a token's signature (a secret, a public
 * key, a JWKS file or URL, or an OIDC issuer's published keys) and its claims, optionally against a
 * Redis denylist of revoked jti. Valid: exit 0 and the claims. Invalid: exit 1 and ONE line saying why.
 * Bad arguments, unreadable keys, unreachable JWKS / discovery / denylist: UsageError / InputError (2).
 */
import { UsageError } from '../errors.js';
import type { Denylist } from '../tokens/denylist.js';
import { readOneToken } from '../tokens/input.js';
import { HMAC_ALGORITHMS, JWS_ALGORITHMS, loadSecret, loadVerifyKeyFile, secretVerifyKey } from '../tokens/keys.js';
import { chalkFor, prettyJson, safeJson, timeLines } from '../tokens/render-token.js';
import { isoTime, parseDurationOption, parseNow, tokenTimes } from '../tokens/times.js';
import type { BatchSummary } from '../tokens/verify-batch.js';
import { quote, safeText } from '../tokens/verify-errors.js';
import { JWE_REASON } from '../tokens/verify-lines.js';
import type { KeySource, VerifyOutcome, VerifyPolicy } from '../tokens/verify.js';

export interface TokenVerifyOptions {
  token?: string;
  batch?: string;
  format: 'text' | 'json';
  secret?: string;
  secretFile?: string;
  key?: string;
  jwks?: string;
  issuer?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  sub?: string;
  maxAge?: string;
  clockTolerance?: string;
  require?: string;
  now?: string;
  denylist?: string;
  denylistPrefix?: string;
  /** JWKS / discovery fetch timeout (duration). */
  timeout?: string;
  /** --batch worker threads (default: one per core). */
  threads?: number;
  color?: boolean;
  /** stdout. */
  write: (text: string) => Promise<void>;
  /** One line on stderr (the CLI prefixes "session-audit: "). */
  stderr: (message: string) => void;
}

export interface TokenVerifyResult {
  exitCode: number;
  outcome?: VerifyOutcome;
  summary?: BatchSummary;
}

/** "a, b,c" -> ["a", "b", "c"]; an empty item is a usage error. */
export function splitList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new UsageError(`${flag} ${value}: an empty item in the comma-separated list`);
  return items;
}

const KEY_FLAGS = ['--secret', '--secret-file', '--key', '--jwks', '--issuer'] as const;

interface Checked {
  alg?: string[];
  iss?: string[];
  aud?: string[];
  require?: string[];
  maxAge?: number;
  clockTolerance: number;
  now: number;
  timeoutMs: number;
}

/** Every argument that can be checked without touching a file or the network. */
function checkArguments(options: TokenVerifyOptions): Checked {
  if (options.batch !== undefined && options.token !== undefined) throw new UsageError('give a token or --batch FILE, not both');
  const given = KEY_FLAGS.filter((_, i) => [options.secret, options.secretFile, options.key, options.jwks, options.issuer][i] !== undefined);
  if (given.length === 0) throw new UsageError('give the key to verify with: one of --secret, --secret-file, --key, --jwks, --issuer');
  if (given.length > 1) throw new UsageError(`give one key source, not ${given.join(' and ')}`);
  const alg = splitList('--alg', options.alg);
  if (alg) checkAlgorithms(alg, options);
  const iss = splitList('--iss', options.iss);
  if (options.issuer !== undefined && iss && !(iss.length === 1 && iss[0] === options.issuer)) {
    throw new UsageError(`--iss ${options.iss} and --issuer ${options.issuer} disagree (--issuer already checks iss)`);
  }
  if (options.denylistPrefix !== undefined && options.denylist === undefined) throw new UsageError('--denylist-prefix needs --denylist redis://...');
  if (options.denylistPrefix === '') throw new UsageError('--denylist-prefix is empty');
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 0 && options.threads <= 64)) {
    throw new UsageError('--threads must be a whole number from 0 to 64');
  }
  const timeout = options.timeout === undefined ? 5 : parseDurationOption('--timeout', options.timeout);
  return {
    alg,
    iss: options.issuer !== undefined ? [options.issuer] : iss,
    aud: splitList('--aud', options.aud),
    require: splitList('--require', options.require),
    maxAge: options.maxAge === undefined ? undefined : parseDurationOption('--max-age', options.maxAge),
    clockTolerance: options.clockTolerance === undefined ? 0 : parseDurationOption('--clock-tolerance', options.clockTolerance, true),
    now: parseNow(options.now),
    timeoutMs: Math.max(1, Math.round(timeout * 1000)),
  };
}

/** --alg names real JWS algorithms, never "none", and only what the kind of key given can verify. */
function checkAlgorithms(alg: string[], options: TokenVerifyOptions): void {
  for (const item of alg) {
    if (item.toLowerCase() === 'none') throw new UsageError('--alg none: an unsigned token is never valid; "none" cannot be allowed');
    if (!(JWS_ALGORITHMS as readonly string[]).includes(item)) {
      const near = JWS_ALGORITHMS.find((known) => known.toLowerCase() === item.toLowerCase());
      throw new UsageError(`--alg ${item}: not a JWS algorithm${near ? ` (did you mean ${near}?)` : ` (known: ${JWS_ALGORITHMS.join(', ')})`}`);
    }
  }
  const hmac = alg.filter((item) => (HMAC_ALGORITHMS as readonly string[]).includes(item));
  if ((options.secret !== undefined || options.secretFile !== undefined) && hmac.length < alg.length) {
    throw new UsageError(`--alg ${alg.filter((item) => !hmac.includes(item)).join(',')}: a secret verifies HS256, HS384, HS512 only`);
  }
  if ((options.jwks !== undefined || options.issuer !== undefined) && hmac.length > 0) {
    throw new UsageError(`--alg ${hmac.join(',')}: an HMAC token cannot be verified with a JWKS (give --secret)`);
  }
}

async function loadSource(options: TokenVerifyOptions, timeoutMs: number): Promise<KeySource> {
  if (options.secret !== undefined || options.secretFile !== undefined) return secretVerifyKey(loadSecret(options)!);
  const { checkJwks, discoverJwks, loadJwks } = await import('../tokens/jwks.js');
  if (options.key !== undefined) {
    const loaded = loadVerifyKeyFile(options.key);
    if (loaded.kind !== 'jwks') return loaded;
    return { kind: 'jwks', jwks: checkJwks(loaded.jwks, `--key ${options.key}`), label: loaded.label };
  }
  if (options.jwks !== undefined) {
    const { jwks, source } = await loadJwks(options.jwks, timeoutMs);
    return { kind: 'jwks', jwks, label: `the JWKS at ${source}` };
  }
  const { jwks, source } = await discoverJwks(options.issuer!, timeoutMs);
  return { kind: 'jwks', jwks, label: `the JWKS at ${source}` };
}

export async function runTokenVerify(options: TokenVerifyOptions): Promise<TokenVerifyResult> {
  const checked = checkArguments(options);
  const source = await loadSource(options, checked.timeoutMs);
  const { buildPolicy, createVerifier } = await import('../tokens/verify.js');
  const policy = buildPolicy(source, {
    alg: checked.alg,
    iss: checked.iss,
    issuerFlag: options.issuer !== undefined ? '--issuer' : '--iss',
    aud: checked.aud,
    sub: options.sub,
    maxAge: checked.maxAge,
    clockTolerance: checked.clockTolerance,
    require: checked.require,
    now: checked.now,
  });
  let denylist: Denylist | undefined;
  if (options.denylist !== undefined) {
    const { openDenylist, DEFAULT_DENYLIST_PREFIX } = await import('../tokens/denylist.js');
    denylist = await openDenylist(options.denylist, options.denylistPrefix ?? DEFAULT_DENYLIST_PREFIX);
  }
  try {
    if (options.batch !== undefined) {
      const { verifyBatch } = await import('../tokens/verify-batch.js');
      const summary = await verifyBatch({ file: options.batch, source, policy, denylist, write: options.write, threads: options.threads });
      await options.write(`${JSON.stringify({ summary })}\n`);
      return { exitCode: summary.invalid > 0 || summary.noToken > 0 ? 1 : 0, summary };
    }
    const { token, others } = await readOneToken(options.token);
    if (others > 0) options.stderr(`note: the input holds ${others} more token${others === 1 ? '' : 's'}; verifying the first (use --batch to verify one per line)`);
    const verifier = createVerifier(source, policy);
    let outcome: VerifyOutcome = token.raw.split('.').length === 5 ? { valid: false, header: null, reason: JWE_REASON, code: 'JWE' } : await verifier.verify(token.raw);
    if (outcome.valid && denylist) outcome = await checkDenylist(outcome, denylist);
    await report(token.source, outcome, policy, denylist, options);
    return { exitCode: outcome.valid ? 0 : 1, outcome };
  } finally {
    await denylist?.close();
  }
}

async function checkDenylist(outcome: VerifyOutcome & { valid: true }, denylist: Denylist): Promise<VerifyOutcome> {
  const { denylistClaims } = await import('../tokens/denylist-keys.js');
  const claims = denylistClaims(outcome.claims);
  if (claims.problem) return { valid: false, header: outcome.header, reason: claims.problem, code: 'DENYLIST' };
  const [verdict] = await denylist.check([claims]);
  return verdict ? { valid: false, header: outcome.header, reason: verdict.reason, code: verdict.revoked ? 'REVOKED' : 'DENYLIST' } : outcome;
}

async function report(source: string, outcome: VerifyOutcome, policy: VerifyPolicy, denylist: Denylist | undefined, options: TokenVerifyOptions): Promise<void> {
  if (!outcome.valid) {
    if (options.format === 'json') await options.write(`${safeJson({ source, valid: false, reason: outcome.reason }, 2)}\n`);
    options.stderr(`invalid token: ${outcome.reason}`);
    return;
  }
  const times = tokenTimes(outcome.claims, policy.now);
  const alg = outcome.header.alg as string;
  if (options.format === 'json') {
    const json: Record<string, unknown> = { source, valid: true, alg, key: outcome.key, header: outcome.header, claims: outcome.claims, times };
    if (denylist) json.denylist = { source: denylist.source, revoked: false };
    json.now = isoTime(policy.now);
    await options.write(`${safeJson(json, 2)}\n`);
    return;
  }
  const chalk = chalkFor(options.color === true);
  const lines = [`${chalk.green.bold('valid')}  ${safeText(String(alg), 40)} signature matches ${outcome.key}`];
  if (denylist) {
    const sub = typeof outcome.claims.sub === 'string' ? ` nor issued before a cutoff for sub ${quote(outcome.claims.sub)}` : '';
    lines.push(`       jti ${quote(outcome.claims.jti)} is not on the denylist ${denylist.source}${sub}`);
  }
  lines.push(chalk.bold('Claims'), prettyJson(outcome.claims, chalk));
  const timeText = timeLines(times, chalk);
  if (timeText.length > 0) lines.push(`${chalk.bold('Times')} ${chalk.dim(`(now ${isoTime(policy.now)})`)}`, ...timeText);
  await options.write(`${lines.join('\n')}\n`);
}
