/**
 * Verifying one token: the signature (a secret, one public key, or a JWKS), then the claims, with
 * jose (imported on first use only), plus the node:crypto fast path of verify-fast.ts for a fixed key,
 * which judges plain tokens without loading jose at all. Every failure becomes ONE line in the user's terms
 * (verify-errors.ts); anything that is not about the token (a bug) is rethrown.
 */
import type * as Jose from 'jose';
import { UsageError } from '../errors.js';
import { decodeBase64url } from './base64url.js';
import { HMAC_ALGORITHMS, JWS_ALGORITHMS, PUBLIC_KEY_ALGORITHMS, type VerifyKey } from './keys.js';
import type { Jwks } from './jwks.js';
import { createFastVerifier, parseHeaderLikeJose, type FastResult } from './verify-fast.js';
import { describeFailure, safeText, type FailureContext, type JwksKeyInfo, type VerifyPolicy } from './verify-errors.js';

export type { VerifyPolicy } from './verify-errors.js';

/** Where the keys come from. */
export type KeySource = VerifyKey | { kind: 'jwks'; jwks: Jwks; label: string };

export type VerifyOutcome =
  | { valid: true; header: Record<string, unknown>; claims: Record<string, unknown>; key: string }
  | { valid: false; header: Record<string, unknown> | null; reason: string; code: string };

export interface PolicyOptions {
  /** --alg, split on commas. */
  alg?: string[];
  iss?: string[];
  issuerFlag?: string;
  aud?: string[];
  sub?: string;
  maxAge?: number;
  clockTolerance?: number;
  require?: string[];
  now: number;
}

/** `--alg` checked against the key: "none" is never allowed, and a fixed key only verifies what fits it. */
export function effectiveAlgorithms(source: KeySource, given: string[] | undefined): { algorithms: string[]; given: boolean } {
  const fits: readonly string[] = source.kind === 'jwks' ? PUBLIC_KEY_ALGORITHMS : source.algorithms;
  if (!given) return { algorithms: [...fits], given: false };
  const list = [...new Set(given.map((alg) => alg.trim()).filter(Boolean))];
  if (list.length === 0) throw new UsageError('--alg: give at least one algorithm, e.g. --alg RS256');
  for (const alg of list) {
    if (alg.toLowerCase() === 'none') throw new UsageError('--alg none: an unsigned token is never valid; "none" cannot be allowed');
    if (!(JWS_ALGORITHMS as readonly string[]).includes(alg)) {
      const near = JWS_ALGORITHMS.find((known) => known.toLowerCase() === alg.toLowerCase());
      throw new UsageError(`--alg ${alg}: not a JWS algorithm${near ? ` (did you mean ${near}?)` : ` (known: ${JWS_ALGORITHMS.join(', ')})`}`);
    }
    if (!fits.includes(alg)) {
      if (source.kind === 'jwks' && (HMAC_ALGORITHMS as readonly string[]).includes(alg)) throw new UsageError(`--alg ${alg}: an HMAC token cannot be verified with a JWKS (give --secret)`);
      if (source.kind !== 'jwks') throw new UsageError(`--alg ${alg}: does not fit ${source.label} (${source.description}: ${source.algorithms.join(', ')})`);
    }
  }
  return { algorithms: list, given: true };
}

export function buildPolicy(source: KeySource, options: PolicyOptions): VerifyPolicy {
  const { algorithms, given } = effectiveAlgorithms(source, options.alg);
  return {
    algorithms,
    algorithmsGiven: given,
    issuer: options.iss,
    issuerFlag: options.issuerFlag,
    audience: options.aud,
    subject: options.sub,
    maxTokenAge: options.maxAge,
    clockTolerance: options.clockTolerance ?? 0,
    requiredClaims: options.require ?? [],
    now: options.now,
  };
}

let joseModule: typeof Jose | undefined;

/** jose, imported once, when a token first needs it. */
async function loadJose(): Promise<typeof Jose> {
  joseModule ??= await import('jose');
  return joseModule;
}

