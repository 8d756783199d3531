/**
 * `--redis URL` -> where and how to connect, and the password-free `source` every report shows.
 * Accepted: redis://[user[:password]@]host[:port][/db] and rediss:// (TLS). IPv6 hosts in brackets.
 * The password may also come from REDISCLI_AUTH (redis-cli's variable) and the user from
 * `--redis-user`; a password in the URL wins, as it does for redis-cli.
 */
import { UsageError } from '../../errors.js';
import { parseAddress } from '../address.js';

export interface RedisTlsOptions {
  /** PEM file paths; read when connecting. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Do not verify the server certificate (`--tls-insecure`). */
  insecure?: boolean;
}

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** Present for rediss:// only. */
  tls?: RedisTlsOptions;
  /** The URL with any password removed: safe to print, used as `source` in findings. */
  source: string;
}

export interface RedisUrlOptions {
  /** `--redis-user`: ACL user when the URL has none. */
  user?: string;
  tls?: RedisTlsOptions;
  /** Defaults to process.env; REDISCLI_AUTH is the password when the URL has none. */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_PORT = 6379;

/**
 * Remove any password from a URL-ish string, even a malformed one (so error messages are safe):
 * `redis://u:secret@h:1/0` -> `redis://u@h:1/0`, `redis://:secret@h` -> `redis://h`, and a
 * `password=` query parameter (some clients accept one) is dropped.
 */
export function redactUrl(url: string): string {
  // Everything up to the LAST "@" counts as userinfo: a password may hold an unencoded "@" or "/",
  // and leaking half of it would be worse than over-trimming an odd URL.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
  let rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const user = rest.slice(0, at).split(':')[0];
    rest = (user && !/[/?#]/.test(user) ? `${user}@` : '') + rest.slice(at + 1);
  }
  return (scheme + rest)
    .replace(/([?&])(?:password|pass|pwd)=[^&#]*(&)?/gi, (_, lead: string, next?: string) => (next ? lead : ''))
    .replace(/[?&]$/, '');
}

function fail(url: string, why: string): never {
  throw new UsageError(`--redis ${redactUrl(url)}: ${why} (expected redis[s]://[user[:password]@]host[:port][/db])`);
}

export function parseRedisUrl(url: string, options: RedisUrlOptions = {}): RedisTarget {
  const env = options.env ?? process.env;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // `host:port` alone is a common slip: say so rather than "invalid URL".
    fail(url, /^[^/]+:\d+$/.test(url) ? 'missing scheme' : 'not a URL');
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'redis' && scheme !== 'rediss') fail(url, /^[^/]+:\d+$/.test(url) ? 'missing scheme' : `unsupported scheme "${scheme}:"`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // URL keeps IPv6 brackets; net wants them off
  if (!host) fail(url, 'missing host');
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) fail(url, `database "${dbText}" is not a number`);
  const db = dbText === '' ? 0 : Number(dbText);

  const decode = (text: string, what: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return fail(url, `malformed %-escape in the ${what}`);
    }
  };
  const username = decode(parsed.username, 'user') || options.user || undefined;
  const password = decode(parsed.password, 'password') || env.REDISCLI_AUTH || undefined;

  const tls = scheme === 'rediss' ? { ...options.tls } : undefined;
  if (!tls && options.tls && (options.tls.ca || options.tls.cert || options.tls.key || options.tls.insecure)) {
    // TLS flags with a plain URL are almost always a forgotten "s": refuse rather than send in clear.
    fail(url, 'TLS options given for a plain redis:// URL; use rediss://');
  }

  return { host, port, db, username, password, tls, source: formatSource(scheme, host, port, db, username) };
}

/** The canonical, password-free form: scheme, user (not secret), host, port, db when not 0. */
export function formatSource(scheme: string, host: string, port: number, db = 0, username?: string): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const user = username ? `${encodeURIComponent(username)}@` : '';
  return `${scheme}://${user}${hostPart}:${port}${db ? `/${db}` : ''}`;
}

/** `HOST:PORT` (IPv6 as `[::1]:26379`) for --sentinel; port defaults to 26379. */
export function parseHostPort(text: string, defaultPort: number, flag: string): { host: string; port: number } {
  const { host, port } = parseAddress(text, defaultPort, flag);
  return { host, port };
}
