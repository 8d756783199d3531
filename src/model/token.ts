import type { Location } from './location.js';

/** JWS: header.payload.signature; JWE: header.encrypted_key.iv.ciphertext.tag (compact serialisations). */
export type TokenForm = 'jws' | 'jwe';

/** An HMAC secret found for the token (by audit or crack), and where it came from. */
export interface FoundSecret {
  secret: string;
  from: 'built-in list' | 'wordlist' | 'given';
}

/** One token, decoded but not verified: what the token rules judge. */
export interface Token {
  kind: 'token';
  /** Where it came from, for people: "argument", "stdin", "tokens.txt:12". */
  source: string;
  /** Set when the token is a line of a file (--batch FILE): findings then carry file and line. */
  location?: Location;
  raw: string;
  form: TokenForm;
  segments: string[];
  header: Record<string, unknown>;
  /** The JWS payload (or a decrypted JWE's) when it is a JSON object; null otherwise. */
  payload: Record<string, unknown> | null;
  /** JWS: the signature bytes (never printed); JWE: empty. */
  signature: Uint8Array;
  /** Problems of the encoding itself. */
  encoding: {
    /** Segments whose base64url is not canonical (non-zero trailing bits): "header", "payload", "signature". */
    nonCanonical: string[];
    /** Keys that appear twice in one JSON object: "header.alg", "payload.sub". */
    duplicateKeys: string[];
  };
  /** The time the token is judged at, seconds since the epoch (the clock, or --now). */
  now: number;
  /** Filled before the rules run when an HMAC secret was found. */
  weakSecret?: FoundSecret;
  /** The secret given with --secret, when it is too short for the algorithm. */
  shortSecretBytes?: number;
}
