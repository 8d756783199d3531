/**
 * What `token revoke` would write, worked out before anything connects: the denylist key
 * (denylist-keys.ts), its value and how long it must live.
 *
 *   TOKEN        <prefix>jti:<jti> = now, for the token's remaining life (exp - now): the entry goes
 *                when the token would have stopped working anyway. A token without exp never stops
 *                working, so its entry has no TTL unless --ttl says otherwise.
 *   --jti ID     the same without the token: --ttl must say how long the token may still be used.
 *   --user SUB   <prefix>sub:<sub> = the --before cutoff, rounded UP to the second: a token issued in
 *                the same second as the cutoff (iat is whole seconds) is revoked too, never let
 *                through. --ttl: the longest life of a token; without it the entry has no TTL.
 *
 * The token is decoded, not verified: revoking needs no key, and listing a forged token's jti harms
 * nobody. Its signature is never printed and the token never appears in the command line shown.
 */
import { UsageError } from '../errors.js';
import { decodeToken } from './decode.js';
import { jtiKey, subKey } from './denylist-keys.js';
import { isoTime } from './times.js';

export interface RevokeRequest {
  /** A token (already extracted from the input) and where it came from. */
  token?: { raw: string; source: string };
  jti?: string;
  user?: string;
  /** --before, ms since the epoch. */
  beforeMs?: number;
  /** --ttl, seconds; Infinity for `--ttl never` (no TTL, said explicitly). */
  ttlSeconds?: number;
  prefix: string;
  /** The clock, ms since the epoch. */
  nowMs: number;
}

export interface DenylistEntry {
  kind: 'jti' | 'sub';
  /** The jti or sub. */
  id: string;
  key: string;
  /** Epoch seconds: the revocation time (jti) or the cutoff (sub). */
  value: number;
  /** How long the entry must live, ms; null: for ever. */
  ttlMs: number | null;
  /** Set when there is nothing to write: the token has expired already. */
  expiredAt?: number;
  /** Things to tell the user (no TTL, and why). */
  notes: string[];
  /** The arguments that do the same again without the token ("the command that would do it"). */
  replay: string[];
}

export function planRevoke(request: RevokeRequest): DenylistEntry {
  const given = [request.token ? 'TOKEN' : '', request.jti !== undefined ? '--jti' : '', request.user !== undefined ? '--user' : ''].filter(Boolean);
  if (given.length !== 1) throw new UsageError(given.length === 0 ? 'give a TOKEN (or - for stdin), --jti ID, or --user SUB --before TIME' : `give one of TOKEN, --jti, --user (got ${given.join(' and ')})`);
  if (request.user === undefined && request.beforeMs !== undefined) throw new UsageError('--before goes with --user SUB: a jti is revoked whenever it was issued');
  if (request.prefix === '') throw new UsageError('--prefix is empty');
  const nowSeconds = Math.floor(request.nowMs / 1000);
  // undefined: not given; null: `--ttl never`.
  const ttlMs = request.ttlSeconds === undefined ? undefined : request.ttlSeconds === Infinity ? null : Math.ceil(request.ttlSeconds * 1000);
  const ttlArgs = ttlMs === undefined ? [] : ['--ttl', ttlMs === null ? 'never' : `${Math.ceil(ttlMs / 1000)}s`];

  if (request.user !== undefined) {
    if (request.user === '') throw new UsageError('--user is empty');
    if (request.beforeMs === undefined) throw new UsageError('--user SUB needs --before TIME (usually "now"): tokens of SUB issued before it are revoked');
    const cutoff = Math.ceil(request.beforeMs / 1000);
    const notes = ttlMs === undefined ? ['no --ttl: the cutoff stays until deleted; give --ttl with your longest token lifetime so it cleans itself'] : [];
    const replay = ['--user', request.user, '--before', String(cutoff), ...ttlArgs];
    return { kind: 'sub', id: request.user, key: subKey(request.prefix, request.user), value: cutoff, ttlMs: ttlMs ?? null, notes, replay };
  }

  if (request.jti !== undefined) {
    if (request.jti === '') throw new UsageError('--jti is empty');
    if (ttlMs === undefined) throw new UsageError('--jti ID needs --ttl DURATION (how long the token may still be used, e.g. its lifetime: 1h; or "never") so the entry cleans itself; or give the token itself');
    return { kind: 'jti', id: request.jti, key: jtiKey(request.prefix, request.jti), value: nowSeconds, ttlMs, notes: [], replay: ['--jti', request.jti, ...ttlArgs] };
  }

  const { raw, source } = request.token!;
  const token = decodeToken(raw, { source, now: nowSeconds });
  if (token.form === 'jwe') throw new UsageError(`${source}: a JWE: its claims (jti, exp) are encrypted; give --jti ID --ttl DURATION`);
  const claims = token.payload;
  if (!claims) throw new UsageError(`${source}: the payload is not a JSON object: no jti to revoke`);
  const sub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  if (typeof claims.jti !== 'string' || claims.jti === '') {
    throw new UsageError(`${source}: the token has no jti, so it cannot be revoked alone${sub ? `; revoke every token of its subject with --user ${JSON.stringify(sub)} --before now` : ''}`);
  }
  const jti = claims.jti;
  const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp : undefined;
  const base = { kind: 'jti' as const, id: jti, key: jtiKey(request.prefix, jti), value: nowSeconds };
  if (exp === undefined) {
    const notes = ttlMs === undefined ? ['the token has no exp, so it never stops working: its entry has no TTL (give --ttl to limit it)'] : [];
    return { ...base, ttlMs: ttlMs ?? null, notes, replay: ['--jti', jti, '--ttl', ttlMs === undefined || ttlMs === null ? 'never' : `${Math.ceil(ttlMs / 1000)}s`] };
  }
  if (ttlMs !== undefined) throw new UsageError(`--ttl: the token's exp (${isoTime(exp)}) sets how long its entry lives`);
  const remainingMs = Math.ceil(exp * 1000 - request.nowMs);
  if (remainingMs <= 0) return { ...base, ttlMs: 0, expiredAt: exp, notes: [`the token expired at ${isoTime(exp)}: it is refused already, nothing to write`], replay: [] };
  return { ...base, ttlMs: remainingMs, notes: [], replay: ['--jti', jti, '--ttl', `${Math.ceil(remainingMs / 1000)}s`] };
}
