/**
 * `token decode` of a JWE with a key: jose compactDecrypt (dir, A128/192/256KW, RSA-OAEP*, ECDH-ES*,
 * PBES2...). A key that does not decrypt is an InputError (exit 2): decode could not do what was asked.
 */
import * as jose from 'jose';
import { InputError } from '../errors.js';
import type { DecryptKey } from './keys.js';
import { safeText } from './verify-errors.js';

export interface Decrypted {
  plaintext: Uint8Array;
  header: Record<string, unknown>;
}

function problem(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = safeText((e?.message ?? String(error)).split('\n')[0], 160);
  switch (e?.code) {
    case 'ERR_JWE_DECRYPTION_FAILED':
      return 'decryption failed (wrong key, or the token was altered)';
    case 'ERR_JWE_INVALID':
      return `malformed JWE: ${message}`;
    case 'ERR_JOSE_NOT_SUPPORTED':
      return `not supported: ${message}`;
    default:
      return message;
  }
}

/** Throws InputError("cannot decrypt with <key>: <why>") when the key does not decrypt the token. */
export async function decryptJwe(raw: string, key: DecryptKey): Promise<Decrypted> {
  const input = key.kind === 'secret' ? key.secret : (key.key as unknown as jose.KeyObject);
  try {
    // jose refuses PBES2 unless asked: a password given for a PBES2 token is that request (jose still
    // bounds p2c, the iteration count an attacker could inflate, at 10,000).
    const alg = jose.decodeProtectedHeader(raw).alg;
    const options = key.kind === 'secret' && typeof alg === 'string' && alg.startsWith('PBES2') ? { keyManagementAlgorithms: [alg] } : undefined;
    const result = await jose.compactDecrypt(raw, input, options);
    return { plaintext: result.plaintext, header: result.protectedHeader as Record<string, unknown> };
  } catch (error) {
    // jose errors, and TypeError / DOMException for a key that does not fit the token's algorithms.
    throw new InputError(`cannot decrypt with ${key.label}: ${problem(error)}`);
  }
}
