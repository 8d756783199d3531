// `session-audit scan` against the other ways a Redis is deployed: a 3-master cluster, a master found
// through Sentinel, TLS with a private CA, and a server that dies in the middle of the walk. Every
// server is started here on free loopback ports (never the machine's own Redis).
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/cli.js';
import { admin, loadKeys } from '../support/redis-data.js';
import { startRedis, startRedisCluster, startSentinel, tlsSkipReason, type RedisCluster } from '../support/redis-servers.js';

interface StoreJson {
  mode: string;
  source: string;
  keysScanned: number;
  slotsCovered: number | null;
  namespaces: Array<{ pattern: string; framework: string | null; frameworkName: string | null; role: string | null; keys: number }>;
}

const storeOf = (stdout: string): StoreJson => JSON.parse(stdout).stores[0];

/** Slot ranges a cluster node serves, from its own CLUSTER NODES "myself" line. */
function ownSlots(nodes: string): Array<[number, number]> {
  const mine = nodes.split('\n').find((line) => line.split(' ')[2]?.split(',').includes('myself'))!;
  return mine
    .trim()
    .split(' ')
    .slice(8)
    .filter((range) => !range.startsWith('['))
    .map((range) => {
      const [from, to] = range.split('-').map(Number);
      return [from, to ?? from];
    });
}

describe('session-audit scan: Redis Cluster', () => {
  let cluster: RedisCluster;
  const PER_MASTER = 1500;
  const ASPNET = 30;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    // One hash tag per master, in a slot that master serves, so the bulk loader's script stays local.
    for (const node of cluster.nodes) {
      const client = admin(node.port);
      const ranges = ownSlots(String(await client.call('CLUSTER', 'NODES')));
      let tag = '';
      for (let i = 0; !tag; i++) {
        const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `{t${i}}`));
        if (ranges.some(([from, to]) => slot >= from && slot <= to)) tag = `{t${i}}`;
      }
      await loadKeys(client, `sess:${tag}:`, PER_MASTER, 3, 7_200_000);
      await client.quit();
    }
    // ASP.NET Core cache hashes spread over the masters by their slots: recognising them means an
    // HKEYS sent to the master each example key lives on.
    const spread = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { clusterRetryStrategy: () => null });
    for (let i = 0; i < ASPNET; i++) {
      await spread.hset(`shop:0b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`, 'absexp', '-1', 'sldexp', '12000000000', 'data', 'x');
    }
    await spread.quit();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('walks every master and covers all 16384 slots', async () => {
    const run = await runCliAsync(['scan', '--redis', cluster.nodes[1].url, '--format', 'json']);
    expect(run.stderr).toBe('');
    const store = storeOf(run.stdout);
    expect(store).toMatchObject({ mode: 'cluster', slotsCovered: 16384, keysScanned: 3 * PER_MASTER + ASPNET });
    const sessions = store.namespaces.find((n) => n.pattern === 'sess:*');
    expect(sessions).toMatchObject({ framework: 'connect-redis', keys: 3 * PER_MASTER });
    expect(store.namespaces.find((n) => n.pattern === 'shop:*')).toMatchObject({ framework: 'aspnet-core', role: 'session', keys: ASPNET });
  });
});

