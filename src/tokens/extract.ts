import { decodeBase64url } from './base64url.js';
import { parseJsonObject } from './json-object.js';

/**
 * Runs of base64url segments joined by dots: three (JWS; the signature may be empty for alg "none")
 * or five (JWE; the encrypted key is empty for "dir"). Anything around them (Bearer, a header name, a
 * cookie, a URL, a JSON line) is ignored.
 */
const CANDIDATE = /[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;
const STANDARD_BASE64_TAIL = /^(?:[+/=][A-Za-z0-9+/=_-]*)?/;

/**
 * The JWT-shaped strings in what people paste: a bare token, `Bearer <token>`, an Authorization or
 * Cookie header line, a URL with a token parameter, a line of JSON. A candidate counts when it has
 * three or five segments and its first segment decodes to a JSON object with a string `alg`: no
 * `eyJ` prefix is assumed (a header with a space before `"alg"` encodes otherwise), and host names
 * or version numbers never pass.
 */
export function findTokens(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    // A token pasted in standard base64 (`+`, `/`, `=` padding) would be cut at the first such
    // character and then fail verification for a confusing reason: keep it whole, so decoding
    // says plainly that it is not base64url. A tail that is only `/word` is a URL path, not base64.
    const tail = STANDARD_BASE64_TAIL.exec(text.slice(match.index + match[0].length))?.[0] ?? '';
    const rest = /[+=]/.test(tail) ? tail : '';
    const candidate = match[0] + rest;
    const parts = candidate.split('.');
    if (parts.length !== 3 && parts.length !== 5) continue;
    if (!hasJoseHeader(parts[0])) continue;
    if (!found.includes(candidate)) found.push(candidate);
  }
  return found;
}

/** Verdicts on header segments seen before: a --batch of one issuer's tokens repeats a handful of headers. */
const headerVerdicts = new Map<string, boolean>();

function hasJoseHeader(segment: string): boolean {
  const known = headerVerdicts.get(segment);
  if (known !== undefined) return known;
  const bytes = decodeBase64url(segment);
  const header = bytes ? parseJsonObject(bytes.toString('utf8')) : null;
  const verdict = header !== null && typeof header.value.alg === 'string';
  if (segment.length <= 1024) {
    if (headerVerdicts.size >= 1024) headerVerdicts.clear();
    headerVerdicts.set(segment, verdict);
  }
  return verdict;
}
