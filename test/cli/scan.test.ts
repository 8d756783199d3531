// `session-audit scan` end to end: the built CLI against real redis-server and memcached processes
// started here on free loopback ports (never the machine's own Redis).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_ACL } from '../../src/stores/redis/read-commands.js';
import { runCliAsync } from '../support/cli.js';
import { startMemcached, type MemcachedServer } from '../support/memcached-server.js';
import { admin, loadKeys } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';

let redis: RedisProcess;
let memcached: MemcachedServer;

beforeAll(async () => {
  redis = await startRedis({
    args: ['--maxmemory', '256mb', '--maxmemory-policy', 'allkeys-lru'],
    aclFile: [
      'user default on >hunter2-admin ~* &* +@all',
      `user auditor on >audit-pw-7 %R~* resetchannels -@all ${READ_ONLY_ACL}`,
    ].join('\n'),
  });
  const client = admin(redis.port, { password: 'hunter2-admin' });
  await loadKeys(client, 'sess:', 3000, 3, 7_200_000); // connect-redis shape, ~2h TTL; every third key without TTL
  await loadKeys(client, 'cache:product:', 500, 0, 600_000);
  await client.select(1);
  await client.set('sess:InDatabaseOne0000000000', 'v', 'EX', 600);
  await client.quit();
  memcached = await startMemcached();
  await memcachedSet(memcached, [
    ['memc.sess.key.k2j3h4g5f6d7s8a9', 0],
    ['memc.sess.key.q1w2e3r4t5y6u7i8', 3600],
    [':1:django.contrib.sessions.cachez0p4q8r2t6v1x5y9a3c', 1209600],
  ]);
}, 60_000);

afterAll(async () => {
  await redis?.stop();
  await memcached?.stop();
});

/** Items written over a raw socket: the client under test has no write commands at all. */
function memcachedSet(server: MemcachedServer, items: Array<[string, number]>): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host, () => {
      socket.end(items.map(([key, exptime]) => `set ${key} 0 ${exptime} 5\r\nhello\r\n`).join('') + 'quit\r\n');
    });
    socket.resume(); // read the STORED replies, or the socket never ends
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

describe('session-audit scan --redis', () => {
  it('maps the session namespaces and judges the store, as a read-only ACL user', async () => {
    const url = `redis://auditor:audit-pw-7@127.0.0.1:${redis.port}`;
    const run = await runCliAsync(['scan', '--redis', url, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    const [store] = report.stores;
    expect(store).toMatchObject({ kind: 'redis', mode: 'standalone', source: `redis://auditor@127.0.0.1:${redis.port}`, keysScanned: 3500 });
    const sessions = store.namespaces.find((n: { pattern: string }) => n.pattern === 'sess:*');
    expect(sessions).toMatchObject({ framework: 'connect-redis', keys: 3000, withoutTtl: 1000 });
    expect(sessions.ttl.buckets).toMatchObject({ none: 1000, '1h-24h': 2000 });
    expect(store.namespaces.find((n: { pattern: string }) => n.pattern === 'cache:product:*')).toMatchObject({ framework: null, keys: 500, withoutTtl: 0 });
    const rules = report.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['session-key-no-ttl', 'store-eviction-evicts-sessions', 'store-not-persistent', 'store-single-node']));
    const noTtl = report.findings.find((f: { ruleId: string }) => f.ruleId === 'session-key-no-ttl');
    expect(noTtl).toMatchObject({ source: `redis://auditor@127.0.0.1:${redis.port}`, file: null, line: null, category: 'session-ttl' });
    expect(noTtl.message).toBe('1000 of 3000 express-session (connect-redis) session keys (sess:*) never expire');
    expect(run.stdout).not.toMatch(/audit-pw-7|hunter2/);
  });

  it('scans the database the URL names, as the read-only user', async () => {
    const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${redis.port}/1`, '--format', 'json']);
    const [store] = JSON.parse(run.stdout).stores;
    expect(store).toMatchObject({ source: `redis://auditor@127.0.0.1:${redis.port}/1`, keysScanned: 1 });
  });

  it('prints the namespaces and findings as tables for people', async () => {
    const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${redis.port}`]);
    expect(run.stdout).toMatch(/redis:\/\/auditor@127\.0\.0\.1:\d+ \(redis standalone: 3,500 keys in/);
    expect(run.stdout).toMatch(/│ sess:\*\s+│ express-session/);
    expect(run.stdout).toMatch(/session-key-no-ttl/);
    expect(run.stdout).not.toMatch(/audit-pw-7/);
  });

  it('estimates with --sample and states the error', async () => {
    const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${redis.port}`, '--sample', '1000', '--format', 'json']);
    const [store] = JSON.parse(run.stdout).stores;
    expect(store.sample.total).toBe(3500);
    expect(store.keysScanned).toBeLessThan(3500);
    const sessions = store.namespaces.find((n: { pattern: string }) => n.pattern === 'sess:*');
    expect(sessions.errorMargin).toBeGreaterThan(0);
    expect(Math.abs(sessions.keys - 3000)).toBeLessThanOrEqual(sessions.errorMargin * 2);
    const persistence = JSON.parse(run.stdout).findings.find((f: { ruleId: string }) => f.ruleId === 'store-not-persistent');
    expect(persistence.message).toMatch(/a restart loses all about [\d,]+ sessions$/);
  });

  it('fails with one line and exit 2 on a wrong password, never showing it', async () => {
    const run = await runCliAsync(['scan', '--redis', `redis://auditor:wrong-pw-9@127.0.0.1:${redis.port}`]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^session-audit: redis:\/\/auditor@127\.0\.0\.1:\d+: /);
    expect(run.stderr + run.stdout).not.toMatch(/wrong-pw-9/);
  });

  it('reports an unreachable store in seconds with exit 2', async () => {
    const started = Date.now();
    const run = await runCliAsync(['scan', '--redis', 'redis://127.0.0.1:1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('session-audit: redis://127.0.0.1:1: cannot connect: ECONNREFUSED\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await runCliAsync(['scan', '--redis', 'http://x'])).status).toBe(2);
    expect((await runCliAsync(['scan', '--sentinel', '127.0.0.1:1'])).stderr).toMatch(/--sentinel needs --sentinel-name/);
    expect((await runCliAsync(['scan', '--redis', 'redis://127.0.0.1:1', '--sample', '0'])).stderr).toMatch(/--sample must be a whole number/);
    const malformed = await runCliAsync(['scan', '--redis', 'redis://:pa%zzword@127.0.0.1:1']);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toBe(
      'session-audit: --redis redis://127.0.0.1:1: malformed %-escape in the password (expected redis[s]://[user[:password]@]host[:port][/db])\n',
    );
  });
});

