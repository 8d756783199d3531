import type { StoreFacts, StoreRef } from '../../model/index.js';

/** `INFO` text (`# Section` headers, `field:value` lines) as a flat map. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** What scan read from one Redis node: INFO, CONFIG GET (null when refused), the default user's ACL. */
export interface RedisReadings {
  info: Map<string, string>;
  /** CONFIG GET results; null when the server or an ACL refused CONFIG. */
  config: Map<string, string> | null;
  /** `ACL GETUSER default` flags ("on", "nopass", ...); null when refused or before Redis 6. */
  defaultUserFlags: string[] | null;
}

const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

/** Store facts before the key walk adds what it saw (sessionKeys, otherKeysWithTtl, frameworks). */
export type StoreSettings = Omit<StoreFacts, 'sessionKeys' | 'keysEstimated' | 'otherKeysWithTtl' | 'frameworks' | 'frameworksWithBookkeeping'>;

export interface Transport {
  tls: boolean;
  loopback: boolean;
}

export function storeFactsFromRedis(store: StoreRef, readings: RedisReadings, transport: Transport): StoreSettings {
  const { info, config, defaultUserFlags } = readings;
  const unchecked: string[] = [];
  if (!config) unchecked.push('CONFIG GET was refused: persistence, eviction policy and protected mode were read from INFO where it has them');
  if (!defaultUserFlags) unchecked.push('ACL GETUSER default was refused: whether the default user needs a password is unknown');
  const maxmemory = number(config?.get('maxmemory') ?? info.get('maxmemory'));
  const save = config?.get('save');
  const aof = config?.get('appendonly') ?? (info.has('aof_enabled') ? (info.get('aof_enabled') === '1' ? 'yes' : 'no') : undefined);
  const role = info.get('role');
  return {
    kind: 'store',
    store,
    version: info.get('redis_version') ?? null,
    uptimeSeconds: number(info.get('uptime_in_seconds')),
    maxmemoryBytes: maxmemory,
    usedMemoryBytes: number(info.get('used_memory')),
    maxmemoryPolicy: config?.get('maxmemory-policy') ?? info.get('maxmemory_policy') ?? null,
    evictedKeys: number(info.get('evicted_keys')),
    // `save ""` turns RDB snapshots off; INFO has no equivalent, so without CONFIG it stays unknown.
    rdbEnabled: save === undefined ? null : save.trim() !== '',
    aofEnabled: aof === undefined ? null : aof === 'yes',
    lastBgsaveOk: info.has('rdb_last_bgsave_status') ? info.get('rdb_last_bgsave_status') === 'ok' : null,
    aofLastWriteOk: info.get('aof_enabled') === '1' ? info.get('aof_last_write_status') === 'ok' : null,
    replicas: role === 'master' ? (number(info.get('connected_slaves')) ?? 0) : null,
    defaultUserWithoutPassword: defaultUserFlags ? defaultUserFlags.includes('on') && defaultUserFlags.includes('nopass') : null,
    protectedMode: config?.has('protected-mode') ? config.get('protected-mode') === 'yes' : null,
    keyspaceEvents: config?.get('notify-keyspace-events') ?? null,
    tls: transport.tls,
    loopback: transport.loopback,
    unchecked,
  };
}
