import type { StoreRef } from '../model/index.js';
import type { StoreSettings, Transport } from './redis/info-facts.js';

const number = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));

/**
 * Memcached as a session store, from `stats` and `stats settings`: it keeps nothing on disk, has no
 * replicas, and (with the text protocol) no authentication; it evicts least-recently-used items when
 * full unless started with -M (settings "evictions off").
 */
export function storeFactsFromMemcached(
  store: StoreRef,
  stats: Map<string, string>,
  settings: Map<string, string> | null,
  transport: Transport,
): StoreSettings {
  const evictionsOn = settings?.get('evictions');
  return {
    kind: 'store',
    store,
    version: stats.get('version') ?? null,
    uptimeSeconds: number(stats.get('uptime')),
    maxmemoryBytes: number(stats.get('limit_maxbytes')),
    usedMemoryBytes: number(stats.get('bytes')),
    maxmemoryPolicy: evictionsOn === undefined ? 'lru' : evictionsOn === 'on' ? 'lru' : 'noeviction',
    evictedKeys: number(stats.get('evictions')),
    rdbEnabled: false,
    aofEnabled: false,
    lastBgsaveOk: null,
    aofLastWriteOk: null,
    replicas: 0,
    // The text protocol has no authentication: whoever reaches the port can read every session.
    defaultUserWithoutPassword: true,
    protectedMode: null,
    keyspaceEvents: null,
    tls: transport.tls,
    loopback: transport.loopback,
    unchecked: settings ? [] : ['stats settings was refused: whether evictions are on is assumed (the default)'],
  };
}