describe('session-audit scan: Spring Session', () => {
  it('finds principal index entries whose session is gone, and missing keyspace events', async () => {
    const spring = await startRedis({ aclFile: `user default on nopass ~* &* +@all\nuser auditor on >audit-pw-7 %R~* resetchannels -@all ${READ_ONLY_ACL}` });
    try {
      const client = admin(spring.port);
      const index = 'spring:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:alice';
      await client.hset('spring:session:sessions:0b1c2d3e-0000-4000-8000-00000000live', 'creationTime', '1764201600000', 'maxInactiveInterval', '1800');
      await client.expire('spring:session:sessions:0b1c2d3e-0000-4000-8000-00000000live', 2100);
      await client.sadd(index, '0b1c2d3e-0000-4000-8000-00000000live', '0b1c2d3e-0000-4000-8000-00000000dea1', '0b1c2d3e-0000-4000-8000-00000000dea2');
      await client.quit();
      const run = await runCliAsync(['scan', '--redis', `redis://auditor:audit-pw-7@127.0.0.1:${spring.port}`, '--format', 'json']);
      const report = JSON.parse(run.stdout);
      const stale = report.findings.find((f: { ruleId: string }) => f.ruleId === 'spring-session-index-stale');
      expect(stale.message).toBe('2 of 3 session ids in 1 sampled principal indexes (spring:session:index:*) point at sessions that are gone');
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('spring-session-no-keyspace-events');
    } finally {
      await spring.stop();
    }
  });
});

describe('session-audit scan --memcached', () => {
  it('finds session items that never expire, and judges memcached as a session store', async () => {
    const run = await runCliAsync(['scan', '--memcached', memcached.address, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    const [store] = report.stores;
    expect(store).toMatchObject({ kind: 'memcached', source: memcached.address, keysScanned: 3 });
    expect(store.namespaces.find((n: { pattern: string }) => n.pattern === 'memc.sess.key.*')).toMatchObject({ keys: 2, withoutTtl: 1 });
    const rules = report.findings.map((f: { ruleId: string }) => f.ruleId).sort();
    expect(rules).toEqual(['memcached-session-no-expiry', 'store-eviction-evicts-sessions', 'store-not-persistent', 'store-single-node']);
  });
});