function joseOptions(policy: VerifyPolicy): Jose.JWTVerifyOptions {
  return {
    algorithms: policy.algorithms,
    issuer: policy.issuer,
    audience: policy.audience,
    subject: policy.subject,
    maxTokenAge: policy.maxTokenAge,
    clockTolerance: policy.clockTolerance,
    requiredClaims: policy.requiredClaims,
    currentDate: new Date(policy.now * 1000),
  };
}

/** The header for messages, leniently (the verifier itself is strict). */
function headerForMessages(raw: string): Record<string, unknown> | null {
  const segment = raw.split('.')[0];
  const strict = parseHeaderLikeJose(segment);
  if (strict) return strict;
  const bytes = decodeBase64url(segment);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

// jose's JWKS key choice (jose/dist/webapi/jwks/local.js isUsableJWK), used here only to NAME the key
// that verified or failed: the choice itself is jose's.
const KTY_OF: Record<string, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' }, RS384: { kty: 'RSA' }, RS512: { kty: 'RSA' }, PS256: { kty: 'RSA' }, PS384: { kty: 'RSA' }, PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' }, ES384: { kty: 'EC', crv: 'P-384' }, ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' }, Ed25519: { kty: 'OKP', crv: 'Ed25519' },
};

function usableJwks(keys: Record<string, unknown>[], alg: unknown, kid: unknown): Record<string, unknown>[] {
  const entry = typeof alg === 'string' ? KTY_OF[alg] : undefined;
  if (!entry) return [];
  return keys.filter((jwk) => {
    const ops = jwk.key_ops;
    return (
      (jwk.ext === undefined || typeof jwk.ext === 'boolean') &&
      (ops === undefined || (Array.isArray(ops) && ops.includes('verify'))) &&
      jwk.kty === entry.kty &&
      (kid === undefined || (typeof kid === 'string' && kid === jwk.kid)) &&
      (jwk.alg === undefined || jwk.alg === alg) &&
      (jwk.use === undefined || jwk.use === 'sig') &&
      (!entry.crv || jwk.crv === entry.crv)
    );
  });
}

function kidLabel(kid: string): string {
  return `the key with kid '${safeText(kid, 40)}'`;
}

export interface Verifier {
  /** Synchronous when the fast path decides (a fixed key, a plain token), a promise otherwise. */
  verify(raw: string): VerifyOutcome | Promise<VerifyOutcome>;
  /** The fast path alone: undefined when it leaves the token to jose (or there is no fast path). */
  verifyFast(raw: string): VerifyOutcome | undefined;
  /** jose only (no fast path): what the fast path must agree with. */
  verifyWithJose(raw: string): Promise<VerifyOutcome>;
  readonly policy: VerifyPolicy;
  readonly source: KeySource;
}

