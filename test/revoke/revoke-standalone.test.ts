// `revoke` and `restore` against a real redis-server (one database per scenario): the exact set of
// keys deleted, everything else untouched byte for byte, the dry run changing nothing, backup then
// restore, the filters, Spring Session's bookkeeping, and the value confirmation of common prefixes.
import type { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { RESTORE_ACL, REVOKE_ACL } from '../../src/stores/redis/write-commands.js';
import { springPrincipalIndexKey } from '../../src/revoke/session-user.js';
import { FRAMEWORK_SESSIONS, MORE_FRAMEWORK_SESSIONS } from '../support/framework-sessions.js';
import { admin } from '../support/redis-data.js';
import { startRedis, startSentinel, type RedisProcess } from '../support/redis-servers.js';
import { runRevoke } from '../../src/commands/revoke.js';
import { compareSnapshots, planOps, restore, revoke, sessionKeysOf, snapshot, tempState } from './support.js';

let server: RedisProcess;
const clients: Redis[] = [];
const state = tempState();

afterAll(async () => {
  clients.forEach((client) => client.disconnect());
  await server?.stop();
  state.remove();
});

beforeAll(async () => {
  server = await startRedis();
});

/** A client on database `db` of the test server, emptied. */
async function database(db: number): Promise<Redis> {
  const client = admin(server.port, { db });
  clients.push(client);
  await client.flushdb();
  return client;
}

const url = (db: number) => `${server.url}/${db}`;

const SPRING = FRAMEWORK_SESSIONS.find((s) => s.framework === 'spring-session')!;
const SPRING_ID = '7e3f1c2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
const SPRING_EXPIRES = `spring:session:sessions:expires:${SPRING_ID}`;
const SPRING_INDEX_BOB = springPrincipalIndexKey('bob');
const ASPNET = FRAMEWORK_SESSIONS.find((s) => s.framework === 'aspnet-core')!;
const BULK = 600;

/** Every framework's sessions, bulk connect-redis sessions, and keys that are not sessions. */
async function seed(client: Redis): Promise<{ sessions: Set<string>; bulk: string[]; bulkNoTtl: string[] }> {
  for (const session of [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS]) await session.write(client);
  const pipeline = client.pipeline();
  const bulk: string[] = [];
  const bulkNoTtl: string[] = [];
  for (let i = 0; i < BULK; i++) {
    const key = `sess:bulk${String(i).padStart(6, '0')}Qx7Zk2Lm9Np4`;
    const value = JSON.stringify({ cookie: { path: '/' }, passport: { user: `user${i % 20}` } });
    if (i % 4 === 0) {
      pipeline.set(key, value);
      bulkNoTtl.push(key);
    } else pipeline.set(key, value, 'EX', 3600 + i);
    bulk.push(key);
  }
  for (let i = 0; i < 300; i++) {
    if (i % 2) pipeline.set(`cache:page:${i}`, `<html>${i}</html>`, 'EX', 600);
    else pipeline.set(`cache:page:${i}`, `<html>${i}</html>`);
  }
  for (let i = 0; i < 50; i++) pipeline.hset(`user:${i}:profile`, { name: `n${i}`, plan: 'pro' });
  pipeline.rpush('queue:jobs', 'a', 'b', 'c');
  pipeline.set('sessions-total', '42');
  pipeline.set('sess', 'not a session: no id');
  await pipeline.exec();
  // Not sessions to --all-sessions: ASP.NET Core keys (no key shape: --session-pattern). The php-memcached
  // session here is written by the php_binary handler, which the namespace check knows.
  const sessions = new Set([...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].filter((s) => s.framework !== 'aspnet-core').map((s) => s.key));
  for (const key of bulk) sessions.add(key);
  return { sessions, bulk, bulkNoTtl };
}

describe('revoke --all-sessions', () => {
  it('deletes exactly every recognised session (+ Spring bookkeeping); every other key is untouched byte for byte', async () => {
    const client = await database(1);
    const { sessions } = await seed(client);
    const before = await snapshot(client);
    const summary = await revoke(url(1), state, { allSessions: true }, { yes: true });
    const gone = new Set([...sessions, SPRING_EXPIRES, SPRING_INDEX_BOB]);
    expect(compareSnapshots(before, await snapshot(client), gone)).toEqual([]);
    expect(summary).toMatchObject({ dryRun: false, matched: sessions.size, revoked: sessions.size, notFound: 0 });
    expect(summary.spring).toEqual({ expiryKeys: 1, indexEntries: 1, staleIndexEntries: 0 });
    expect(summary.byNamespace['sess:*']).toMatchObject({ framework: 'connect-redis', matched: BULK + 2, revoked: BULK + 2 });
    // The audit log: counts, never keys or values.
    const log = readFileSync(state.auditLog, 'utf8');
    expect(log).toContain(`"runId":"${summary.runId}"`);
    expect(log).toContain('"event":"revoke-batch"');
    expect(log).not.toContain('sess:bulk');
    expect(log).not.toContain('passport');
    // A second identical run is a no-op.
    const again = await revoke(url(1), state, { allSessions: true }, { yes: true });
    expect(again).toMatchObject({ matched: 0, revoked: 0 });
  });

  it('a dry run changes nothing and says what would go', async () => {
    const client = await database(2);
    const { sessions } = await seed(client);
    const before = await snapshot(client);
    const summary = await revoke(url(2), state, { allSessions: true }, { args: ['--redis', url(2), '--all-sessions'] });
    expect(compareSnapshots(before, await snapshot(client), new Set(), 5_000)).toEqual([]);
    expect(summary).toMatchObject({ dryRun: true, runId: null, matched: sessions.size, revoked: 0 });
    expect(summary.command).toBe(`session-audit revoke --redis ${url(2)} --all-sessions --yes`);
    // Examples are masked keys.
    expect(summary.byNamespace['sess:*'].examples.length).toBe(5);
    for (const example of summary.byNamespace['sess:*'].examples) expect(example).toMatch(/^sess:\S{4}…$/);
  });

  it('a bare revoke (no filter) is refused before connecting', async () => {
    await expect(revoke(url(2), state, {}, { yes: true })).rejects.toThrow(/no sessions selected/);
  });
});

describe('filters', () => {
  let sessions: Set<string>;
  let bulkNoTtl: string[];
  beforeAll(async () => {
    const client = await database(3);
    ({ sessions, bulkNoTtl } = await seed(client));
  });

  it('--namespace + --ttl-none: only sessions without TTL in that namespace', async () => {
    const { ops } = await planOps(url(3), { namespaces: ['sess:*'], ttlNone: true });
    expect(sessionKeysOf(ops)).toEqual(new Set(bulkNoTtl));
  });

  it('--framework: every session of that framework and nothing else', async () => {
    const { ops } = await planOps(url(3), { frameworks: ['phpredis'] });
    const expected = [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].filter((s) => s.framework === 'phpredis').map((s) => s.key);
    expect(sessionKeysOf(ops)).toEqual(new Set(expected));
  });

  it('--namespace on keys that are not sessions matches nothing, unless --session-pattern says they are', async () => {
    expect((await planOps(url(3), { namespaces: ['cache:*'] })).ops).toEqual([]);
    const { ops } = await planOps(url(3), { namespaces: ['cache:*'], sessionPatterns: ['cache:page:*'] });
    expect(sessionKeysOf(ops).size).toBe(300);
  });

  it('--all-sessions with a namespace glob that has sets and escapes: Redis glob semantics', async () => {
    const { ops } = await planOps(url(3), { namespaces: ['sess:bulk00000[0-3]*'] });
    expect([...sessionKeysOf(ops)].sort()).toEqual(['sess:bulk000000Qx7Zk2Lm9Np4', 'sess:bulk000001Qx7Zk2Lm9Np4', 'sess:bulk000002Qx7Zk2Lm9Np4', 'sess:bulk000003Qx7Zk2Lm9Np4']);
  });

  it('--created-before: Spring Session creationTime and Symfony _sf2_meta; connect-redis has none and says so', async () => {
    const before = Date.parse('2025-12-01T00:00:00Z');
    const spring = await planOps(url(3), { frameworks: ['spring-session'], createdBefore: before });
    expect(sessionKeysOf(spring.ops)).toEqual(new Set([SPRING.key]));
    expect((await planOps(url(3), { frameworks: ['spring-session'], createdBefore: Date.parse('2025-11-01T00:00:00Z') })).ops).toEqual([]);
    const symfony = await planOps(url(3), { frameworks: ['symfony'], createdBefore: before });
    expect(sessionKeysOf(symfony.ops)).toEqual(new Set(['sf_s7d2kq9v4m1x8c3b6n0z5l2j7h4', 'sf_s0token00inmemory00user0000001']));
    expect(symfony.stats.unreadable).toEqual([expect.objectContaining({ framework: 'symfony', count: 1, reason: expect.stringMatching(/no creation time/) })]);
    const all = await planOps(url(3), { createdBefore: before });
    expect(all.stats.unreadable).toContainEqual(expect.objectContaining({ framework: 'connect-redis', count: BULK + 2, reason: 'connect-redis does not record when a session was created' }));
  });

  it('--ttl-none and --idle-over combine with AND', async () => {
    const { ops } = await planOps(url(3), { namespaces: ['sess:*'], ttlNone: true, idleOver: 3600 });
    expect(ops).toEqual([]);
    expect(sessions.size).toBeGreaterThan(BULK);
  });
});

describe('--user per framework', () => {
  beforeAll(async () => {
    const client = await database(4);
    await seed(client);
  });

  for (const session of [...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].filter((s) => s.framework !== 'aspnet-core')) {
    it(`${session.framework}: ${session.key.slice(0, 40)} belongs to ${session.user}`, async () => {
      const { ops, stats } = await planOps(url(4), { frameworks: [session.framework], user: session.user });
      expect(sessionKeysOf(ops)).toEqual(
        new Set([...FRAMEWORK_SESSIONS, ...MORE_FRAMEWORK_SESSIONS].filter((s) => s.framework === session.framework && s.user === session.user).map((s) => s.key)),
      );
      expect(stats.unreadable).toEqual([]);
    });
  }

  it('without --framework: the user\'s sessions in every framework (bulk users included)', async () => {
    const { ops } = await planOps(url(4), { user: 'user7' });
    expect(sessionKeysOf(ops).size).toBe(BULK / 20);
    const alice = await planOps(url(4), { user: 'alice' });
    expect(sessionKeysOf(alice.ops)).toEqual(new Set(['sess:Kx9vQ2mZ7rT4yB8nW1pL5cD3fH6jG0aS']));
  });

  it('--user-field reads another place in the value', async () => {
    const { ops } = await planOps(url(4), { frameworks: ['connect-redis'], user: '/', userField: 'cookie.path' });
    expect(sessionKeysOf(ops).size).toBe(BULK + 2); // the bulk sessions, alice's and the numeric user's have cookie.path "/"
  });

  it('a format that cannot name its user is reported with a count, never guessed', async () => {
    const { ops, stats } = await planOps(url(4), { frameworks: ['aspnet-core'], sessionPatterns: ['MyApp*'], user: ASPNET.user });
    expect(ops).toEqual([]);
    expect(stats.unreadable).toEqual([expect.objectContaining({ framework: 'aspnet-core', pattern: 'MyApp*', count: 1, reason: expect.stringMatching(/ASP\.NET Core keeps the signed-in user/) })]);
  });
});

describe('Spring Session', () => {
  it('revoking a user removes the hash, its expires key and the index entries; other users stay', async () => {
    const client = await database(5);
    await SPRING.write(client);
    // A second session of bob and one of carol.
    const bob2 = 'aaaaaaaa-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
    const carol = 'cccccccc-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
    for (const [id, user] of [[bob2, 'bob'], [carol, 'carol']]) {
      await client.hset(`spring:session:sessions:${id}`, { creationTime: 'x', maxInactiveInterval: 'y' });
      await client.expire(`spring:session:sessions:${id}`, 2100);
      await client.set(`spring:session:sessions:expires:${id}`, '', 'EX', 1800);
      await client.sadd(springPrincipalIndexKey(user), id);
    }
    await client.sadd(SPRING_INDEX_BOB, 'stale-id-whose-session-is-gone');
    const before = await snapshot(client);
    const summary = await revoke(url(5), state, { user: 'bob' }, { yes: true });
    expect(summary).toMatchObject({ matched: 2, revoked: 2, spring: { expiryKeys: 2, indexEntries: 2, staleIndexEntries: 1 } });
    const after = await snapshot(client);
    // The index set keeps only the stale entry (left alone); the sets' values differ, so compare them apart.
    expect(await client.smembers(SPRING_INDEX_BOB)).toEqual(['stale-id-whose-session-is-gone']);
    before.delete(SPRING_INDEX_BOB);
    after.delete(SPRING_INDEX_BOB);
    const gone = new Set([SPRING.key, SPRING_EXPIRES, `spring:session:sessions:${bob2}`, `spring:session:sessions:expires:${bob2}`]);
    expect(compareSnapshots(before, after, gone)).toEqual([]);
    expect(await client.smembers(springPrincipalIndexKey('carol'))).toEqual([carol]);
  });

  it('without --user, the index entries of the revoked sessions are found by reading the index sets', async () => {
    const client = await database(6);
    await SPRING.write(client);
    await client.sadd(SPRING_INDEX_BOB, 'other-session-of-bob');
    await client.hset('spring:session:sessions:other-session-of-bob', { creationTime: 'x' });
    const summary = await revoke(url(6), state, { namespaces: [`spring:session:sessions:${SPRING_ID.slice(0, 8)}*`] }, { yes: true });
    expect(summary).toMatchObject({ matched: 1, spring: { expiryKeys: 1, indexEntries: 1 } });
    expect(await client.exists(SPRING.key, SPRING_EXPIRES)).toBe(0);
    expect(await client.smembers(SPRING_INDEX_BOB)).toEqual(['other-session-of-bob']);
    expect(await client.exists('spring:session:sessions:other-session-of-bob')).toBe(1);
  });
});

describe('backup and restore', () => {
  it('restore gives back every key with its value and a TTL within a second; then skips what exists', async () => {
    const client = await database(7);
    const { sessions } = await seed(client);
    const snapshotAt = performance.now();
    const before = await snapshot(client);
    const backup = state.file('backup-7.jsonl');
    const summary = await revoke(url(7), state, { allSessions: true }, { yes: true, backup });
    const revokeMs = performance.now() - snapshotAt;
    expect(summary.backup).toEqual({ file: backup, entries: sessions.size + 2 }); // + Spring expires key + index entry
    const lines = readFileSync(backup, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ sessionAudit: 'backup', version: 1, source: url(7), runId: summary.runId });

    const dry = await restore(url(7), state, backup);
    expect(dry).toMatchObject({ dryRun: true, restored: sessions.size + 1, keys: sessions.size + 1 });
    expect(compareSnapshots(before, await snapshot(client), new Set([...sessions, SPRING_EXPIRES, SPRING_INDEX_BOB]))).toEqual([]);

    const restoreAt = performance.now();
    const restored = await restore(url(7), state, backup, { yes: true });
    expect(restored).toMatchObject({ restored: sessions.size + 1, existing: { count: 0 }, expired: { count: 0 }, failed: { count: 0 }, indexEntries: { entries: 1, restored: 1 } });
    // RESTORE rebuilds each value: compared as data (a hash's DUMP may list its fields in another order).
    // TTLs: within a second of what they were, plus the time TTLs ran while the test revoked and read
    // back (the time the keys were gone does not count: restore gives back the TTL that was left).
    const after = await snapshot(client);
    expect(compareSnapshots(before, after, new Set(), 1_000 + revokeMs + (performance.now() - restoreAt), 'content')).toEqual([]);

    const again = await restore(url(7), state, backup, { yes: true });
    expect(again).toMatchObject({ restored: 0, existing: { count: sessions.size + 1 } });
    expect(again.existing.examples.length).toBe(5);
  });

  it('keys whose original expiry has passed are skipped as "expired while revoked"; --ttl deadline keeps the expiry moment', async () => {
    const client = await database(8);
    const { bulk, bulkNoTtl } = await seed(client);
    const backup = state.file('backup-8.jsonl');
    await revoke(url(8), state, { namespaces: ['sess:bulk*'] }, { yes: true, backup });
    const later = await restore(url(8), state, backup, { now: () => Date.now() + 400 * 86_400_000 });
    expect(later).toMatchObject({ restored: bulkNoTtl.length, expired: { count: bulk.length - bulkNoTtl.length } });
    const deadline = await restore(url(8), state, backup, { yes: true, ttl: 'deadline', now: () => Date.now() + 1_800_000 });
    expect(deadline.restored).toBe(bulk.length);
    const pttl = await client.pttl('sess:bulk000001Qx7Zk2Lm9Np4'); // had 3601 s: 1801 s left
    expect(pttl).toBeGreaterThan(1_795_000);
    expect(pttl).toBeLessThanOrEqual(1_801_000);
    expect(await client.pttl('sess:bulk000000Qx7Zk2Lm9Np4')).toBe(-1);
  });
});

