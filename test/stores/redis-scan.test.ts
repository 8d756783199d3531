// The key walk against real servers: exact counts and TTLs on both paths (Lua and pipelined), the
// split walk, sampling, an ACL user with only read commands (with and without EVAL_RO), a cluster
// (every master), and a server killed in the middle of a walk.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { connectRedis, type RedisStore } from '../../src/stores/redis/connect.js';
import type { KeyPage } from '../../src/stores/redis/key-page.js';
import { READ_ONLY_ACL } from '../../src/stores/redis/read-commands.js';
import { estimateCount } from '../../src/stores/redis/sample.js';
import { walkKeys } from '../../src/stores/redis/scan-keys.js';
import { walkStore, type StoreWalkOptions } from '../../src/stores/redis/scan-store.js';
import { admin, expectedNoTtl, loadKeys } from '../support/redis-data.js';
import { startRedis, startRedisCluster, type RedisCluster, type RedisProcess } from '../support/redis-servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function open(url: string, extra: Parameters<typeof connectRedis>[0] = {}): Promise<RedisStore> {
  const store = await connectRedis({ url, env: {}, ...extra });
  cleanup.push(() => store.close());
  return store;
}

/** Everything a walk saw, for assertions. */
async function collect(store: RedisStore, options: StoreWalkOptions = {}) {
  const keys = new Map<string, number>();
  const types = new Map<string, number>();
  const idle: number[] = [];
  const memory: number[] = [];
  let pages = 0;
  const onPage = (page: KeyPage) => {
    pages++;
    page.keys.forEach((key, i) => keys.set(key, page.pttl[i]));
    for (const type of page.detail?.type ?? []) types.set(type, (types.get(type) ?? 0) + 1);
    idle.push(...(page.detail?.idle ?? []));
    memory.push(...(page.detail?.memory ?? []));
  };
  const result = await walkStore(store, onPage, options);
  return { keys, types, idle, memory, pages, result };
}

const COUNT = 20_000;
const NO_TTL_EVERY = 3;