export function createVerifier(source: KeySource, policy: VerifyPolicy, options: { fast?: boolean } = {}): Verifier {
  const options_ = joseOptions(policy);
  const jwksKeys: JwksKeyInfo[] | undefined =
    source.kind === 'jwks'
      ? source.jwks.keys.map((key) => ({
          kid: typeof key.kid === 'string' ? key.kid : undefined,
          kty: typeof key.kty === 'string' ? key.kty : undefined,
          alg: typeof key.alg === 'string' ? key.alg : undefined,
          crv: typeof key.crv === 'string' ? key.crv : undefined,
          use: typeof key.use === 'string' ? key.use : undefined,
        }))
      : undefined;
  let keyInput: Uint8Array | Jose.KeyObject | ReturnType<typeof Jose.createLocalJWKSet> | undefined;
  const keyFor = (jose: typeof Jose) =>
    (keyInput ??= source.kind === 'secret' ? source.secret : source.kind === 'public' ? (source.key as unknown as Jose.KeyObject) : jose.createLocalJWKSet(source.jwks as Jose.JSONWebKeySet));

  /** The name of the key a token is judged against, for messages. */
  const keyLabel = (header: Record<string, unknown> | null): string => {
    if (source.kind !== 'jwks') return source.label;
    if (typeof header?.kid === 'string') return kidLabel(header.kid);
    const candidates = usableJwks(source.jwks.keys, header?.alg, undefined);
    if (candidates.length === 1 && typeof candidates[0].kid === 'string') return `${kidLabel(candidates[0].kid)} (the only JWKS key for ${safeText(String(header?.alg), 20)})`;
    if (candidates.length > 1) return `any of the ${candidates.length} JWKS keys for ${safeText(String(header?.alg), 20)} (the token has no kid)`;
    return `the JWKS key for ${safeText(String(header?.alg), 20)}`;
  };

  const fail = (error: unknown, header: Record<string, unknown> | null): VerifyOutcome => {
    const context: FailureContext = { header, policy, keyLabel: keyLabel(header), sourceLabel: source.label, jwksKeys };
    const reason = describeFailure(error, context);
    if (reason === undefined) throw error;
    return { valid: false, header, reason, code: (error as { code?: string })?.code ?? (error as Error)?.name ?? 'ERR' };
  };

  const verifyWithJose = async (raw: string): Promise<VerifyOutcome> => {
    const broken = notBase64url(raw);
    if (broken) return broken;
    const jose = await loadJose();
    try {
      let result: Jose.JWTVerifyResult;
      try {
        result = await jose.jwtVerify(raw, keyFor(jose) as Parameters<typeof jose.jwtVerify>[1], options_);
      } catch (error) {
        // Several JWKS keys fit and the token has no kid: try each, as jose's documentation shows.
        if ((error as { code?: string })?.code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
        result = await tryEach(jose, raw, error as AsyncIterable<Jose.CryptoKey>, options_);
      }
      return { valid: true, header: result.protectedHeader as Record<string, unknown>, claims: result.payload as Record<string, unknown>, key: keyLabel(result.protectedHeader as Record<string, unknown>) };
    } catch (error) {
      return fail(error, headerForMessages(raw));
    }
  };

  const fast = source.kind !== 'jwks' && options.fast !== false ? createFastVerifier(source, policy) : undefined;
  const fromFast = (result: FastResult): VerifyOutcome =>
    result.valid ? { valid: true, header: result.header, claims: result.claims, key: keyLabel(result.header) } : fail(result.error, result.header);

  return {
    policy,
    source,
    verifyWithJose,
    verifyFast(raw) {
      const result = fast?.(raw);
      return result ? fromFast(result) : undefined;
    },
    verify(raw) {
      const broken = notBase64url(raw);
      if (broken) return broken;
      const result = fast?.(raw);
      return result ? fromFast(result) : verifyWithJose(raw);
    },
  };
}

const JWS_PARTS = ['header', 'payload', 'signature'];

/**
 * A segment of 4n+1 characters is no base64url at all: say which part, rather than what jose would
 * trip over first (for the payload, that is the signature check). Either way the token is invalid.
 */
function notBase64url(raw: string): VerifyOutcome | undefined {
  const segments = raw.split('.');
  if (segments.length !== 3) return undefined;
  const index = segments.findIndex((segment) => segment.length % 4 === 1);
  if (index < 0) return undefined;
  return { valid: false, header: index === 0 ? null : headerForMessages(raw), reason: `malformed: the ${JWS_PARTS[index]} is not base64url`, code: 'ERR_JWS_INVALID' };
}

async function tryEach(jose: typeof Jose, raw: string, keys: AsyncIterable<Jose.CryptoKey>, options: Jose.JWTVerifyOptions): Promise<Jose.JWTVerifyResult> {
  for await (const key of keys) {
    try {
      return await jose.jwtVerify(raw, key, options);
    } catch (error) {
      if ((error as { code?: string })?.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
      throw error;
    }
  }
  throw new jose.errors.JWSSignatureVerificationFailed();
}
