/**
 * Why a token is not valid, in ONE line and in the user's terms, from jose's error codes (and the
 * same errors raised by the fast path in verify-fast.ts, so both paths say exactly the same thing):
 *   "signature does not match the key with kid 'abc'", "expired 2025-11-03T10:00:00Z, 3 days ago",
 *   "aud is 'web', expected 'api'", "alg HS256 is not allowed (allowed: RS256)"...
 * The header and claims quoted here are the token's own (attacker-controlled) text: values are
 * shortened and control characters escaped so one token can never print more than one line.
 */
import { formatDuration } from '../util/duration.js';
import { isoTime, relativeTime } from './times.js';

export interface VerifyPolicy {
  /** The allow-list actually applied: --alg, or the algorithms the key fits. */
  algorithms: string[];
  /** True when --alg narrowed it (messages then name --alg). */
  algorithmsGiven?: boolean;
  issuer?: string[];
  audience?: string[];
  subject?: string;
  /** Seconds (--max-age). */
  maxTokenAge?: number;
  /** Seconds (--clock-tolerance). */
  clockTolerance: number;
  /** --require. */
  requiredClaims: string[];
  /** Seconds since the epoch: the time the token is judged at. */
  now: number;
  /** Where --iss came from, for "missing" messages: "--iss" or "--issuer". */
  issuerFlag?: string;
}

export interface JwksKeyInfo {
  kid?: string;
  kty?: string;
  alg?: string;
  crv?: string;
  use?: string;
}

export interface FailureContext {
  /** The token's protected header when it parses. */
  header: Record<string, unknown> | null;
  policy: VerifyPolicy;
  /** What verified or failed: "the secret", "the key in pub.pem", "the key with kid 'abc'". */
  keyLabel: string;
  /** The key source as a whole: "the secret", "the key in pub.pem", "the JWKS at https://...". */
  sourceLabel: string;
  /** With a JWKS: its keys, to say which kids exist. */
  jwksKeys?: JwksKeyInfo[];
}

interface JoseLikeError {
  code?: string;
  message?: string;
  claim?: string;
  reason?: string;
  payload?: Record<string, unknown>;
}

const MAX_QUOTED = 80;

