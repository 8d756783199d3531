/**
 * The fast path of `token verify` for a fixed key (an HMAC secret or one public key): node:crypto
 * directly, synchronously, with the key imported once, instead of jose's per-token async WebCrypto
 * path (which re-imports an HMAC secret for every token). It gives the SAME results as jose's
 * jwtVerify, claim checks included: it follows jose's order of checks and raises jose's own error
 * classes, and it hands anything unusual back to jose (returns undefined): a `crit` or `b64` header,
 * a header that does not parse, segments that are not plain base64url. test/tokens/verify-fast.test.ts
 * checks the equivalence on generated and mutated tokens. It never loads jose itself.
 */
import { constants, createHmac, createSecretKey, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { VerifyKey } from './keys.js';
import type { VerifyPolicy } from './verify-errors.js';

/**
 * The errors jose raises, with the same `code`, `claim`, `reason` and `payload` (all that
 * verify-errors.ts reads), so a fast-path failure reads exactly like jose's. Defined here so that the
 * fast path never loads jose: a batch of plain tokens is judged without it.
 */
export class FastJoseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly payload?: Record<string, unknown>,
    readonly claim?: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

const algNotAllowed = () => new FastJoseError('ERR_JOSE_ALG_NOT_ALLOWED', '"alg" (Algorithm) Header Parameter value not allowed');
const signatureFailed = () => new FastJoseError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
const jwtInvalid = (message: string) => new FastJoseError('ERR_JWT_INVALID', message);
const claimFailed = (message: string, payload: Record<string, unknown>, claim: string, reason: string) => new FastJoseError('ERR_JWT_CLAIM_VALIDATION_FAILED', message, payload, claim, reason);
const expired = (message: string, payload: Record<string, unknown>, claim: string, reason: string) => new FastJoseError('ERR_JWT_EXPIRED', message, payload, claim, reason);

type SignatureCheck = (data: Buffer, signature: Buffer) => boolean;

const SEGMENT = /^[A-Za-z0-9_-]*$/;
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function hmacCheck(hash: string, secret: KeyObject): SignatureCheck {
  return (data, signature) => {
    const mac = createHmac(hash, secret).update(data).digest();
    return signature.length === mac.length && timingSafeEqual(mac, signature);
  };
}

/** One check per algorithm the key can verify; jose's WebCrypto parameters, as node:crypto options. */
export function signatureChecks(key: VerifyKey): Map<string, SignatureCheck> {
  const checks = new Map<string, SignatureCheck>();
  if (key.kind === 'secret') {
    const secret = createSecretKey(key.secret);
    for (const bits of [256, 384, 512]) checks.set(`HS${bits}`, hmacCheck(`sha${bits}`, secret));
    return checks;
  }
  const publicKey = key.key;
  for (const alg of key.algorithms) {
    const bits = alg.slice(2);
    if (alg.startsWith('RS')) checks.set(alg, (data, signature) => cryptoVerify(`sha${bits}`, data, publicKey, signature));
    else if (alg.startsWith('PS')) {
      // jose: RSA-PSS with the salt length equal to the hash length (RFC 7518 §3.5).
      const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 };
      checks.set(alg, (data, signature) => cryptoVerify(`sha${bits}`, data, options, signature));
    } else if (alg.startsWith('ES')) {
      // JWS ECDSA signatures are r || s (IEEE P1363), not DER.
      const options = { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
      checks.set(alg, (data, signature) => cryptoVerify(`sha${bits}`, data, options, signature));
    } else if (alg === 'EdDSA' || alg === 'Ed25519') checks.set(alg, (data, signature) => cryptoVerify(null, data, publicKey, signature));
  }
  return checks;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/** The protected header as jose reads it, or undefined when jose would reject it (left to jose to say how). */
export function parseHeaderLikeJose(segment: string): Record<string, unknown> | undefined {
  return parseHeader(segment);
}

function parseHeader(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(strictDecoder.decode(Buffer.from(segment, 'base64url')));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** jose's validateClaimsSet (jose/dist/webapi/lib/jwt_claims_set.js), same order, same errors. */
export function validateClaimsLikeJose(payload: Buffer, policy: VerifyPolicy): Record<string, unknown> {
  let claims: unknown;
  try {
    claims = JSON.parse(strictDecoder.decode(payload));
  } catch {
    throw jwtInvalid('JWT Claims Set must be a top-level JSON object');
  }
  if (!isPlainObject(claims)) throw jwtInvalid('JWT Claims Set must be a top-level JSON object');
  const failed = (message: string, claim: string, reason: string) => claimFailed(message, claims as Record<string, unknown>, claim, reason);
  const presence = [...policy.requiredClaims];
  if (policy.maxTokenAge !== undefined) presence.push('iat');
  if (policy.audience !== undefined) presence.push('aud');
  if (policy.subject !== undefined) presence.push('sub');
  if (policy.issuer !== undefined) presence.push('iss');
  for (const claim of new Set(presence.reverse())) {
    if (!Object.hasOwn(claims, claim)) throw failed(`missing required "${claim}" claim`, claim, 'missing');
  }
  if (policy.issuer !== undefined && !policy.issuer.includes(claims.iss as string)) throw failed('unexpected "iss" claim value', 'iss', 'check_failed');
  if (policy.subject !== undefined && claims.sub !== policy.subject) throw failed('unexpected "sub" claim value', 'sub', 'check_failed');
  if (policy.audience !== undefined && !audiencePresent(claims.aud, policy.audience)) throw failed('unexpected "aud" claim value', 'aud', 'check_failed');
  const tolerance = policy.clockTolerance;
  const now = policy.now;
  const numeric = (claim: string, required: boolean): number | undefined => {
    const value = (claims as Record<string, unknown>)[claim];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'number') throw failed(`"${claim}" claim must be a number`, claim, 'invalid');
    return value;
  };
  const iat = numeric('iat', policy.maxTokenAge !== undefined);
  const nbf = numeric('nbf', false);
  if (nbf !== undefined && nbf > now + tolerance) throw failed('"nbf" claim timestamp check failed', 'nbf', 'check_failed');
  const exp = numeric('exp', false);
  if (exp !== undefined && exp <= now - tolerance) throw expired('"exp" claim timestamp check failed', claims, 'exp', 'check_failed');
  if (policy.maxTokenAge !== undefined) {
    const age = now - (iat as number);
    if (age - tolerance > policy.maxTokenAge) throw expired('"iat" claim timestamp check failed (too far in the past)', claims, 'iat', 'check_failed');
    if (age < -tolerance) throw failed('"iat" claim timestamp check failed (it should be in the past)', 'iat', 'check_failed');
  }
  return claims;
}

function audiencePresent(aud: unknown, expected: string[]): boolean {
  if (typeof aud === 'string') return expected.includes(aud);
  if (Array.isArray(aud)) return expected.some((value) => aud.includes(value));
  return false;
}

export type FastResult =
  | { valid: true; header: Record<string, unknown>; claims: Record<string, unknown> }
  | { valid: false; header: Record<string, unknown>; error: Error };

/**
 * A verifier for one fixed key. `verify` returns undefined for what it leaves to jose; otherwise the
 * result jose would give (its error object on failure).
 */
export function createFastVerifier(key: VerifyKey, policy: VerifyPolicy): (raw: string) => FastResult | undefined {
  const checks = signatureChecks(key);
  const allowed = new Set(policy.algorithms);
  const headers = new Map<string, Record<string, unknown> | undefined>();
  return (raw) => {
    const first = raw.indexOf('.');
    const second = raw.indexOf('.', first + 1);
    if (first < 0 || second < 0 || raw.indexOf('.', second + 1) >= 0) return undefined;
    const headerText = raw.slice(0, first);
    const payloadText = raw.slice(first + 1, second);
    const signatureText = raw.slice(second + 1);
    for (const segment of [headerText, payloadText, signatureText]) {
      // atob (jose's decoder on Node 20) rejects a length of 4n+1; Buffer would decode it: leave it to jose.
      if (segment.length % 4 === 1 || !SEGMENT.test(segment)) return undefined;
    }
    // A batch repeats a handful of headers: parse each once (frozen, as it is shared by the results).
    let header = headers.get(headerText);
    if (header === undefined) {
      header = parseHeader(headerText);
      if (header) Object.freeze(header);
      if (headers.size >= 256) headers.clear();
      headers.set(headerText, header);
    }
    if (!header || Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64')) return undefined;
    const alg = header.alg;
    if (typeof alg !== 'string' || alg === '') return undefined;
    if (!allowed.has(alg)) return { valid: false, header, error: algNotAllowed() };
    const check = checks.get(alg);
    if (!check) return undefined;
    const signingInput = Buffer.from(raw.slice(0, second), 'latin1');
    if (!check(signingInput, Buffer.from(signatureText, 'base64url'))) return { valid: false, header, error: signatureFailed() };
    try {
      return { valid: true, header, claims: validateClaimsLikeJose(Buffer.from(payloadText, 'base64url'), policy) };
    } catch (error) {
      return { valid: false, header, error: error as Error };
    }
  };
}
