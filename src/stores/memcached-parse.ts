/**
 * The text-only parts of the memcached client (src/stores/memcached.ts): the `--memcached` address and
 * one line of `lru_crawler metadump`. No I/O here, so they are tested without a server.
 */
import { UsageError } from '../errors.js';

export const DEFAULT_MEMCACHED_PORT = 11211;

export interface MemcachedAddress {
  host: string;
  port: number;
  /** `host:port`, `[v6]:port` for IPv6: what errors and reports name the store by. */
  address: string;
}

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
  const input = text.trim();
  const bad = (why: string) => new UsageError(`--memcached ${JSON.stringify(text)}: ${why} (expected HOST:PORT or [IPv6]:PORT)`);
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(input);
  if (bracketed) {
    [, host, portText] = bracketed;
  } else if ((input.match(/:/g) ?? []).length > 1) {
    throw bad('an IPv6 address needs brackets');
  } else {
    const colon = input.indexOf(':');
    host = colon === -1 ? input : input.slice(0, colon);
    portText = colon === -1 ? undefined : input.slice(colon + 1);
  }
  if (!host) throw bad('no host');
  const port = portText === undefined ? DEFAULT_MEMCACHED_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || !Number.isInteger(port) || port < 1 || port > 65535) throw bad('bad port');
  return { host, port, address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` };
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
