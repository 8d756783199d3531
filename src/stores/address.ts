import { UsageError } from '../errors.js';

export interface Address {
  host: string;
  port: number;
  /** `host:port`, `[v6]:port` for IPv6: what errors and reports name a store by. */
  address: string;
}

/** `host:port`, `[::1]:port`, or a bare host / `[v6]` for `defaultPort`, as a store flag takes it. */
export function parseAddress(text: string, defaultPort: number, flag: string): Address {
  const input = text.trim();
  const bad = (why: string) => new UsageError(`${flag} ${JSON.stringify(text)}: ${why} (expected HOST:PORT or [IPv6]:PORT)`);
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
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || !Number.isInteger(port) || port < 1 || port > 65535) throw bad('bad port');
  return { host, port, address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` };
}
