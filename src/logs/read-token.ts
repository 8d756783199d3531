/**
 * jti / sub / sid out of a logged JWT: the payload is base64url-decoded and parsed, nothing is
 * verified. Decodes are cached by payload segment (bounded, least recently used out first): an
 * access log repeats each token on every request its holder makes, so a repeat costs one Map lookup.
 * The cache keys on the payload only: the signature, the part that makes a token usable, is never kept.
 */
import { decodeBase64url } from '../tokens/base64url.js';
import { own } from '../util/own-string.js';

export interface TokenClaims {
  jti?: string;
  sub?: string;
  sid?: string;
}

const CACHE_SIZE = 4096;
const NOT_A_JWT: TokenClaims = Object.freeze({});

export class TokenClaimsCache {
  // Two generations, a cheap LRU: hits in `recent` cost one Map lookup (no reordering); entries used
  // since the last turnover move up from `older`; a turnover drops what was not used for a generation.
  private recent = new Map<string, TokenClaims>();
  private older = new Map<string, TokenClaims>();
  constructor(private readonly size = CACHE_SIZE) {}

  /** Claims of a compact JWS ("h.p.s"), or null when the text is not one (a JWE's payload is encrypted: null too). */
  claims(token: string): TokenClaims | null {
    const firstDot = token.indexOf('.');
    const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) return null;
    const payload = token.slice(firstDot + 1, secondDot);
    let claims = this.recent.get(payload);
    if (claims === undefined) {
      claims = this.older.get(payload) ?? decodeClaims(payload);
      if (this.recent.size >= this.size / 2) {
        this.older = this.recent;
        this.recent = new Map();
      }
      // A copy as the key: the slice would keep the whole line (up to 128 KiB) alive in the cache.
      this.recent.set(own(payload), claims);
    }
    return claims === NOT_A_JWT ? null : claims;
  }
}

function decodeClaims(payload: string): TokenClaims {
  const bytes = decodeBase64url(payload);
  if (!bytes || bytes.length < 2 || bytes[0] !== 0x7b) return NOT_A_JWT;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return NOT_A_JWT;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return NOT_A_JWT;
  const claims = value as Record<string, unknown>;
  return { jti: claimText(claims.jti), sub: claimText(claims.sub), sid: claimText(claims.sid) };
}

function claimText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
