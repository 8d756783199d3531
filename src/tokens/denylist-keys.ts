/**
 * The token denylist's key layout and its verdicts, shared by `token revoke` (which writes it),
 * `token verify --denylist` (which reads it, in the main thread and in batch workers) and the README's
 * example for applications. A leaf module: no Redis client is loaded by importing it.
 *
 *   <prefix>jti:<jti>  = revocation time (epoch seconds), PX = the token's remaining life
 *   <prefix>sub:<sub>  = cutoff (epoch seconds): every token of <sub> with iat < cutoff is revoked
 *
 * Default prefix `revoked:`. Values are plain decimal epoch seconds, so an application in any language
 * can compare them with `iat` without parsing anything else.
 */
import { isoTime } from './times.js';
import { quote, safeText } from './verify-errors.js';

export const DEFAULT_DENYLIST_PREFIX = 'revoked:';

export const jtiKey = (prefix: string, jti: string) => `${prefix}jti:${jti}`;
export const subKey = (prefix: string, sub: string) => `${prefix}sub:${sub}`;

/** The key prefixes of the default layout: scan and watch show each as one namespace. */
export const DENYLIST_KEY_PREFIXES = [jtiKey(DEFAULT_DENYLIST_PREFIX, ''), subKey(DEFAULT_DENYLIST_PREFIX, '')];

/** What a valid token offers the denylist check: its jti, sub and iat when they are usable. */
export interface DenylistClaims {
  jti?: string;
  sub?: string;
  iat?: number;
  /** Why the token cannot be checked at all (then it is invalid). */
  problem?: string;
}

/**
 * A token is checkable when its jti is a non-empty string: without one it cannot be revoked alone,
 * so a verifier that relies on the list must refuse it. sub and iat are taken when usable.
 */
export function denylistClaims(claims: Record<string, unknown>): DenylistClaims {
  if (!Object.hasOwn(claims, 'jti')) return { problem: 'no jti: cannot be checked against the denylist' };
  if (typeof claims.jti !== 'string' || claims.jti === '') return { problem: `jti is ${JSON.stringify(claims.jti)}, not a non-empty string: cannot be checked against the denylist` };
  const out: DenylistClaims = { jti: claims.jti };
  if (typeof claims.sub === 'string' && claims.sub !== '') out.sub = claims.sub;
  if (typeof claims.iat === 'number' && Number.isFinite(claims.iat)) out.iat = claims.iat;
  return out;
}

/**
 * The verdict from what Redis said: `listed` (the jti key exists) and `cutoff` (the sub key's value,
 * null when there is none). Undefined: the token passes.
 */
export function denylistVerdict(claims: DenylistClaims, listed: boolean, cutoff: string | null): { reason: string; revoked: boolean } | undefined {
  if (listed) return { reason: `revoked: jti ${quote(claims.jti)} is on the denylist`, revoked: true };
  if (cutoff === null || claims.sub === undefined) return undefined;
  const at = Number(cutoff);
  // A value the tool did not write: fail closed, and say so.
  if (!/^\d+(\.\d+)?$/.test(cutoff.trim()) || !Number.isFinite(at)) return { reason: `the denylist holds '${safeText(cutoff, 30)}' for sub ${quote(claims.sub)}, not a time: cannot be checked`, revoked: false };
  if (claims.iat === undefined) return { reason: `no iat: tokens of sub ${quote(claims.sub)} issued before ${isoTime(at)} are revoked, and this one does not say when it was issued`, revoked: true };
  if (claims.iat < at) return { reason: `revoked: tokens of sub ${quote(claims.sub)} issued before ${isoTime(at)} are revoked (this one: ${isoTime(claims.iat)})`, revoked: true };
  return undefined;
}