describe('value confirmation of common-word prefixes', () => {
  it('"session:*" keys whose values are not Flask-Session\'s format are not sessions; --session-pattern insists', async () => {
    const client = await database(9);
    for (let i = 0; i < 20; i++) await client.set(`session:${i}`, `plain text ${i}`);
    const { ops, stats } = await planOps(url(9), { allSessions: true });
    expect(ops).toEqual([]);
    expect(stats.rejected).toEqual([expect.stringMatching(/^session:\*: .*not treated as sessions/)]);
    const insisted = await planOps(url(9), { allSessions: true, sessionPatterns: ['session:*'] });
    expect(sessionKeysOf(insisted.ops).size).toBe(20);
  });
});

describe('--idle-over', () => {
  it('selects the sessions idle longer than the duration (OBJECT IDLETIME), not the ones just used', async () => {
    const client = await database(10);
    const keys = Array.from({ length: 20 }, (_, i) => `sess:idle${String(i).padStart(4, '0')}AbCdEfGhIjKl`);
    for (const key of keys) await client.set(key, '{"passport":{"user":"x"}}');
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    for (const key of keys.slice(10)) await client.get(key);
    const { ops } = await planOps(url(10), { idleOver: 1 });
    expect(sessionKeysOf(ops)).toEqual(new Set(keys.slice(0, 10)));
  });

  it('says it cannot under an LFU eviction policy', async () => {
    const lfu = await startRedis({ args: ['--maxmemory-policy', 'allkeys-lfu'] });
    try {
      await expect(planOps(lfu.url, { idleOver: 60 })).rejects.toThrow(/maxmemory-policy is allkeys-lfu/);
    } finally {
      await lfu.stop();
    }
  });
});

