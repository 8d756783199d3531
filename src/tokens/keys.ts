/**
 * Keys for `token verify` (public keys and HMAC secrets) and `token decode` (JWE decryption keys), from
 * `--secret VALUE`, `--secret-file FILE` or `--key FILE`: PEM (SPKI public key, X.509 certificate,
 * PKCS#8 / PKCS#1 / SEC1 private key), a JWK, or a JWKS (JSON). Everything is read once, up front, with
 * node:crypto: a key that cannot be used is a usage error (exit 2) before any token is judged.
 * Secrets are never put in messages.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
/** Every JWS algorithm jose verifies on Node 20 ("none" is not an algorithm here). */
export const JWS_ALGORITHMS = [...HMAC_ALGORITHMS, ...RSA_ALGORITHMS, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
/** The asymmetric ones: what a JWKS (public keys) can verify. */
export const PUBLIC_KEY_ALGORITHMS = JWS_ALGORITHMS.filter((alg) => !alg.startsWith('HS'));

const EC_CURVES: Record<string, { alg: string; crv: string }> = {
  prime256v1: { alg: 'ES256', crv: 'P-256' },
  secp384r1: { alg: 'ES384', crv: 'P-384' },
  secp521r1: { alg: 'ES512', crv: 'P-521' },
};

/** jose refuses RSA keys below this for RS* and PS* (and so does RFC 7518 §3.3). */
export const MIN_RSA_BITS = 2048;

/** A key that verifies JWS signatures. */
export type VerifyKey =
  | { kind: 'secret'; secret: Uint8Array; label: string; description: string; algorithms: string[] }
  | { kind: 'public'; key: KeyObject; label: string; description: string; algorithms: string[]; kid?: string };

/** What --key FILE held for verify: one key, or a JWKS (then jwks.ts takes over). */
export type LoadedVerifyKey = VerifyKey | { kind: 'jwks'; jwks: { keys: Record<string, unknown>[] }; label: string };

/** A key that decrypts JWE: raw bytes (dir, A*KW, PBES2) or a private key (RSA-OAEP, ECDH-ES). */
export type DecryptKey =
  | { kind: 'secret'; secret: Uint8Array; label: string }
  | { kind: 'private'; key: KeyObject; label: string };

export interface SecretOptions {
  secret?: string;
  secretFile?: string;
}

function readKeyFile(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? 'cannot read');
    throw new UsageError(`${flag} ${file}: ${why}`);
  }
}

/**
 * `--secret VALUE` (its UTF-8 bytes, as apps configure HMAC secrets) or `--secret-file FILE` (the
 * file's bytes; the final newline of a text file is not part of the secret, so `echo s > f` works,
 * while binary key files are used byte for byte).
 */
export function loadSecret(options: SecretOptions): Uint8Array | undefined {
  if (options.secret !== undefined) {
    if (options.secret === '') throw new UsageError('--secret is empty');
    return new Uint8Array(Buffer.from(options.secret, 'utf8'));
  }
  if (options.secretFile === undefined) return undefined;
  const bytes = readKeyFile(options.secretFile, '--secret-file');
  const secret = stripTextNewline(bytes);
  if (secret.length === 0) throw new UsageError(`--secret-file ${options.secretFile}: the file is empty`);
  return new Uint8Array(secret);
}

/** Drop one final "\n" or "\r\n" when everything before it is printable text (not random key bytes). */
export function stripTextNewline(bytes: Buffer): Buffer {
  const end = bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d && bytes[bytes.length - 1] === 0x0a ? bytes.length - 2 : bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
  if (end === bytes.length) return bytes;
  const body = bytes.subarray(0, end);
  const printable = body.every((byte) => (byte >= 0x20 && byte !== 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d) && Buffer.from(body.toString('utf8'), 'utf8').equals(body);
  return printable ? body : bytes;
}

/** The JWS algorithms a public KeyObject can verify, and how to describe it; throws UsageError for unusable keys. */
export function describePublicKey(key: KeyObject, where: string): { description: string; algorithms: string[] } {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) throw new UsageError(`${where}: a ${bits}-bit RSA key; RS*/PS* need ${MIN_RSA_BITS} bits or more (RFC 7518 §3.3), and jose refuses smaller keys`);
      return { description: `RSA ${bits}-bit`, algorithms: [...RSA_ALGORITHMS] };
    }
    case 'ec': {
      const curve = EC_CURVES[details.namedCurve ?? ''];
      if (!curve) throw new UsageError(`${where}: an EC key on curve ${details.namedCurve ?? '?'}, which no JWS algorithm uses here (ES256: P-256, ES384: P-384, ES512: P-521)`);
      return { description: `EC ${curve.crv}`, algorithms: [curve.alg] };
    }
    case 'ed25519':
      return { description: 'Ed25519', algorithms: ['EdDSA', 'Ed25519'] };
    default:
      throw new UsageError(`${where}: a ${type ?? 'unknown'} key cannot verify JWS signatures (use an RSA, EC P-256/384/521 or Ed25519 key)`);
  }
}