/** A token-supplied string made safe for one line: escaped controls, bounded length. */
export function safeText(text: string, max = MAX_QUOTED): string {
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/** 'web', ['web', 'admin'], 42, null: how a claim value is quoted in a reason. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return `'${safeText(value)}'`;
  if (Array.isArray(value)) return `[${value.slice(0, 5).map(quote).join(', ')}${value.length > 5 ? `, … ${value.length - 5} more` : ''}]`;
  if (value === undefined) return 'absent';
  return safeText(JSON.stringify(value) ?? String(value));
}

function expected(values: string[]): string {
  return values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`;
}

function toleranceNote(policy: VerifyPolicy): string {
  return policy.clockTolerance > 0 ? ` (beyond the ${formatDuration(policy.clockTolerance)} clock tolerance)` : '';
}

function requiredBy(claim: string, policy: VerifyPolicy): string {
  if (claim === 'iss' && policy.issuer) return policy.issuerFlag ?? '--iss';
  if (claim === 'aud' && policy.audience) return '--aud';
  if (claim === 'sub' && policy.subject !== undefined) return '--sub';
  if (claim === 'iat' && policy.maxTokenAge !== undefined && !policy.requiredClaims.includes('iat')) return '--max-age';
  return '--require';
}

/** The "alg" of a header, quoted for a message. */
function algOf(header: Record<string, unknown> | null): string {
  const alg = header?.alg;
  return typeof alg === 'string' ? safeText(alg, 40) : quote(alg);
}

function kidOf(header: Record<string, unknown> | null): string | undefined {
  return typeof header?.kid === 'string' ? header.kid : undefined;
}

function listKids(keys: JwksKeyInfo[]): string {
  const kids = keys.map((key) => key.kid).filter((kid): kid is string => kid !== undefined);
  if (kids.length === 0) return 'its keys have no kid';
  const shown = kids.slice(0, 10).map((kid) => safeText(kid, 40)).join(', ');
  return `kids: ${shown}${kids.length > 10 ? `, … ${kids.length - 10} more` : ''}`;
}

function keyKind(key: JwksKeyInfo): string {
  return [key.kty ?? 'no kty', key.crv, key.alg ? `alg ${key.alg}` : undefined, key.use && key.use !== 'sig' ? `use ${key.use}` : undefined].filter(Boolean).join(', ');
}

function claimFailure(error: JoseLikeError, context: FailureContext): string {
  const { policy } = context;
  const claims = error.payload ?? {};
  const claim = error.claim ?? 'unspecified';
  const value = claims[claim];
  if (error.reason === 'missing') return `missing "${safeText(claim, 40)}" claim (required by ${requiredBy(claim, policy)})`;
  if (error.reason === 'invalid') return `"${claim}" is not a number: ${quote(value)} (a NumericDate is seconds since the epoch)`;
  switch (claim) {
    case 'exp':
      return `expired ${isoTime(value as number)}, ${relativeTime(value as number, policy.now)}${toleranceNote(policy)}`;
    case 'nbf':
      return `not valid before ${isoTime(value as number)}, ${relativeTime(value as number, policy.now)}${toleranceNote(policy)}`;
    case 'iat':
      if ((value as number) > policy.now) return `issued in the future: ${isoTime(value as number)}, ${relativeTime(value as number, policy.now)}${toleranceNote(policy)}`;
      return `too old: issued ${isoTime(value as number)}, ${relativeTime(value as number, policy.now)}, more than --max-age ${formatDuration(policy.maxTokenAge ?? 0)}${toleranceNote(policy)}`;
    case 'iss':
      return `iss is ${quote(value)}, expected ${expected(policy.issuer ?? [])}`;
    case 'aud':
      return `aud is ${quote(value)}, expected ${expected(policy.audience ?? [])}`;
    case 'sub':
      return `sub is ${quote(value)}, expected ${quote(policy.subject)}`;
    default:
      return `claim "${safeText(claim, 40)}" failed: ${safeText(error.message ?? 'check failed')}`;
  }
}

function noMatchingKey(context: FailureContext): string {
  const alg = algOf(context.header);
  const kid = kidOf(context.header);
  const keys = context.jwksKeys ?? [];
  if (kid !== undefined) {
    const same = keys.filter((key) => key.kid === kid);
    if (same.length === 0) return `no key in the JWKS has kid '${safeText(kid, 40)}' (${listKids(keys)})`;
    return `the JWKS key with kid '${safeText(kid, 40)}' cannot verify ${alg} (it is ${same.map(keyKind).join('; ')})`;
  }
  return `no key in the JWKS can verify ${alg}, and the token has no kid (the JWKS has ${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.map((key) => (key.kid ? `kid '${safeText(key.kid, 40)}' ${keyKind(key)}` : keyKind(key))).join('; ')})`;
}

function malformed(message: string): string {
  if (message === 'JWS Protected Header is invalid') return 'malformed: the header is not a UTF-8 JSON object';
  if (message === 'Invalid Compact JWS') return 'malformed: not header.payload.signature';
  const decode = /^Failed to base64url decode the (\w+)$/.exec(message);
  if (decode) return `malformed: the ${decode[1]} is not base64url`;
  if (/must be a top-level JSON object/.test(message)) return 'malformed: the payload is not a JSON object (a JWT claims set)';
  if (/unencoded payload/.test(message)) return 'malformed: an unencoded payload (b64: false) is not allowed in a JWT';
  if (/"alg" \(Algorithm\) Header Parameter missing or invalid/.test(message)) return 'malformed: the header has no usable "alg"';
  return `malformed: ${safeText(message, 160)}`;
}

/**
 * The one-line reason for a verification failure, or undefined when the error is not about the token
 * (a bug, or an operational failure the caller must report as such).
 */
export function describeFailure(error: unknown, context: FailureContext): string | undefined {
  const e = (error ?? {}) as JoseLikeError;
  const message = e.message ?? '';
  const alg = algOf(context.header);
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimFailure(e, context);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return `signature does not match ${context.keyLabel}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED': {
      const list = context.policy.algorithms.join(', ');
      const allowed = context.policy.algorithmsGiven ? `allowed: ${list}` : `allowed: ${list}, the ones ${context.sourceLabel} can verify`;
      if (typeof context.header?.alg === 'string' && context.header.alg.toLowerCase() === 'none') return `alg ${alg} (an unsigned token) is never accepted (${allowed})`;
      return `alg ${alg} is not allowed (${allowed})`;
    }
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return noMatchingKey(context);
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return `several JWKS keys can verify ${alg} and the token has no kid to choose one`;
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return malformed(message);
    case 'ERR_JOSE_NOT_SUPPORTED': {
      const crit = /Extension Header Parameter "(.*)" is not recognized/.exec(message);
      if (crit) return `crit names "${safeText(crit[1], 40)}", an extension this verifier does not understand (RFC 7515 §4.1.11: the token must be rejected)`;
      if (/JSON Web Key Set/.test(message)) return `alg ${alg} cannot be verified with a JWKS (it publishes public keys only)`;
      if (/is not supported/.test(message)) return `alg ${alg} is not supported`;
      return `not supported: ${safeText(message, 160)}`;
    }
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
      return `${context.keyLabel} is not usable: ${safeText(message, 160)}`;
    default:
      break;
  }
  // Key/algorithm mismatches surface as TypeError (jose) or DOMException/DataError (WebCrypto).
  if (/modulusLength to be 2048 bits or larger/.test(message)) return `${context.keyLabel} is an RSA key under 2048 bits, which ${alg} must not use (RFC 7518 §3.3)`;
  const name = (error as { name?: string })?.name;
  if (error instanceof TypeError || name === 'DataError' || name === 'NotSupportedError' || name === 'InvalidAccessError') {
    return `${context.keyLabel} cannot verify alg ${alg} (${safeText(message.split('\n')[0], 120)})`;
  }
  return undefined;
}
