/**
 * Store host names from the literal strings an app's code passes to a store client, so a session
 * config can be linked to the store service it names (`redis` from `redis://redis:6379/0`).
 * Shared by the app-settings readers; each knows which of its strings are addresses.
 */

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function cleanHost(host: string): string | undefined {
  const trimmed = host.trim();
  if (IPV6.test(trimmed)) return trimmed.slice(1, -1);
  return HOST.test(trimmed) ? trimmed : undefined;
}

/** `host`, `host:port` or `[v6]:port` -> host. */
function hostOfAddress(address: string): string | undefined {
  const text = address.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? undefined : cleanHost(text.slice(0, end + 1));
  }
  const colon = text.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d+$/.test(text.slice(colon + 1))) return undefined;
    return cleanHost(text.slice(0, colon));
  }
  return cleanHost(text);
}

/**
 * Hosts in one string: a URL with a scheme (`redis://user:pw@host:6379/0`, `mongodb://a:1,b:2/db`,
 * `rediss://...`), or `host:port` (memcached, go-redis, redigo). A bare word (`cache`) only counts
 * with `bare`, where the caller knows the string is a host (ioredis `new Redis(6379, 'cache')`).
 * Unix sockets and anything else give [].
 */
export function hostsOf(text: string, bare = false): string[] {
  const value = text.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value);
  if (scheme) {
    let rest = value.slice(scheme[0].length);
    const slash = rest.search(/[/?#]/);
    if (slash >= 0) rest = rest.slice(0, slash);
    // Passwords may hold '@' only percent-encoded, so the last '@' ends the user part.
    const at = rest.lastIndexOf('@');
    if (at >= 0) rest = rest.slice(at + 1);
    return rest.split(',').map(hostOfAddress).filter((host): host is string => host !== undefined);
  }
  if (value.startsWith('/') || value.includes('/')) return [];
  if (value.includes(':')) {
    const host = hostOfAddress(value);
    return host === undefined ? [] : [host];
  }
  if (!bare) return [];
  const host = cleanHost(value);
  return host === undefined ? [] : [host];
}

/** Distinct hosts, in the order first seen. */
export function uniqueHosts(hosts: Iterable<string>): string[] {
  return [...new Set(hosts)];
}