function parseJson(bytes: Buffer, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UsageError(`${where}: not valid JSON (expected a JWK or a JWKS)`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${where}: not a JSON object (expected a JWK or a JWKS)`);
  return value as Record<string, unknown>;
}

function looksLikeJson(bytes: Buffer): boolean {
  return /^\s*\{/.test(bytes.subarray(0, 64).toString('utf8'));
}

function pemProblem(text: string, where: string, error: unknown): UsageError {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    return new UsageError(`${where}: an encrypted private key; give the public key instead (openssl pkey -in key.pem -pubout)`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    return new UsageError(`${where}: not a PEM key or certificate, a JWK or a JWKS`);
  }
  const reason = (error as { code?: string })?.code ?? 'unreadable';
  return new UsageError(`${where}: cannot read the PEM (${reason}); expected a public key (SPKI), an X.509 certificate or a PKCS#8 private key`);
}

/** The public half of a JWK (a private JWK gives its public part), checked for signature use. */
function publicFromJwk(jwk: Record<string, unknown>, where: string): KeyObject {
  try {
    if (jwk.d !== undefined) return createPublicKey(createPrivateKey({ key: jwk as never, format: 'jwk' }));
    return createPublicKey({ key: jwk as never, format: 'jwk' });
  } catch (error) {
    throw new UsageError(`${where}: not a usable JWK (${(error as Error).message.split('\n')[0]})`);
  }
}

function narrowByJwkAlg(algorithms: string[], jwk: Record<string, unknown>, where: string): string[] {
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new UsageError(`${where}: the JWK has "use": ${JSON.stringify(jwk.use)}, not "sig"`);
  if (typeof jwk.alg !== 'string') return algorithms;
  if (!algorithms.includes(jwk.alg)) throw new UsageError(`${where}: the JWK says "alg": "${jwk.alg}", which does not fit its key (it can do ${algorithms.join(', ')})`);
  return [jwk.alg];
}

/** `--key FILE` for verify. A JWKS is returned as such; jwks.ts turns it into a key set. */
export function loadVerifyKeyFile(file: string, flag = '--key'): LoadedVerifyKey {
  const where = `${flag} ${file}`;
  const bytes = readKeyFile(file, flag);
  const label = `the key in ${file}`;
  if (looksLikeJson(bytes)) {
    const json = parseJson(bytes, where);
    if (Array.isArray(json.keys)) return { kind: 'jwks', jwks: json as { keys: Record<string, unknown>[] }, label: `the JWKS in ${file}` };
    if (typeof json.kty !== 'string') throw new UsageError(`${where}: a JSON object without "kty" or "keys": not a JWK or a JWKS`);
    const kid = typeof json.kid === 'string' ? json.kid : undefined;
    if (json.kty === 'oct') {
      if (typeof json.k !== 'string' || json.k === '') throw new UsageError(`${where}: an "oct" JWK without "k"`);
      const secret = new Uint8Array(Buffer.from(json.k, 'base64url'));
      const algorithms = narrowByJwkAlg([...HMAC_ALGORITHMS], json, where);
      return { kind: 'secret', secret, label: kid ? `the secret with kid '${kid}'` : 'the secret', description: `HMAC secret (${secret.length} bytes)`, algorithms };
    }
    const key = publicFromJwk(json, where);
    const { description, algorithms } = describePublicKey(key, where);
    return { kind: 'public', key, label: kid ? `the key with kid '${kid}'` : label, description, algorithms: narrowByJwkAlg(algorithms, json, where), kid };
  }
  const text = bytes.toString('utf8');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (error) {
    throw pemProblem(text, where, error);
  }
  return { kind: 'public', key, label, ...describePublicKey(key, where) };
}

/** `--key FILE` for decrypting a JWE: a private PEM key, a private JWK, or an "oct" JWK. */
export function loadDecryptKeyFile(file: string, flag = '--key'): DecryptKey {
  const where = `${flag} ${file}`;
  const bytes = readKeyFile(file, flag);
  const label = `the key in ${file}`;
  if (looksLikeJson(bytes)) {
    const json = parseJson(bytes, where);
    if (Array.isArray(json.keys)) throw new UsageError(`${where}: a JWKS; give the one private JWK that decrypts the token`);
    if (json.kty === 'oct') {
      if (typeof json.k !== 'string' || json.k === '') throw new UsageError(`${where}: an "oct" JWK without "k"`);
      return { kind: 'secret', secret: new Uint8Array(Buffer.from(json.k, 'base64url')), label };
    }
    if (json.d === undefined) throw new UsageError(`${where}: a public JWK cannot decrypt; give the private key`);
    try {
      return { kind: 'private', key: createPrivateKey({ key: json as never, format: 'jwk' }), label };
    } catch (error) {
      throw new UsageError(`${where}: not a usable JWK (${(error as Error).message.split('\n')[0]})`);
    }
  }
  const text = bytes.toString('utf8');
  if (/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(text)) throw new UsageError(`${where}: a public key or certificate cannot decrypt; give the private key`);
  try {
    return { kind: 'private', key: createPrivateKey(text), label };
  } catch (error) {
    throw pemProblem(text, where, error);
  }
}

/** The decryption key of decode: at most one of --key, --secret, --secret-file. */
export function loadDecryptKey(options: SecretOptions & { key?: string }): DecryptKey | undefined {
  const given = [options.key, options.secret, options.secretFile].filter((value) => value !== undefined).length;
  if (given > 1) throw new UsageError('give one of --key, --secret, --secret-file');
  if (options.key !== undefined) return loadDecryptKeyFile(options.key);
  const secret = loadSecret(options);
  return secret ? { kind: 'secret', secret, label: 'the secret' } : undefined;
}

/** An HMAC secret as a VerifyKey. */
export function secretVerifyKey(secret: Uint8Array): VerifyKey {
  return { kind: 'secret', secret, label: 'the secret', description: `HMAC secret (${secret.length} bytes)`, algorithms: [...HMAC_ALGORITHMS] };
}