describe('duplicates from SCAN', () => {
  it('a key SCAN returns twice is planned, deleted and counted once', async () => {
    const client = await database(11);
    for (let i = 0; i < 50; i++) await client.set(`sess:dup${String(i).padStart(4, '0')}AbCdEfGhIjKl`, '{}');
    const { ops, stats } = await planOps(url(11), { namespaces: ['sess:*'] }, (store) => {
      const node = store.nodes[0];
      const call = node.call.bind(node);
      // Every SCAN page comes back with its keys twice.
      node.call = async (command, ...args) => {
        const reply = await call(command, ...args);
        if (command === 'SCAN') {
          const [cursor, keys] = reply as [string, string[]];
          return [cursor, [...keys, ...keys]];
        }
        return reply;
      };
    });
    expect(ops.length).toBe(50);
    expect(stats.matched).toBe(50);
    expect(stats.scanned).toBe(100);
  });
});

describe('permissions', () => {
  it('a revoke user and a restore user with exactly the documented ACL rules can do everything', async () => {
    const acl = await startRedis({
      aclFile: `user default on nopass ~* &* +@all\nuser revoker on >r-pw ~* resetchannels -@all ${REVOKE_ACL}\nuser restorer on >s-pw ~* resetchannels -@all ${RESTORE_ACL}\n`,
    });
    const client = admin(acl.port);
    try {
      const { sessions } = await seed(client);
      const before = await snapshot(client);
      const backup = state.file('acl-backup.jsonl');
      const user = await revoke(`redis://revoker:r-pw@127.0.0.1:${acl.port}`, state, { user: 'bob' }, { yes: true, backup });
      expect(user).toMatchObject({ revoked: 1, spring: { expiryKeys: 1, indexEntries: 1 } });
      // OBJECT IDLETIME and PTTL allowed (nothing idle for an hour yet), values readable for --created-before.
      const idle = await revoke(`redis://revoker:r-pw@127.0.0.1:${acl.port}`, state, { namespaces: ['sess:*'], idleOver: 3600, ttlNone: true }, { yes: true });
      expect(idle).toMatchObject({ matched: 0, unreadable: [] });
      const created = await revoke(`redis://revoker:r-pw@127.0.0.1:${acl.port}`, state, { frameworks: ['symfony'], createdBefore: Date.now() }, { yes: true });
      expect(created.revoked).toBe(2);
      const all = await revoke(`redis://revoker:r-pw@127.0.0.1:${acl.port}`, state, { allSessions: true, sessionPatterns: ['MyApp*'] }, { yes: true });
      expect(all.revoked).toBe(sessions.size - 1 - 2 + 1); // bob's and the Symfony ones went first; + the ASP.NET Core key
      const restored = await restore(`redis://restorer:s-pw@127.0.0.1:${acl.port}`, state, backup, { yes: true });
      expect(restored).toMatchObject({ restored: 2, failed: { count: 0 }, indexEntries: { restored: 1 } });
      expect(before.size).toBeGreaterThan(0);
    } finally {
      client.disconnect();
      await acl.stop();
    }
  });

  it('an ACL user without UNLINK gets one clear line, and nothing is deleted', async () => {
    const acl = await startRedis({
      aclFile: 'user default on nopass ~* &* +@all\nuser reader on >pw ~* &* +@all -unlink\n',
    });
    const client = admin(acl.port);
    try {
      await client.set('sess:aclTestKey000000000001', '{}');
      const error = await revoke(`redis://reader:pw@127.0.0.1:${acl.port}`, state, { namespaces: ['sess:*'] }, { yes: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect(String(error)).toMatch(/^redis:\/\/reader@127\.0\.0\.1:\d+: UNLINK refused: NOPERM .*the ACL user needs \+unlink/);
      expect(String(error)).not.toContain(':pw@');
      expect(await client.exists('sess:aclTestKey000000000001')).toBe(1);
    } finally {
      client.disconnect();
      await acl.stop();
    }
  });
});

describe('Ctrl-C and --resume', () => {
  it('a stop request ends the run after the batch in flight; --resume finishes it, counting every key once', async () => {
    // A state folder of its own: "--resume" alone takes the last unfinished run in it.
    const state = tempState();
    const client = await database(12);
    const { sessions } = await seed(client);
    const before = await snapshot(client);
    const stop = { now: false };
    let batches = 0;
    const error = await revoke(url(12), state, { allSessions: true }, {
      yes: true,
      batchSize: 50,
      stop,
      onProgress: (progress) => {
        if (progress.phase === 'revoking' && ++batches === 3) stop.now = true; // Ctrl-C after the third batch
      },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/interrupted after \d+ of \d+ sessions selected so far; resume with: session-audit revoke --resume \S+ --yes/);
    // Three batches of 50 plan operations: sessions, and a Spring expires key / index entry among them.
    const revoked = Number(/after (\d+) of/.exec(String(error))![1]);
    expect(revoked).toBeGreaterThanOrEqual(148);
    expect(revoked).toBeLessThanOrEqual(150);
    expect(await client.dbsize()).toBeLessThanOrEqual(before.size - revoked);
    expect(await client.dbsize()).toBeGreaterThanOrEqual(before.size - 150);
    await expect(revoke(url(12), state, { allSessions: true }, { yes: true, resume: true })).rejects.toThrow(/--resume takes the filter and --backup of the run/);
    const resumed = await revoke(url(12), state, {}, { yes: true, resume: true });
    expect(resumed).toMatchObject({ resumed: true, matched: sessions.size, revoked: sessions.size });
    expect(compareSnapshots(before, await snapshot(client), new Set([...sessions, SPRING_EXPIRES, SPRING_INDEX_BOB]))).toEqual([]);
    await expect(revoke(url(12), state, {}, { yes: true, resume: true })).rejects.toThrow(/no unfinished run/);
    state.remove();
  });
});

describe('Sentinel', () => {
  it('revokes on the master Sentinel names', async () => {
    const sentinel = await startSentinel(server.port, 'sessions');
    try {
      const client = await database(0);
      for (let i = 0; i < 30; i++) await client.set(`sess:sentinel${String(i).padStart(4, '0')}AbCdEfGh`, '{}');
      const summary = await runRevoke({
        connection: { sentinels: [`127.0.0.1:${sentinel.port}`], sentinelName: 'sessions' },
        filter: { namespaces: ['sess:sentinel*'], frameworks: [], sessionPatterns: [] },
        yes: true,
        confirmOver: 1000,
        auditLog: false,
        args: [],
        interactive: false,
        stop: { now: false },
        warn: () => {},
        env: state.env,
      });
      expect(summary.revoke).toMatchObject({ mode: 'sentinel', source: `sentinel://127.0.0.1:${sentinel.port}/sessions`, revoked: 30 });
      expect(await client.dbsize()).toBe(0);
    } finally {
      await sentinel.stop();
    }
  });
});
