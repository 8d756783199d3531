import { UsageError } from '../../errors.js';
import { parseHostPort } from './url.js';

/** `[user:password@]host:port` for --sentinel (scan, revoke, restore): the userinfo is Sentinel's own login. */
export function parseSentinelArg(text: string): { host: string; port: number; username?: string; password?: string } {
  const at = text.lastIndexOf('@');
  const address = parseHostPort(at >= 0 ? text.slice(at + 1) : text, 26379, '--sentinel');
  if (at < 0) return address;
  const userinfo = text.slice(0, at);
  const colon = userinfo.indexOf(':');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new UsageError(`--sentinel ${address.host}:${address.port}: malformed %-escape in the credentials`);
    }
  };
  return colon < 0
    ? { ...address, password: decode(userinfo) }
    : { ...address, username: decode(userinfo.slice(0, colon)) || undefined, password: decode(userinfo.slice(colon + 1)) };
}
