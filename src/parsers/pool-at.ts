import type { ConfigFormat, Pool, PoolMember } from '../model/index.js';
import type { ParseInput } from './types.js';

export interface PoolFields {
  format: ConfigFormat;
  /** Exactly the `pool` text the format's Affinity uses for it. */
  name: string;
  proxy: string;
  members: PoolMember[];
  namespace?: string;
  selector?: Record<string, string>;
  workload?: string;
}

/** The one way a parser builds a Pool: located at `at` in `input` (for an included file, the file it was read from). */
export function poolAt(input: ParseInput, at: { line: number; column: number }, fields: PoolFields): Pool {
  const pool: Pool = {
    kind: 'pool',
    format: fields.format,
    name: fields.name,
    proxy: fields.proxy,
    location: { file: input.file, line: at.line, column: at.column },
    members: fields.members,
  };
  if (fields.namespace !== undefined) pool.namespace = fields.namespace;
  if (fields.selector !== undefined) pool.selector = fields.selector;
  if (fields.workload !== undefined) pool.workload = fields.workload;
  return pool;
}

/** Members once each (same host and port), in the order first written. */
export function uniqueMembers(members: PoolMember[]): PoolMember[] {
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = `${member.host}\0${member.port ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A member without a port key when the config names none, so test expectations and JSON stay exact. */
export function member(host: string, port?: number): PoolMember {
  return port === undefined ? { host } : { host, port };
}

/** A port written as digits (1-65535); undefined for names, ranges, offsets, variables. */
export function portNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `host:port`, `[v6]:port`, `host`: the host (brackets removed) and the port when it is a number. */
export function splitHostPort(text: string): PoolMember {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) return member(bracketed[1], portNumber(bracketed[2]));
  const colon = text.lastIndexOf(':');
  // A bare IPv6 address has several colons and no port (nginx, Traefik URLs always bracket one with a port).
  if (colon < 0 || text.indexOf(':') !== colon) return member(text);
  return member(text.slice(0, colon), portNumber(text.slice(colon + 1)));
}