describe('session-audit scan --sentinel', () => {
  it('asks Sentinel for the master and scans it', async () => {
    const master = await startRedis();
    try {
      const client = admin(master.port);
      await loadKeys(client, 'sess:', 400, 4, 3_600_000);
      await client.quit();
      const sentinel = await startSentinel(master.port, 'sessions');
      try {
        const run = await runCliAsync(['scan', '--sentinel', `127.0.0.1:${sentinel.port}`, '--sentinel-name', 'sessions', '--format', 'json']);
        expect(run.stderr).toBe('');
        const store = storeOf(run.stdout);
        expect(store).toMatchObject({ mode: 'sentinel', keysScanned: 400 });
        expect(store.source).toContain('sessions');
        expect(store.namespaces.find((n) => n.pattern === 'sess:*')).toMatchObject({ framework: 'connect-redis', keys: 400 });
      } finally {
        await sentinel.stop();
      }
    } finally {
      await master.stop();
    }
  });

  it("logs in to a Sentinel that has its own password, from --sentinel or SESSION_AUDIT_SENTINEL_AUTH, never showing it", async () => {
    const master = await startRedis();
    const sentinel = await startSentinel(master.port, 'sessions', { password: 's3ntinel-pw' });
    try {
      const inline = await runCliAsync(['scan', '--sentinel', `:s3ntinel-pw@127.0.0.1:${sentinel.port}`, '--sentinel-name', 'sessions', '--format', 'json']);
      expect(inline.stderr).toBe('');
      expect(storeOf(inline.stdout)).toMatchObject({ mode: 'sentinel' });
      expect(inline.stdout).not.toContain('s3ntinel-pw');
      const fromEnv = await runCliAsync(['scan', '--sentinel', `127.0.0.1:${sentinel.port}`, '--sentinel-name', 'sessions', '--format', 'json'], {
        env: { SESSION_AUDIT_SENTINEL_AUTH: 's3ntinel-pw' },
      });
      expect(fromEnv.stderr).toBe('');
      const wrong = await runCliAsync(['scan', '--sentinel', `:wrong-pw-4@127.0.0.1:${sentinel.port}`, '--sentinel-name', 'sessions']);
      expect(wrong.status).toBe(2);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).not.toContain('wrong-pw-4');
    } finally {
      await sentinel.stop();
      await master.stop();
    }
  });
});