describe('standalone walk', () => {
  let server: RedisProcess;
  let store: RedisStore;
  beforeAll(async () => {
    server = await startRedis();
    cleanup.push(() => server.stop());
    const client = admin(server.port);
    await loadKeys(client, 'sess:', COUNT, NO_TTL_EVERY);
    await client.hset('hash:1', 'absexp', '1');
    await client.set('weird\nkey', 'x', 'PX', 60_000); // a newline breaks the packed form: that page is refetched
    await client.select(2);
    await client.set('db2:only', 'x');
    client.disconnect();
    store = await open(server.url);
  });

  for (const method of ['lua', 'pipeline'] as const) {
    for (const split of [false, true]) {
      it(`${method}${split ? ', split' : ''}: every key once, exact TTLs, types and idle times`, async () => {
        const { keys, types, idle, result } = await collect(store, { method, split });
        expect(result.keys).toBe(COUNT + 2);
        expect(keys.size).toBe(COUNT + 2);
        expect(result.nodes[0]).toMatchObject({ method, complete: true, dbsize: COUNT + 2 });
        const noTtl = [...keys.values()].filter((pttl) => pttl === -1).length;
        expect(noTtl).toBe(expectedNoTtl(COUNT, NO_TTL_EVERY) + 1); // + hash:1
        expect(keys.get('sess:1')).toBeGreaterThan(3_500_000);
        expect(keys.get('sess:1')).toBeLessThanOrEqual(3_600_001);
        expect(keys.get('weird\nkey')).toBeGreaterThan(0);
        expect(Object.fromEntries(types)).toEqual({ string: COUNT + 1, hash: 1 });
        expect(idle.every((s) => s >= 0 && s < 600)).toBe(true);
      });
    }
  }

  it('detailEvery samples TYPE/IDLETIME; memory is optional', async () => {
    const { types, idle, memory } = await collect(store, { detailEvery: 10, memory: true });
    const sampled = [...types.values()].reduce((a, b) => a + b, 0);
    expect(sampled).toBeGreaterThan(COUNT / 10 - 50);
    expect(sampled).toBeLessThan(COUNT / 10 + 50);
    expect(idle).toHaveLength(sampled);
    expect(memory).toHaveLength(sampled);
    expect(memory.every((bytes) => bytes > 0)).toBe(true);
  });

  it('detailEvery 0 fetches PTTL only', async () => {
    const { types, result } = await collect(store, { detailEvery: 0 });
    expect(types.size).toBe(0);
    expect(result.keys).toBe(COUNT + 2);
  });

  it('MATCH filters on the server', async () => {
    const { keys } = await collect(store, { match: 'hash:*' });
    expect([...keys.keys()]).toEqual(['hash:1']);
  });

  it('the db number in the URL selects the database', async () => {
    const db2 = await open(`${server.url}/2`);
    const { keys } = await collect(db2);
    expect([...keys.keys()]).toEqual(['db2:only']);
  });

  it('a sample walks about N keys and estimates with a stated error', async () => {
    for (const split of [false, true]) {
      const { keys, result } = await collect(store, { sample: 2000, split });
      expect(result.nodes[0].complete).toBe(false);
      expect(keys.size).toBeGreaterThanOrEqual(2000);
      expect(keys.size).toBeLessThan(4500);
      const noTtl = [...keys.values()].filter((pttl) => pttl === -1).length;
      const estimate = estimateCount(noTtl, keys.size, COUNT + 2);
      const truth = expectedNoTtl(COUNT, NO_TTL_EVERY) + 1;
      // The margin is a 95% interval; allow twice it so the test is not flaky.
      expect(Math.abs(estimate.estimate - truth)).toBeLessThan(2 * estimate.margin95);
      expect(estimate.margin95).toBeGreaterThan(0);
    }
  });

  it('a sample over the store splits the budget by DBSIZE', async () => {
    const walk = await walkStore(store, () => {}, { sample: 1000 });
    expect(walk.nodes[0].complete).toBe(false);
    expect(walk.keys).toBeGreaterThanOrEqual(1000);
  });

  it('stops issuing pages when the handler throws', async () => {
    let calls = 0;
    const failing = walkKeys(store.nodes[0], () => {
      calls++;
      throw new Error('handler failed');
    }, { split: true });
    await expect(failing).rejects.toThrow('handler failed');
    expect(calls).toBeLessThanOrEqual(2);
  });
});

describe('an ACL user with only read commands', () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis({
      aclFile: [
        'user default on nopass ~* &* +@all',
        // %R~*: read-only key access too, so even a write that slipped through would be refused.
        `user auditor on >audit-pw %R~* resetchannels -@all ${READ_ONLY_ACL}`,
        `user noscript on >audit-pw %R~* resetchannels -@all ${READ_ONLY_ACL} -eval_ro -evalsha_ro`,
        `user minimal on >audit-pw %R~* resetchannels -@all +scan +pttl +type +object|idletime +eval_ro +dbsize`,
        '',
      ].join('\n'),
    });
    cleanup.push(() => server.stop());
    const client = admin(server.port);
    await loadKeys(client, 'sess:', 5000, 2);
    client.disconnect();
  });

  const url = (user: string) => `redis://${user}:audit-pw@127.0.0.1:${server.port}`;

  it('runs the walk with EVAL_RO', async () => {
    const store = await open(url('auditor'));
    const { result, keys } = await collect(store, { memory: true });
    expect(result.nodes[0]).toMatchObject({ method: 'lua', keys: 5000, complete: true });
    expect(result.nodes[0].fallbackReason).toBeUndefined();
    expect([...keys.values()].filter((p) => p === -1)).toHaveLength(expectedNoTtl(5000, 2));
  });

  it('falls back to pipelined commands when EVAL_RO is refused, and says why', async () => {
    const store = await open(url('noscript'));
    const { result, keys } = await collect(store, { memory: true });
    expect(result.nodes[0]).toMatchObject({ method: 'pipeline', keys: 5000, complete: true });
    expect(result.nodes[0].fallbackReason).toMatch(/EVAL_RO refused \(NOPERM.*\); used SCAN with pipelined commands/);
    expect([...keys.values()].filter((p) => p === -1)).toHaveLength(expectedNoTtl(5000, 2));
  });

  it('goes on without MEMORY USAGE, CONFIG or INFO when refused (reported as unknown)', async () => {
    const store = await open(url('minimal'));
    expect(await store.nodes[0].configGet('maxmemory*')).toBeUndefined();
    const { result, memory } = await collect(store, { memory: true, detailEvery: 50 });
    expect(result.nodes[0]).toMatchObject({ method: 'lua', keys: 5000 });
    expect(memory.length).toBeGreaterThan(0);
    expect(memory.every((bytes) => bytes === -1)).toBe(true);
  });

  it('a user without PTTL gets one clear error', async () => {
    const client = admin(server.port);
    await client.acl('SETUSER', 'nopttl', 'on', '>audit-pw', '%R~*', '-@all', '+scan', '+eval_ro', '+dbsize', '+ping');
    client.disconnect();
    const store = await open(url('nopttl'));
    const error = await collect(store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toMatch(/^redis:\/\/nopttl@127\.0\.0\.1:\d+: PTTL: NOPERM/);
  });
});

