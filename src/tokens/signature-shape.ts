import { ECDSA_SIGNATURE_BYTES, EDDSA_SIGNATURE_BYTES, HMAC_ALGS, RSA_ALGS, RSA_SIGNATURE_BYTES, isAlgNone } from './alg-families.js';

/** One thing wrong with a JWS signature's bytes, judged from the alg alone (no key). */
export interface SignatureProblem {
  kind: 'empty' | 'length' | 'der' | 'zero' | 'weak-rsa';
  message: string;
}

/** r and s of an ECDSA signature. */
export interface EcdsaPair {
  r: Uint8Array;
  s: Uint8Array;
}

/**
 * An ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` (what OpenSSL, Java and .NET produce by default), or
 * null. JWS wants the raw fixed-size r || s instead (RFC 7518 §3.4): a DER signature in a token means the
 * signer skipped the conversion, and a verifier that accepts it is lenient about what it parses.
 */
export function parseDerEcdsa(bytes: Uint8Array): EcdsaPair | null {
  let offset = 0;
  const readLength = (): number | null => {
    if (offset >= bytes.length) return null;
    const first = bytes[offset++];
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count === 0 || count > 2 || offset + count > bytes.length) return null;
    let length = 0;
    for (let index = 0; index < count; index++) length = (length << 8) | bytes[offset++];
    return length < 0x80 ? null : length; // DER: the short form when it fits
  };
  const readInteger = (): Uint8Array | null => {
    if (bytes[offset++] !== 0x02) return null;
    const length = readLength();
    if (length === null || length === 0 || offset + length > bytes.length) return null;
    const value = bytes.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  if (bytes.length < 8 || bytes[offset++] !== 0x30) return null;
  const total = readLength();
  if (total === null || offset + total !== bytes.length) return null;
  const r = readInteger();
  if (!r) return null;
  const s = readInteger();
  if (!s || offset !== bytes.length) return null;
  return { r, s };
}

export function isAllZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

/** The raw r || s halves of a fixed-size ECDSA signature. */
export function splitRawEcdsa(bytes: Uint8Array): EcdsaPair {
  const half = bytes.length / 2;
  return { r: bytes.subarray(0, half), s: bytes.subarray(half) };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * What is wrong with a JWS signature's encoding for its alg: empty, the wrong length, DER instead of raw
 * ECDSA, or an ECDSA r or s of zero (CVE-2022-21449, "psychic signatures": Java 15-18 accepted r = s = 0
 * for any message and key). Unknown algs are not judged.
 */
export function signatureProblems(alg: string, signature: Uint8Array): SignatureProblem[] {
  if (isAlgNone(alg)) return [];
  const length = signature.length;
  if (length === 0) {
    return [{ kind: 'empty', message: `alg is ${alg} but the signature is empty: a stripped signature that only a verifier skipping the check accepts` }];
  }
  if (Object.hasOwn(HMAC_ALGS, alg)) {
    const expected = HMAC_ALGS[alg].bytes;
    return length === expected ? [] : [{ kind: 'length', message: `${alg} signature is ${plural(length, 'byte')}; an ${alg} MAC is ${expected}` }];
  }
  if (Object.hasOwn(ECDSA_SIGNATURE_BYTES, alg)) return ecdsaProblems(alg, signature, ECDSA_SIGNATURE_BYTES[alg]);
  if (RSA_ALGS.has(alg)) {
    if (RSA_SIGNATURE_BYTES.includes(length)) return [];
    if (length === 128) {
      return [{ kind: 'weak-rsa', message: `${alg} signature is 128 bytes: a 1024-bit RSA key, below the 2048 bits RFC 7518 §3.3 requires` }];
    }
    return [{ kind: 'length', message: `${alg} signature is ${plural(length, 'byte')}: not the size of a 2048, 3072 or 4096-bit RSA modulus (256, 384 or 512 bytes)` }];
  }
  if (Object.hasOwn(EDDSA_SIGNATURE_BYTES, alg)) {
    const expected = EDDSA_SIGNATURE_BYTES[alg];
    return expected.includes(length) ? [] : [{ kind: 'length', message: `${alg} signature is ${plural(length, 'byte')}; expected ${expected.join(' or ')} (Ed25519: 64, Ed448: 114)` }];
  }
  return [];
}

function ecdsaProblems(alg: string, signature: Uint8Array, expected: number): SignatureProblem[] {
  if (signature.length === expected) {
    const { r, s } = splitRawEcdsa(signature);
    const zero = zeroHalves(r, s);
    return zero ? [{ kind: 'zero', message: `${alg} signature has ${zero}: the "psychic signature" shape of CVE-2022-21449, valid for any message on vulnerable Java (15-18) verifiers` }] : [];
  }
  const der = parseDerEcdsa(signature);
  if (der) {
    const zero = zeroHalves(der.r, der.s);
    if (zero) {
      return [{ kind: 'zero', message: `${alg} signature is DER-encoded with ${zero}: the "psychic signature" shape of CVE-2022-21449` }];
    }
    return [{ kind: 'der', message: `${alg} signature is ASN.1 DER (${plural(signature.length, 'byte')}), not the raw ${expected}-byte r || s that RFC 7518 §3.4 requires` }];
  }
  return [{ kind: 'length', message: `${alg} signature is ${plural(signature.length, 'byte')}; an ${alg} signature is ${expected} (raw r || s)` }];
}

function zeroHalves(r: Uint8Array, s: Uint8Array): string | null {
  const rZero = isAllZero(r);
  const sZero = isAllZero(s);
  if (rZero && sZero) return 'r = 0 and s = 0';
  if (rZero) return 'r = 0';
  if (sZero) return 's = 0';
  return null;
}
