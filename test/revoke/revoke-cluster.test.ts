// `revoke` and `restore` on a real 3-master Redis Cluster: the exact set deleted on every master
// (one key per UNLINK: no CROSSSLOT), everything else untouched byte for byte, backup then restore
// into the slot owners, Spring Session bookkeeping spread over masters, and MOVED / ASK followed
// while a slot is being resharded.
import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { springPrincipalIndexKey } from '../../src/revoke/session-user.js';
import { connectRedisWriter } from '../../src/stores/redis/connect.js';
import { REVOKE_WRITES } from '../../src/stores/redis/write-commands.js';
import { unlinkKeys } from '../../src/stores/redis/write-batch.js';
import { keySlot, NodeRouter } from '../../src/stores/redis/write-routing.js';
import { FRAMEWORK_SESSIONS, MORE_FRAMEWORK_SESSIONS } from '../support/framework-sessions.js';
import { admin } from '../support/redis-data.js';
import { cli, startRedisCluster, type RedisCluster } from '../support/redis-servers.js';
import { clusterSnapshot, compareSnapshots, restore, revoke, tempState } from './support.js';

let cluster: RedisCluster;
let writer: Cluster;
let nodes: Redis[];
const state = tempState();

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  writer = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { redisOptions: { maxRetriesPerRequest: 1 } });
  nodes = cluster.nodes.map((node) => admin(node.port));
});

afterAll(async () => {
  writer?.disconnect();
  nodes?.forEach((node) => node.disconnect());
  await cluster?.stop();
  state.remove();
});

const SPRING_ID = '7e3f1c2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
const BULK = 900;

async function seed(prefix: string): Promise<{ sessions: Set<string>; others: string[] }> {
  const sessions = new Set<string>();
  for (const session of [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS]) {
    await session.write(writer as unknown as Redis);
    if (session.framework !== 'aspnet-core') sessions.add(session.key);
  }
  const others: string[] = [];
  for (let i = 0; i < BULK; i++) {
    const key = `sess:${prefix}${String(i).padStart(6, '0')}Zq8Wm3Kx`;
    await writer.set(key, JSON.stringify({ passport: { user: `u${i % 30}` } }), 'EX', 7200 + i);
    sessions.add(key);
    const other = `cache:${prefix}:${i}`;
    await writer.set(other, `v${i}`);
    others.push(other);
  }
  return { sessions, others };
}

describe('revoke on a 3-master cluster', () => {
  it('deletes exactly the selected sessions on every master, backs them up, and restore brings them back to their slot owners', async () => {
    const { sessions } = await seed('a');
    const masters = new Set([...sessions].map((key) => keySlot(key)));
    expect(masters.size).toBeGreaterThan(100); // spread over many slots, so over every master
    const snapshotAt = performance.now();
    const before = await clusterSnapshot(nodes);
    const backup = state.file('cluster-backup.jsonl');
    const summary = await revoke(cluster.url, state, { allSessions: true }, { yes: true, backup });
    const revokeMs = performance.now() - snapshotAt;
    expect(summary).toMatchObject({ mode: 'cluster', matched: sessions.size, revoked: sessions.size, notFound: 0, spring: { expiryKeys: 1, indexEntries: 1 } });
    const gone = new Set([...sessions, `spring:session:sessions:expires:${SPRING_ID}`, springPrincipalIndexKey('bob')]);
    expect(compareSnapshots(before, await clusterSnapshot(nodes), gone)).toEqual([]);

    const restoreAt = performance.now();
    const restored = await restore(cluster.url, state, backup, { yes: true });
    expect(restored).toMatchObject({ restored: sessions.size + 1, existing: { count: 0 }, failed: { count: 0 }, indexEntries: { restored: 1 } });
    // TTLs within a second, plus the time they ran while the test revoked and read back (revoke-standalone).
    const after = await clusterSnapshot(nodes);
    expect(compareSnapshots(before, after, new Set(), 1_000 + revokeMs + (performance.now() - restoreAt), 'content')).toEqual([]);
    const again = await revoke(cluster.url, state, { allSessions: true });
    expect(again.matched).toBe(sessions.size);
    // Clean up for the next test.
    await revoke(cluster.url, state, { allSessions: true }, { yes: true });
  });

  it('--user on Spring Session: hash, expires key and index entry go, wherever each lives', async () => {
    const spring = FRAMEWORK_SESSIONS.find((s) => s.framework === 'spring-session')!;
    await spring.write(writer as unknown as Redis);
    const keys = [spring.key, `spring:session:sessions:expires:${SPRING_ID}`, springPrincipalIndexKey('bob')];
    expect(new Set(keys.map(keySlot)).size).toBe(3);
    const summary = await revoke(cluster.url, state, { user: 'bob', frameworks: ['spring-session'] }, { yes: true });
    expect(summary).toMatchObject({ matched: 1, revoked: 1, spring: { expiryKeys: 1, indexEntries: 1 } });
    for (const key of keys) expect(await writer.exists(key)).toBe(0);
  });

  it('--user with a value scan on every master', async () => {
    const { sessions } = await seed('b');
    const summary = await revoke(cluster.url, state, { user: 'u7', frameworks: ['connect-redis'] }, { yes: true });
    expect(summary.revoked).toBe(BULK / 30);
    expect([...sessions].filter((key) => key.startsWith('sess:b')).length).toBe(BULK);
    await revoke(cluster.url, state, { allSessions: true }, { yes: true });
  });
});

