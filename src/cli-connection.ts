/**
 * The flags every command working on one Redis shares with scan (--redis, --cluster, --sentinel,
 * --sentinel-name, --redis-user, --tls-*), turned into connection arguments, and the number and time
 * flags those commands read.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** The connection options of scan, for the commands that work on one Redis (revoke, restore, token revoke). */
export function withConnection(command: Command): Command {
  return command
    .option('--redis <url>', 'the Redis: redis[s]://[user[:password]@]host[:port][/db] (password also from REDISCLI_AUTH)')
    .option('--cluster', 'the --redis URL is a Redis Cluster node: work on every master (detected from INFO otherwise)')
    .option('--sentinel <host:port>', 'a Sentinel to ask for the current master, [user:password@]host:port (repeatable; password also from SESSION_AUDIT_SENTINEL_AUTH)', collect)
    .option('--sentinel-name <name>', 'the master group name Sentinel knows')
    .option('--redis-user <user>', 'ACL user when the URL has none')
    .option('--tls-ca <file>', 'CA certificate (PEM) for rediss://')
    .option('--tls-cert <file>', 'client certificate (PEM) for rediss://')
    .option('--tls-key <file>', 'client key (PEM) for rediss://')
    .option('--tls-insecure', 'do not verify the server certificate');
}

export interface ConnectionFlags {
  redis?: string;
  cluster?: boolean;
  sentinel?: string[];
  sentinelName?: string;
  redisUser?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsInsecure?: boolean;
}

export function connectionArgs(options: ConnectionFlags) {
  return {
    url: options.redis,
    cluster: options.cluster,
    sentinels: options.sentinel ?? [],
    sentinelName: options.sentinelName,
    redisUser: options.redisUser,
    tls: options.tlsCa || options.tlsCert || options.tlsKey || options.tlsInsecure ? { ca: options.tlsCa, cert: options.tlsCert, key: options.tlsKey, insecure: options.tlsInsecure } : undefined,
  };
}

export function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || !/^\d+(\.\d+)?$/.test(value.trim())) throw new UsageError(`${flag}: expected a number${min > 0 ? ' above 0' : ''} (got "${value}")`);
  return number;
}

/** `--created-before`: ISO 8601 (a date-time without zone is UTC), epoch seconds, or "now". */
export function parseTime(flag: string, value: string, now = Date.now()): number {
  const text = value.trim();
  if (text === 'now') return now;
  if (/^\d{9,11}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${flag} ${value}: not a time (use an ISO date like 2025-11-03T10:00:00Z, epoch seconds, or now)`);
}

