/**
 * What `watch` reads every interval besides events: INFO keyspace (keys, expires of the database)
 * and INFO stats (expired_keys, evicted_keys, server-wide counters), and a bounded SCAN of each master.
 * Without notifications (the fallback), two SCANs in a row that each saw every key tell what was
 * created (there now, not before) and what went (expired when its TTL had run out, else deleted or,
 * when INFO counted evictions meanwhile, evicted in that proportion).
 */
import type { RedisReader } from '../stores/redis/reader.js';
import { parseInfo } from '../stores/redis/info-facts.js';
import { walkKeys } from '../stores/redis/scan-keys.js';
import type { WatchEventKind } from './subscribe.js';

export interface ServerCounters {
  /** Keys in the database watched, summed over masters. */
  keys: number;
  /** Keys with a TTL. */
  expires: number;
  /** Server-wide totals since start (every database): INFO stats. */
  expiredKeys: number;
  evictedKeys: number;
  /** The nodes (sources) that are replicas now (INFO replication): a master demoted by a failover. */
  replicas: string[];
}

export async function readServerCounters(nodes: readonly RedisReader[], db: number): Promise<ServerCounters> {
  const perNode = await Promise.all(
    nodes.map(async (node) => {
      const [[, keyspace], [, stats], [, replication]] = await node.pipeline([
        ['INFO', 'keyspace'],
        ['INFO', 'stats'],
        ['INFO', 'replication'],
      ]);
      const info = parseInfo(`${String(keyspace ?? '')}\n${String(stats ?? '')}\n${String(replication ?? '')}`);
      const dbLine = info.get(`db${db}`) ?? '';
      const field = (name: string) => Number(new RegExp(`(?:^|,)${name}=(\\d+)`).exec(dbLine)?.[1] ?? 0);
      const replica = info.get('role') === 'slave';
      return { keys: field('keys'), expires: field('expires'), expiredKeys: Number(info.get('expired_keys') ?? 0), evictedKeys: Number(info.get('evicted_keys') ?? 0), replicas: replica ? [node.source] : [] };
    }),
  );
  return perNode.reduce((sum, node) => ({
    keys: sum.keys + node.keys,
    expires: sum.expires + node.expires,
    expiredKeys: sum.expiredKeys + node.expiredKeys,
    evictedKeys: sum.evictedKeys + node.evictedKeys,
    replicas: [...sum.replicas, ...node.replicas],
  }), { keys: 0, expires: 0, expiredKeys: 0, evictedKeys: 0, replicas: [] as string[] });
}

export interface KeySample {
  /** Key -> the moment it expires (ms since epoch), or -1 without TTL. */
  keys: Map<string, number>;
  scanned: number;
  /** Keys on the masters (INFO keyspace) when the sample was taken. */
  total: number;
  /** Every master's SCAN came back to cursor 0: every key was seen. */
  complete: boolean;
  /** When the SCAN ended (ms since epoch). */
  at: number;
}

/**
 * A SCAN of at most about `limit` keys per master (with PTTL, no other detail). No SCAN MATCH: a
 * partial sample is scaled by the keys it looked at, so it must look at all kinds of keys.
 * @param total the key count to scale a partial sample by (INFO keyspace)
 */
export async function sampleKeys(nodes: readonly RedisReader[], options: { limit: number; total: number }): Promise<KeySample> {
  const keys = new Map<string, number>();
  let scanned = 0;
  const results = await Promise.all(
    nodes.map((node) =>
      walkKeys(
        node,
        (page) => {
          const now = Date.now();
          page.keys.forEach((key, i) => {
            const pttl = page.pttl[i];
            if (pttl === -2) return; // gone between SCAN and PTTL
            scanned++;
            keys.set(key, pttl < 0 ? -1 : now + pttl);
          });
        },
        { limit: options.limit, detailEvery: 0, count: Math.min(1000, Math.max(10, options.limit)) },
      ),
    ),
  );
  return { keys, scanned, total: Math.max(options.total, scanned), complete: results.every((r) => r.complete), at: Date.now() };
}

/**
 * The events between two complete samples. `evicted`: evictions INFO counted in between (server
 * wide); that share of the keys that went before their TTL ran out is counted as evicted.
 */
export function diffSamples(before: KeySample, after: KeySample, evicted: number): Array<[WatchEventKind, string]> {
  const events: Array<[WatchEventKind, string]> = [];
  const goneEarly: string[] = [];
  for (const [key, expiresAt] of before.keys) {
    if (after.keys.has(key)) continue;
    // SCAN never returns a key past its TTL, so one that went after its moment expired.
    if (expiresAt >= 0 && expiresAt <= after.at + 5) events.push(['expired', key]);
    else goneEarly.push(key);
  }
  const evictedShare = goneEarly.length > 0 ? Math.min(1, evicted / goneEarly.length) : 0;
  goneEarly.forEach((key, i) => events.push([i < Math.round(goneEarly.length * evictedShare) ? 'evicted' : 'deleted', key]));
  for (const key of after.keys.keys()) if (!before.keys.has(key)) events.push(['new', key]);
  return events;
}