describe('resharding', () => {
  const ids = () =>
    Object.fromEntries(
      cluster.nodes.map((node) => [node.port, cli(node.port, ['CLUSTER', 'MYID']).trim()]),
    ) as Record<number, string>;
  const ownerPort = async (slot: number) => {
    const slots = (await nodes[0].call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
    return slots.find(([from, to]) => slot >= from && slot <= to)![2][1];
  };

  it('follows MOVED after a slot moved for good, and ASK while it is migrating', async () => {
    const store = await connectRedisWriter({ url: cluster.url, env: {} }, REVOKE_WRITES);
    const router = new NodeRouter(store);
    try {
      const id = ids();
      // MOVED: the key's slot is moved to another master after the router learnt the slot map.
      const moved = 'sess:{moved}Kx9vQ2mZ7rT4yB8nW1pL5c';
      await writer.set(moved, '{}');
      const slot = keySlot(moved);
      const from = await ownerPort(slot);
      const to = cluster.nodes.find((node) => node.port !== from)!.port;
      expect(await router.addressFor(moved)).toBe(`127.0.0.1:${from}`);
      cli(to, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', id[from]]);
      cli(from, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', id[to]]);
      cli(from, ['MIGRATE', '127.0.0.1', String(to), '', '0', '5000', 'KEYS', moved]);
      for (const node of cluster.nodes) cli(node.port, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', id[to]]);
      const [[error, removed]] = await router.send([{ key: moved, node: `127.0.0.1:${from}`, command: ['UNLINK', moved] }]);
      expect(error).toBeNull();
      expect(removed).toBe(1);
      expect(router.redirects.moved).toBe(1);

      // ASK: the slot is half migrated; one key has moved, its neighbour has not.
      const asked = 'sess:{asked}Kx9vQ2mZ7rT4yB8nW1pL5c';
      const stays = 'sess:{asked}Zz9vQ2mZ7rT4yB8nW1pL5c';
      await writer.set(asked, '{}');
      await writer.set(stays, '{}');
      const slot2 = keySlot(asked);
      const from2 = await ownerPort(slot2);
      const to2 = cluster.nodes.find((node) => node.port !== from2)!.port;
      cli(to2, ['CLUSTER', 'SETSLOT', String(slot2), 'IMPORTING', id[from2]]);
      cli(from2, ['CLUSTER', 'SETSLOT', String(slot2), 'MIGRATING', id[to2]]);
      cli(from2, ['MIGRATE', '127.0.0.1', String(to2), '', '0', '5000', 'KEYS', asked]);
      const replies = await router.send([
        { key: asked, command: ['UNLINK', asked] },
        { key: stays, command: ['UNLINK', stays] },
      ]);
      expect(replies.map(([e, v]) => [e, v])).toEqual([[null, 1], [null, 1]]);
      expect(router.redirects.ask).toBe(1);
      expect(await writer.exists(asked)).toBe(0);
      // Finish the migration so the cluster is whole again.
      for (const node of cluster.nodes) cli(node.port, ['CLUSTER', 'SETSLOT', String(slot2), 'NODE', id[to2]]);

      // The page script on the old owner says 'E' for the key that moved; it is redone with MOVED followed.
      const again = 'sess:{moved}Zz9vQ2mZ7rT4yB8nW1pL5c';
      const local = 'sess:{local}Kx9vQ2mZ7rT4yB8nW1pL5c';
      await writer.set(again, '{}');
      await writer.set(local, '{}');
      const localOwner = await ownerPort(keySlot(local));
      const fail = (command: string, error: Error): never => {
        throw new Error(`${command}: ${error.message}`);
      };
      const before = router.redirects.moved;
      const results = await unlinkKeys(router, [
        { key: again, node: `127.0.0.1:${from}` },
        { key: local, node: `127.0.0.1:${localOwner}` },
        { key: 'sess:{local}never-existed', node: `127.0.0.1:${localOwner}` },
      ], fail);
      expect(results).toEqual([1, 1, 0]);
      expect(router.redirects.moved).toBe(before + 1);
      expect((await writer.exists(again)) + (await writer.exists(local))).toBe(0);
    } finally {
      await router.close();
      await store.close();
    }
  });
});