describe.skipIf(tlsSkipReason !== undefined)(`session-audit scan --redis rediss://${tlsSkipReason ? ` (skipped: ${tlsSkipReason})` : ''}`, () => {
  it('verifies the server with --tls-ca and scans over TLS', async () => {
    const server = await startRedis({ tls: true });
    try {
      const client = admin(server.port, { tls: { ca: (await import('node:fs')).readFileSync(server.tls!.ca) } });
      await loadKeys(client, 'sess:', 250, 0, 3_600_000);
      await client.quit();
      expect(server.url).toMatch(/^rediss:\/\//);
      const run = await runCliAsync(['scan', '--redis', server.url, '--tls-ca', server.tls!.ca, '--format', 'json']);
      expect(run.stderr).toBe('');
      const store = storeOf(run.stdout);
      expect(store).toMatchObject({ mode: 'standalone', source: server.url, keysScanned: 250 });
      // Without the CA the certificate cannot be verified: one line, exit 2.
      const untrusted = await runCliAsync(['scan', '--redis', server.url]);
      expect(untrusted.status).toBe(2);
      expect(untrusted.stderr.trim().split('\n')).toHaveLength(1);
      expect(untrusted.stderr).toContain(server.url);
    } finally {
      await server.stop();
    }
  });
});

describe('session-audit scan: the server dies mid-scan', () => {
  it('exits 2 with one line naming the source, in bounded time', async () => {
    const server = await startRedis();
    try {
      const client = admin(server.port);
      await loadKeys(client, 'sess:', 300_000, 3, 7_200_000);
      const started = Date.now();
      const running = runCliAsync(['scan', '--redis', server.url, '--format', 'json']);
      // Kill it once the walk is under way: the CLI has sent its first SCAN pages.
      let killed = false;
      while (!killed && Date.now() - started < 20_000) {
        const stats = String(await client.call('INFO', 'commandstats'));
        const calls = Number(/cmdstat_scan:calls=(\d+)/.exec(stats)?.[1] ?? 0);
        if (calls >= 3) {
          server.kill();
          killed = true;
        } else {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      client.disconnect();
      expect(killed).toBe(true);
      const run = await running;
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^session-audit: redis://127\\.0\\.0\\.1:${server.port}: `));
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await server.stop();
    }
  }, 90_000);
});

describe('session-audit scan: ASP.NET Core sessions, recognised by their values', () => {
  it('marks hash namespaces with absexp/sldexp/data fields as ASP.NET Core sessions, and only those', async () => {
    const server = await startRedis();
    try {
      const client = admin(server.port);
      // What Microsoft.Extensions.Caching.StackExchangeRedis writes for a session: InstanceName + id,
      // a hash of absolute expiry (ticks, -1 = none), sliding expiry (20 min in ticks) and the payload.
      for (let i = 0; i < 40; i++) {
        const key = `shop:0b1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`;
        await client.hset(key, 'absexp', '-1', 'sldexp', '12000000000', 'data', `payload-${i}`);
        if (i % 10 !== 0) await client.expire(key, 1200); // four of them never expire
      }
      // Hashes of another shape (user profiles), and a namespace where only some keys look like the cache.
      for (let i = 0; i < 30; i++) await client.hset(`profile:${1000 + i}`, 'name', `user ${i}`, 'email', `u${i}@example.test`);
      await client.hset('mixed:aaaaaaaaaaaaaaaa1', 'absexp', '-1', 'sldexp', '1', 'data', 'x');
      await client.hset('mixed:aaaaaaaaaaaaaaaa2', 'field', 'y');
      // IDistributedCache entries with only an absolute expiry (sldexp -1): cache, not sessions.
      for (let i = 0; i < 5; i++) await client.hset(`pricing:0b1c2d3e-0000-4000-8000-00000000000${i}`, 'absexp', '638700000000000000', 'sldexp', '-1', 'data', 'x');
      // Strings never get an HKEYS.
      await loadKeys(client, 'cache:item:', 50, 0, 600_000);
      await client.quit();

      const run = await runCliAsync(['scan', '--redis', server.url, '--format', 'json']);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout);
      const store = storeOf(run.stdout);
      const byPattern = (pattern: string) => store.namespaces.find((n) => n.pattern === pattern);
      expect(byPattern('shop:*')).toMatchObject({ framework: 'aspnet-core', frameworkName: 'ASP.NET Core (distributed cache)', role: 'session', keys: 40 });
      expect(byPattern('pricing:*')).toMatchObject({ framework: null, role: null, keys: 5 });
      expect(byPattern('profile:*')).toMatchObject({ framework: null, role: null, keys: 30 });
      expect(byPattern('mixed:*')).toMatchObject({ framework: null, keys: 2 });
      expect(byPattern('cache:item:*')).toMatchObject({ framework: null, keys: 50 });
      // Recognised sessions are judged like any other: four never expire.
      const noTtl = report.findings.find((f: { ruleId: string }) => f.ruleId === 'session-key-no-ttl');
      expect(noTtl?.message).toBe('4 of 40 ASP.NET Core (distributed cache) session keys (shop:*) never expire');
    } finally {
      await server.stop();
    }
  });
});

describe('session-audit scan: a common-word prefix is sessions only if the values say so', () => {
  it('treats session:* as Flask-Session only when its values are msgpack or pickle', async () => {
    const server = await startRedis();
    try {
      const client = admin(server.port);
      // Flask-Session 0.6+ stores msgpack; another app keeps plain text under the same word.
      for (let i = 0; i < 5; i++) await client.set(`session:7c3e1b9a-5d2f-4e8a-b6c4-1f0e9d8c7b6${i}`, Buffer.from([0x81, 0xa4, 0x75, 0x73, 0x65, 0x72, 0xa2, 0x75, 0x31]));
      for (let i = 0; i < 5; i++) await client.set(`session_log_${i}`, 'plain text');
      await client.quit();
      const flask = storeOf((await runCliAsync(['scan', '--redis', server.url, '--format', 'json'])).stdout);
      expect(flask.namespaces.find((n) => n.pattern === 'session:*')).toMatchObject({ framework: 'flask-session', role: 'session', keys: 5 });

      const other = admin(server.port);
      await other.flushall(); // a server this test started
      for (let i = 0; i < 5; i++) await other.set(`session:7c3e1b9a-5d2f-4e8a-b6c4-1f0e9d8c7b6${i}`, 'last login from the web console');
      await other.quit();
      const run = await runCliAsync(['scan', '--redis', server.url, '--format', 'json']);
      const report = JSON.parse(run.stdout);
      expect(report.stores[0].namespaces.find((n: { pattern: string }) => n.pattern === 'session:*')).toMatchObject({ framework: null, role: null });
      expect(report.stores[0].unchecked.join('\n')).toMatch(/session:\*: the key shape of Flask-Session, but no example value has its format/);
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('session-key-no-ttl');
      expect(run.stdout).not.toContain('last login');
    } finally {
      await server.stop();
    }
  });
});
