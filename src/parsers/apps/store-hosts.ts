/**
 * Store host names from the strings an app's code or config gives a store client, so a session
 * config can be linked to the store service it names (`redis` from `redis://redis:6379/0`).
 * Shared by the app-settings readers; each knows which of its strings are addresses.
 *
 * Two readings of one `host:port` entry, on the same split:
 * - hostsOf / hostsIn check what they find (a host name or bracketed IPv6 address, a numeric port),
 *   because the readers hand them strings that may not be addresses at all;
 * - hostOfEndpoint takes the entry as written, for values the framework itself parses as an
 *   endpoint list (Spring's cluster nodes, a StackExchange.Redis configuration string).
 */

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function cleanHost(host: string): string | undefined {
  const trimmed = host.trim();
  if (IPV6.test(trimmed)) return trimmed.slice(1, -1);
  return HOST.test(trimmed) ? trimmed : undefined;
}

/**
 * `host:port` or `host` (not bracketed) as written: the host and, after a single colon, the port.
 * With two colons or more it is an IPv6 address without brackets, all host.
 */
function splitPort(text: string): { host: string; port?: string } {
  const colon = text.indexOf(':');
  if (colon < 0 || text.includes(':', colon + 1)) return { host: text };
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** `host:port`, `[::1]:6379` or `host` -> the host as written; undefined for an empty entry. */
export function hostOfEndpoint(endpoint: string): string | undefined {
  const text = endpoint.trim();
  if (text === '') return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  return splitPort(text).host || undefined;
}

/** `host`, `host:port` or `[v6]:port` -> host, when it is a host name and the port a number. */
function hostOfAddress(address: string): string | undefined {
  const text = address.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? undefined : cleanHost(text.slice(0, end + 1));
  }
  const { host, port } = splitPort(text);
  if (port !== undefined && !/^\d+$/.test(port)) return undefined;
  return cleanHost(host);
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

/**
 * Host names in one connection string or a list of them: `redis://:pw@redis:6379/0`,
 * `tcp://redis:6379?auth=x, tcp://redis-2:6379`, `cache-1:11211;cache-2:11211`, phpredis cluster
 * seeds `seed[]=h1:7000&seed[]=h2:7001`. Unix sockets and options (`persistent=1`) name no host;
 * a bare word (`redis`) counts only with `bare`, where the setting is known to hold a host name.
 */
export function hostsIn(text: string, bare = false): string[] {
  return uniqueHosts(text.split(/[\s,;&]+/).flatMap((part) => hostsOf(part.replace(/^seed\[\]=/, ''), bare)));
}

/** Distinct hosts, in the order first seen. */
export function uniqueHosts(hosts: Iterable<string>): string[] {
  return [...new Set(hosts)];
}
