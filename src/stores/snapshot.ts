import type { Namespace, StoreFacts, StoreRef } from '../model/index.js';
import { KeyspaceSummary, type KeyRecord } from './keyspace-summary.js';
import { storeFactsFromMemcached } from './memcached-facts.js';
import { parseInfo, storeFactsFromRedis, type StoreSettings, type Transport } from './redis/info-facts.js';

/**
 * What a scan reads from one store, in a form that can also be written down: the live scan fills it
 * from the server, and rule fixtures (`fixtures/rules/<id>/*.store.json`) hold it as JSON, so the same
 * analysis runs on both.
 */
export interface StoreSnapshot {
  store: StoreRef;
  transport: Transport;
  redis?: { info: string; config: Record<string, string> | null; defaultUserFlags: string[] | null };
  memcached?: { stats: Record<string, string>; settings: Record<string, string> | null };
  keys: KeyRecord[];
  /** Set when `keys` is a sample of a larger keyspace. */
  sample?: { sampled: number; total: number };
  /** What the Spring Session principal index check found (a live scan reads it with SSCAN + EXISTS). */
  springIndex?: NonNullable<Namespace['staleIndex']>;
}

export function settingsOf(snapshot: Omit<StoreSnapshot, 'keys'>): StoreSettings {
  if (snapshot.redis) {
    const { info, config, defaultUserFlags } = snapshot.redis;
    const readings = { info: parseInfo(info), config: config ? new Map(Object.entries(config)) : null, defaultUserFlags };
    return storeFactsFromRedis(snapshot.store, readings, snapshot.transport);
  }
  const memcached = snapshot.memcached ?? { stats: {}, settings: null };
  const settings = memcached.settings ? new Map(Object.entries(memcached.settings)) : null;
  return storeFactsFromMemcached(snapshot.store, new Map(Object.entries(memcached.stats)), settings, snapshot.transport);
}

/** Store facts completed with what the key walk saw. */
export function completeFacts(settings: StoreSettings, namespaces: Namespace[]): StoreFacts {
  const sessions = namespaces.filter((namespace) => namespace.role === 'session');
  return {
    ...settings,
    sessionKeys: sessions.reduce((sum, namespace) => sum + namespace.keys, 0),
    keysEstimated: namespaces.some((namespace) => namespace.errorMargin !== null),
    otherKeysWithTtl: namespaces
      .filter((namespace) => namespace.framework === null)
      .reduce((sum, namespace) => sum + namespace.ttl.keys - namespace.ttl.withoutTtl, 0),
    frameworks: [...new Set(namespaces.flatMap((namespace) => (namespace.framework ? [namespace.framework] : [])))].sort(),
    frameworksWithBookkeeping: [
      ...new Set(namespaces.flatMap((namespace) => (namespace.framework && namespace.role !== 'session' ? [namespace.framework] : []))),
    ].sort(),
  };
}

export function analyseSnapshot(snapshot: StoreSnapshot): { namespaces: Namespace[]; facts: StoreFacts } {
  const summary = new KeyspaceSummary(snapshot.store);
  for (const record of snapshot.keys) summary.add(record);
  const namespaces = summary.namespaces(snapshot.sample);
  for (const namespace of namespaces) {
    if (namespace.framework === 'spring-session' && namespace.role === 'index' && snapshot.springIndex) namespace.staleIndex = snapshot.springIndex;
  }
  return { namespaces, facts: completeFacts(settingsOf(snapshot), namespaces) };
}
