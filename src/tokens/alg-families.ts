/**
 * What the JWS `alg` values (RFC 7518 §3.1, RFC 8037, RFC 8812) say about the signature: HMAC hash and
 * output size, and the signature lengths the audit expects. Names are case-sensitive, as in the RFCs.
 */

export interface HmacAlg {
  hash: 'sha256' | 'sha384' | 'sha512';
  /** Output size in bytes: also the minimum key size (RFC 7518 §3.2). */
  bytes: number;
}

export const HMAC_ALGS: Readonly<Record<string, HmacAlg>> = {
  HS256: { hash: 'sha256', bytes: 32 },
  HS384: { hash: 'sha384', bytes: 48 },
  HS512: { hash: 'sha512', bytes: 64 },
};

/** ECDSA signatures are the raw r || s, each as long as the curve order (RFC 7518 §3.4; ES256K: RFC 8812). */
export const ECDSA_SIGNATURE_BYTES: Readonly<Record<string, number>> = {
  ES256: 64,
  ES256K: 64,
  ES384: 96,
  ES512: 132,
};

/** Ed25519 signatures are 64 bytes, Ed448 ones 114 (RFC 8032); "EdDSA" (RFC 8037) may be either. */
export const EDDSA_SIGNATURE_BYTES: Readonly<Record<string, readonly number[]>> = {
  EdDSA: [64, 114],
  Ed25519: [64],
  Ed448: [114],
};

/** RSA signatures are as long as the modulus; 2048, 3072 and 4096-bit keys are what people use (RFC 7518 §3.3 requires >= 2048). */
export const RSA_ALGS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
export const RSA_SIGNATURE_BYTES: readonly number[] = [256, 384, 512];

export function hmacAlgOf(alg: unknown): HmacAlg | undefined {
  return typeof alg === 'string' && Object.hasOwn(HMAC_ALGS, alg) ? HMAC_ALGS[alg] : undefined;
}

/** `alg: "none"` in any casing: some libraries compare case-insensitively, or only reject the exact lower-case name. */
export function isAlgNone(alg: unknown): boolean {
  return typeof alg === 'string' && alg.toLowerCase() === 'none';
}
