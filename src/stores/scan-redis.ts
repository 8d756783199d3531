import { KeyspaceSummary } from './keyspace-summary.js';
import { isLoopback } from './loopback.js';
import { connectRedis, type RedisConnectOptions } from './redis/connect.js';
import { storeFactsFromRedis, parseInfo, type RedisReadings } from './redis/info-facts.js';
import type { RedisReader } from './redis/reader.js';
import { confirmByValue } from './redis/confirm-values.js';
import { recogniseByValue } from './redis/recognise-values.js';
import { checkSpringIndexes } from './redis/spring-index.js';
import { walkStore } from './redis/scan-store.js';
import type { SessionPatterns } from './session-patterns.js';
import { completeFacts } from './snapshot.js';
import { storeReportOf, type StoreScan } from './store-report.js';

export interface RedisScanOptions extends RedisConnectOptions {
  sample?: number;
  /** MEMORY USAGE for the keys that get detail (default on; about a fifth slower). */
  memory?: boolean;
  patterns: SessionPatterns;
  onKeys?: (count: number) => void;
}

/** `--redis URL`: settings from INFO / CONFIG GET / ACL, then every key's TTL and idle time, read-only. */
export async function scanRedis(options: RedisScanOptions): Promise<StoreScan> {
  const started = performance.now();
  const connection = await connectRedis(options);
  try {
    const store = { kind: 'redis' as const, source: connection.source, mode: connection.mode };
    const readings = await Promise.all(connection.nodes.map(readSettings));
    const first = connection.nodes[0];
    const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(first.source)?.[1] ?? first.address;
    const base = storeFactsFromRedis(store, readings[0], { tls: first.source.startsWith('rediss:'), loopback: isLoopback(host) });
    // A cluster's health is its weakest master: evictions add up; the fewest replicas is what a failure meets.
    base.evictedKeys = sum(readings.map((r) => numberOf(r.info.get('evicted_keys'))));
    // Replicas of masters only: a scanned replica says nothing about the master's (null: unknown).
    const masters = readings.filter((r) => r.info.get('role') === 'master');
    base.replicas = masters.length === readings.length ? Math.min(...masters.map((r) => numberOf(r.info.get('connected_slaves')) ?? 0)) : null;
    if (readings.some((r) => r.info.get('rdb_last_bgsave_status') === 'err')) base.lastBgsaveOk = false;

    const summary = new KeyspaceSummary(store, options.patterns);
    let seen = 0;
    const walk = await walkStore(
      connection,
      (page) => {
        const every = page.detail?.every ?? 0;
        for (let index = 0; index < page.keys.length; index++) {
          const sampled = every > 0 && index % every === 0;
          const idle = sampled ? page.detail!.idle[index / every] : -1;
          // MEMORY USAGE of one key in `every` stands for the keys around it: an estimate, like the report says.
          const memory = sampled && page.detail!.memory ? page.detail!.memory[index / every] : -1;
          summary.add({
            key: page.keys[index],
            pttlMs: page.pttl[index],
            idleSeconds: idle >= 0 ? idle : null,
            memoryBytes: memory >= 0 ? memory * every : null,
            type: sampled ? page.detail!.type[index / every] : null,
            node: page.source,
          });
        }
        seen += page.keys.length;
        options.onKeys?.(seen);
      },
      { sample: options.sample, memory: options.memory !== false },
    );
    const total = walk.nodes.reduce((count, node) => count + node.dbsize, 0);
    const sampled = walk.nodes.some((node) => !node.complete) ? { sampled: walk.keys, total } : undefined;
    const namespaces = summary.namespaces(sampled);
    // Keys no name shape matched can still be sessions by their value's shape (ASP.NET Core's hashes).
    const bySource = new Map(connection.nodes.map((node) => [node.source, node]));
    const byValue = await recogniseByValue(
      namespaces,
      (pattern) => summary.typedExamples(pattern),
      (node) => (node !== undefined ? bySource.get(node) : undefined) ?? first,
    );
    base.unchecked.push(...byValue.unchecked);
    // Common-word prefixes (`session:`, `sess:`) are sessions only if their values have the framework's format.
    const confirmed = await confirmByValue(
      namespaces,
      (pattern) => summary.typedExamples(pattern),
      (node) => (node !== undefined ? bySource.get(node) : undefined) ?? first,
    );
    base.unchecked.push(...confirmed.unchecked, ...confirmed.rejected);
    for (const namespace of namespaces.filter((n) => n.framework === 'spring-session' && n.role === 'index')) {
      // Session and index keys of a cluster live on different masters; EXISTS would be sent to the wrong one.
      if (connection.mode === 'cluster') base.unchecked.push('Spring Session principal indexes: not checked for stale entries on a cluster');
      else namespace.staleIndex = await checkSpringIndexes(first, summary.indexKeys(namespace.pattern));
    }
    for (const node of walk.nodes) {
      if (node.fallbackReason) base.unchecked.push(`${node.source}: ${node.fallbackReason}`);
    }
    const facts = completeFacts(base, namespaces);
    const report = storeReportOf(facts, namespaces, {
      keysScanned: walk.keys,
      sample: sampled ?? null,
      durationMs: Math.round(performance.now() - started),
      method: [...new Set(walk.nodes.map((node) => node.method))].join(', '),
      slotsCovered: connection.slotsCovered ?? null,
      unreachable: connection.unreachable,
    });
    return { namespaces, facts, report };
  } finally {
    await connection.close();
  }
}

async function readSettings(node: RedisReader): Promise<RedisReadings> {
  const info = parseInfo(await node.info());
  const config = (await node.configGet('*')) ?? null;
  let defaultUserFlags: string[] | null = null;
  try {
    const reply = (await node.call('ACL', 'GETUSER', 'default')) as unknown[] | null;
    const at = reply ? reply.indexOf('flags') : -1;
    if (at >= 0 && Array.isArray(reply![at + 1])) defaultUserFlags = (reply![at + 1] as unknown[]).map(String);
  } catch {
    // refused by ACL, or Redis < 6: reported as unchecked by storeFactsFromRedis
  }
  return { info, config, defaultUserFlags };
}

const numberOf = (value: string | undefined) => (value === undefined ? null : Number(value));
const sum = (values: Array<number | null>) => (values.some((value) => value !== null) ? values.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
