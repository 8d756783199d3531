import { KeyspaceSummary } from './keyspace-summary.js';
import { connectMemcached, MemcachedReplyError } from './memcached.js';
import { parseMemcachedAddress } from './memcached-parse.js';
import { isLoopback } from './loopback.js';
import { storeFactsFromMemcached } from './memcached-facts.js';
import { completeFacts } from './snapshot.js';
import { storeReportOf, type StoreScan } from './store-report.js';
import type { SessionPatterns } from './session-patterns.js';

/** `--memcached HOST:PORT`: stats, settings and every key's expiry from `lru_crawler metadump all`. Read-only. */
export async function scanMemcached(addressText: string, patterns: SessionPatterns, onKeys?: (count: number) => void): Promise<StoreScan> {
  const started = performance.now();
  const address = parseMemcachedAddress(addressText);
  const store = { kind: 'memcached' as const, source: address.address, mode: 'standalone' as const };
  const client = await connectMemcached(address);
  try {
    const stats = await client.stats();
    const settings = await client.statsSettings().catch((error: unknown) => {
      if (error instanceof MemcachedReplyError) return null;
      throw error;
    });
    const summary = new KeyspaceSummary(store, patterns);
    // memcached's exp and la are its own clock's: compare them with its clock, not ours.
    const now = Number(stats.get('time')) || Date.now() / 1000;
    let seen = 0;
    const dump = await client.metadump((item) => {
      summary.add({ key: item.key, pttlMs: item.exp === -1 ? -1 : Math.max(0, item.exp - now) * 1000, idleSeconds: Math.max(0, now - item.lastAccess), memoryBytes: item.size });
      if (++seen % 10_000 === 0) onKeys?.(seen);
    });
    const base = storeFactsFromMemcached(store, stats, settings, { tls: false, loopback: isLoopback(address.host) });
    if (!dump.available) base.unchecked.push(`lru_crawler metadump is unavailable (${dump.reason}): keys and expiries were not checked`);
    const namespaces = summary.namespaces();
    const facts = completeFacts(base, namespaces);
    const report = storeReportOf(facts, namespaces, {
      keysScanned: seen,
      sample: null,
      durationMs: Math.round(performance.now() - started),
      method: null,
      slotsCovered: null,
      unreachable: [],
    });
    return { namespaces, facts, report };
  } finally {
    client.close();
  }
}
