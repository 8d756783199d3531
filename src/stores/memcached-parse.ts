/**
 * The text-only parts of the memcached client (src/stores/memcached.ts): the `--memcached` address and
 * one line of `lru_crawler metadump`. No I/O here, so they are tested without a server.
 */
import { parseAddress, type Address } from './address.js';

export const DEFAULT_MEMCACHED_PORT = 11211;

export type MemcachedAddress = Address;

/** One item of `lru_crawler metadump`. */
export interface MetadumpItem {
  /** The key, URI-decoded (memcached encodes every byte but [A-Za-z0-9._~-]). */
  key: string;
  /** Absolute expiry in unix seconds; -1 when the item never expires (set with exptime 0). */
  exp: number;
  /** Last access, unix seconds. */
  lastAccess: number;
  /** Item size in bytes as stored (key + value + header). */
  size: number;
}

/** `host:port`, `[::1]:port`, or a bare host / `[v6]` for the default port 11211. */
export function parseMemcachedAddress(text: string): MemcachedAddress {
  return parseAddress(text, DEFAULT_MEMCACHED_PORT, '--memcached');
}

/** `key=sess%3Aabc exp=1767225600 la=1767139200 cas=5 fetch=no cls=1 size=120` (fields may be added: ignored). */
export function parseMetadumpLine(line: string): MetadumpItem | undefined {
  let key: string | undefined;
  let exp = Number.NaN;
  let lastAccess = Number.NaN;
  let size = Number.NaN;
  for (const field of line.split(' ')) {
    const eq = field.indexOf('=');
    if (eq <= 0) continue;
    const value = field.slice(eq + 1);
    switch (field.slice(0, eq)) {
      case 'key':
        key = decodeKey(value);
        break;
      case 'exp':
        exp = Number(value);
        break;
      case 'la':
        lastAccess = Number(value);
        break;
      case 'size':
        size = Number(value);
        break;
    }
  }
  if (key === undefined || !Number.isInteger(exp) || !Number.isInteger(lastAccess) || !Number.isInteger(size)) return undefined;
  return { key, exp, lastAccess, size };
}

/** Keys are bytes; most are UTF-8. Bytes that are not become U+FFFD rather than failing the scan. */
function decodeKey(encoded: string): string {
  if (!encoded.includes('%')) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch {
    const bytes = encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
}
