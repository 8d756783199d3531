/** base64url (RFC 4648 §5) as JWS/JWE use it: no padding, and strict about what it accepts. */

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** The bytes, or null when the text is not base64url (bad characters, padding, or an impossible length). */
export function decodeBase64url(text: string): Buffer | null {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return null;
  return Buffer.from(text, 'base64url');
}

/**
 * Canonical: the encoding a conforming encoder would write for these bytes. Non-canonical forms set
 * the unused trailing bits, so two different strings decode to one token: a way around denylists and
 * caches keyed by the token text.
 */
export function isCanonical(text: string, bytes: Buffer): boolean {
  // For text decodeBase64url accepted, only the unused low bits of the last character can differ from
  // what an encoder writes (4 bits when length % 4 is 2, 2 bits when it is 3): check those, O(1).
  const unusedBits = text.length % 4 === 2 ? 0x0f : text.length % 4 === 3 ? 0x03 : 0;
  if (unusedBits === 0 || bytes.length === 0) return true;
  return (SEXTET.indexOf(text[text.length - 1]) & unusedBits) === 0;
}

const SEXTET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