describe('cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    cleanup.push(() => cluster.stop());
    // Write through each master's own slots: ask the cluster where each key lives, then write there.
    const { Cluster } = await import('ioredis');
    const writer = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { redisOptions: { maxRetriesPerRequest: 1 } });
    await Promise.all(Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? writer.set(`sess:${i}`, 'v') : writer.set(`sess:${i}`, 'v', 'PX', 600_000))));
    await writer.quit();
  });

  it('is detected from INFO, and every master is walked', async () => {
    const store = await open(cluster.url);
    expect(store.mode).toBe('cluster');
    expect(store.nodes).toHaveLength(3);
    expect(store.slotsCovered).toBe(16384);
    expect(store.unreachable).toEqual([]);
    const perNode = new Map<string, number>();
    const { keys, result } = await collect(store);
    for (const node of result.nodes) perNode.set(node.source, node.keys);
    expect(keys.size).toBe(3000);
    expect([...keys.values()].filter((p) => p === -1)).toHaveLength(1000);
    expect(perNode.size).toBe(3);
    for (const count of perNode.values()) expect(count).toBeGreaterThan(500); // slots are spread evenly
    expect(result.nodes.every((n) => n.method === 'lua')).toBe(true); // allow-cross-slot-keys works
  });

  it('--cluster is accepted, and a split walk per master is exact too', async () => {
    const store = await open(cluster.url, { cluster: true });
    const { keys } = await collect(store, { split: true });
    expect(keys.size).toBe(3000);
  });
});

describe('a server that dies in the middle of a walk', () => {
  for (const method of ['lua', 'pipeline'] as const) {
    it(`${method}: one clear InputError, quickly, no hang`, async () => {
      const server = await startRedis();
      cleanup.push(() => server.stop());
      const client: Redis = admin(server.port);
      await loadKeys(client, 'sess:', 30_000);
      client.disconnect();
      const store = await open(server.url);
      let pages = 0;
      const started = Date.now();
      const error = await walkKeys(store.nodes[0], () => {
        if (++pages === 2) server.kill();
      }, { method, count: 500, split: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(String(error)).toMatch(new RegExp(`^${server.url}: connection lost during the key scan, after \\d+ keys$`));
      expect(Date.now() - started).toBeLessThan(5000);
    });
  }

  it('a server that freezes (SIGSTOP) mid-walk: the command timeout ends it, no hang', async () => {
    const server = await startRedis();
    cleanup.push(() => server.stop());
    const client: Redis = admin(server.port);
    await loadKeys(client, 'sess:', 30_000);
    client.disconnect();
    const store = await connectRedis({ url: server.url, env: {}, timeouts: { commandMs: 1000 } });
    cleanup.push(() => store.close());
    let pages = 0;
    const started = Date.now();
    const error = await walkKeys(store.nodes[0], () => {
      if (++pages === 2) process.kill(server.pid, 'SIGSTOP');
    }, { count: 500 }).catch((e: unknown) => e);
    process.kill(server.pid, 'SIGCONT');
    expect(String(error)).toMatch(new RegExp(`^${server.url}: no reply in time during the key scan, after \\d+ keys \\(server busy or frozen\\)$`));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
