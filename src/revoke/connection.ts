/**
 * The connection options revoke and restore share with scan (--redis, --cluster, --sentinel,
 * --sentinel-name, --redis-user, --tls-*), turned into RedisConnectOptions, and the form saved in a
 * run's state for --resume: with every password removed (it comes back from the URL given again,
 * REDISCLI_AUTH, or SESSION_AUDIT_SENTINEL_AUTH).
 */
import { UsageError } from '../errors.js';
import type { RedisConnectOptions } from '../stores/redis/connect.js';
import { parseSentinelArg } from '../stores/redis/sentinel-arg.js';
import { redactUrl, type RedisTlsOptions } from '../stores/redis/url.js';
import type { SavedConnection } from './run-state.js';

export interface ConnectionArgs {
  url?: string;
  cluster?: boolean;
  sentinels: string[];
  sentinelName?: string;
  redisUser?: string;
  tls?: RedisTlsOptions;
}

export function connectOptions(args: ConnectionArgs, env: NodeJS.ProcessEnv = process.env): RedisConnectOptions {
  if (args.sentinels.length > 0 && !args.sentinelName) throw new UsageError('--sentinel needs --sentinel-name NAME (the master group)');
  if (args.sentinelName && args.sentinels.length === 0) throw new UsageError('--sentinel-name needs at least one --sentinel HOST:PORT');
  if (!args.url && args.sentinels.length === 0) throw new UsageError('--redis URL (or --sentinel HOST:PORT --sentinel-name NAME) is required');
  const parsed = args.sentinels.map(parseSentinelArg);
  const credentials = parsed.find((entry) => entry.password !== undefined) ?? { username: undefined, password: env.SESSION_AUDIT_SENTINEL_AUTH || undefined };
  return {
    url: args.url,
    cluster: args.cluster,
    user: args.redisUser,
    tls: args.tls,
    env,
    sentinel:
      parsed.length > 0
        ? { sentinels: parsed.map(({ host, port }) => ({ host, port })), name: args.sentinelName!, username: credentials.username, password: credentials.password }
        : undefined,
  };
}

/** Without passwords: what run.json keeps. */
export function savedConnection(args: ConnectionArgs): SavedConnection {
  return {
    url: args.url ? redactUrl(args.url) : undefined,
    cluster: args.cluster,
    sentinels: args.sentinels.map(redactSentinel),
    sentinelName: args.sentinelName,
    redisUser: args.redisUser,
    tls: args.tls,
  };
}

export function redactSentinel(text: string): string {
  const at = text.lastIndexOf('@');
  return at < 0 ? text : text.slice(at + 1);
}

/**
 * The connection of a run being resumed: the saved one, with the URL given now when it names the
 * same store (it may carry the password the saved one lacks).
 */
export function resumeConnection(saved: SavedConnection, given: ConnectionArgs): ConnectionArgs {
  if (given.url && saved.url && redactUrl(given.url) !== saved.url) {
    throw new UsageError(`--resume: this run was against ${saved.url}, not ${redactUrl(given.url)}`);
  }
  const sentinels = given.sentinels.length > 0 ? given.sentinels : saved.sentinels;
  return { ...saved, url: given.url ?? saved.url, sentinels, tls: given.tls ?? saved.tls, redisUser: given.redisUser ?? saved.redisUser };
}
