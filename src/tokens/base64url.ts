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
  return bytes.toString('base64url') === text;
}
