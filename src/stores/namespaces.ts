/**
 * Keys that belong to no recognised framework are grouped the way keyspace analysers do: split on the
 * usual separators, and fold every segment that looks like an identifier (numbers, UUIDs, hex or
 * base64-ish tokens) to `*`, so `user:1042:cart` and `user:77:cart` are both `user:*:cart`.
 */
import { DENYLIST_KEY_PREFIXES } from '../tokens/denylist-keys.js';
import { recogniseKey, type SessionFramework } from './frameworks.js';

const SEPARATORS = /([:/|])/;
const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|[A-Za-z0-9_-]{20,}={0,2}|[A-Za-z0-9+/]{20,}={0,2})$/i;

/** Namespaces are limited to the first few segments: deeper structure is detail, not a namespace. */
const MAX_SEGMENTS = 4;

export function namespaceOf(key: string): string {
  // Keys session-audit writes itself (token revoke's denylist) hold jtis and user names, which need
  // not look like ids: their layout is known, so each prefix is one namespace.
  const own = DENYLIST_KEY_PREFIXES.find((prefix) => key.length > prefix.length && key.startsWith(prefix));
  if (own) return `${own}*`;
  const parts = key.split(SEPARATORS);
  const out: string[] = [];
  let segments = 0;
  for (const part of parts) {
    if (SEPARATORS.test(part)) {
      out.push(part);
      continue;
    }
    segments++;
    if (segments > MAX_SEGMENTS) {
      out.push('*');
      break;
    }
    out.push(ID_SEGMENT.test(part) || looksRandom(part) ? '*' : part);
  }
  // `a:*:*` and `a:*` say the same thing to a person reading a report.
  return out.join('').replace(/(?:[:/|]\*)+$/, (tail) => `${tail[0]}*`);
}

/** A token with mixed letters and digits and no vowels pattern of words: a generated id. */
function looksRandom(segment: string): boolean {
  if (segment.length < 12) return false;
  const digits = (segment.match(/\d/g) ?? []).length;
  const letters = (segment.match(/[a-z]/gi) ?? []).length;
  return digits >= 2 && letters >= 2 && digits + letters >= segment.length * 0.8;
}

/**
 * The namespace a key is reported under, as scan groups keys: a `--session-pattern` shape first, then
 * a framework's default key shape (both are session namespaces, named by their glob), else the
 * folded key shape (namespaceOf). `framework` is the match, when there is one.
 */
export function namespaceFor(key: string, custom: readonly SessionFramework[] = []): { pattern: string; framework?: SessionFramework } {
  const framework = custom.find((pattern) => pattern.match.test(key)) ?? recogniseKey(key);
  return framework ? { pattern: framework.glob, framework } : { pattern: namespaceOf(key) };
}
