import { InputError } from '../errors.js';
import type { Location, Token } from '../model/index.js';
import { decodeBase64url, isCanonical } from './base64url.js';
import { parseJsonObject } from './json-object.js';

const JWS_PARTS = ['header', 'payload', 'signature'];
const JWE_PARTS = ['header', 'encrypted key', 'iv', 'ciphertext', 'tag'];

export interface DecodeContext {
  source: string;
  location?: Location;
  now: number;
}

/** Decode a compact JWS or JWE without verifying anything. Throws InputError saying which part is wrong. */
export function decodeToken(raw: string, context: DecodeContext): Token {
  const segments = raw.split('.');
  if (segments.length !== 3 && segments.length !== 5) {
    throw tokenError(context, `not a JWT: ${segments.length} dot-separated parts (a JWS has 3, a JWE 5)`);
  }
  const form = segments.length === 3 ? 'jws' : 'jwe';
  const names = form === 'jws' ? JWS_PARTS : JWE_PARTS;
  const nonCanonical: string[] = [];
  const bytes = segments.map((segment, index) => {
    const decoded = decodeBase64url(segment);
    if (!decoded) throw tokenError(context, `the ${names[index]} is not base64url`);
    if (!isCanonical(segment, decoded)) nonCanonical.push(names[index]);
    return decoded;
  });
  const header = parseJsonObject(bytes[0].toString('utf8'));
  if (!header) throw tokenError(context, 'the header is not a JSON object');
  if (typeof header.value.alg !== 'string') throw tokenError(context, 'the header has no "alg"');
  const duplicateKeys = header.duplicateKeys.map((key) => `header.${key}`);
  let payload: Record<string, unknown> | null = null;
  if (form === 'jws' && header.value.b64 !== false) {
    const parsed = parseJsonObject(bytes[1].toString('utf8'));
    payload = parsed?.value ?? null;
    duplicateKeys.push(...(parsed?.duplicateKeys ?? []).map((key) => `payload.${key}`));
  }
  return {
    kind: 'token',
    source: context.source,
    location: context.location,
    raw,
    form,
    segments,
    header: header.value,
    payload,
    signature: form === 'jws' ? new Uint8Array(bytes[2]) : new Uint8Array(),
    encoding: { nonCanonical, duplicateKeys },
    now: context.now,
  };
}

function tokenError(context: DecodeContext, message: string): InputError {
  return context.location
    ? new InputError(message, context.location.file, context.location.line)
    : new InputError(`${context.source}: ${message}`);
}
