// The test servers themselves: each kind starts quickly on its own loopback port and answers PING.
import { afterAll, describe, expect, it } from 'vitest';
import { cli, startRedis, startRedisCluster, startSentinel, tlsSkipReason, type RedisProcess } from '../support/redis-servers.js';

const started: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

function track<T extends { stop(): Promise<void> }>(server: T): T {
  started.push(server);
  return server;
}

const ping = (server: RedisProcess, extra: string[] = []) => cli(server.port, ['PING'], extra).trim();

describe('test redis servers', () => {
  it('starts a standalone server in well under a second', async () => {
    const t0 = Date.now();
    const server = track(await startRedis());
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(server.port).not.toBe(6379);
    expect(ping(server)).toBe('PONG');
    expect(cli(server.port, ['CONFIG', 'GET', 'save'])).toMatch(/^save\n\n?$/);
  });

  it('applies an ACL file', async () => {
    const server = track(await startRedis({ aclFile: 'user default on nopass ~* &* +@all\nuser reader on >pw ~* +ping\n' }));
    expect(ping(server, ['--user', 'reader', '--pass', 'pw', '--no-auth-warning'])).toBe('PONG');
    expect(cli(server.port, ['SET', 'k', 'v'], ['--user', 'reader', '--pass', 'pw', '--no-auth-warning'])).toMatch(/NOPERM/);
  });

  it('stop() kills the process', async () => {
    const server = await startRedis();
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow();
  });

  it('starts a 3-master cluster with every slot assigned', async () => {
    const cluster = track(await startRedisCluster(3));
    expect(cluster.nodes).toHaveLength(3);
    for (const node of cluster.nodes) {
      expect(ping(node)).toBe('PONG');
      expect(cli(node.port, ['CLUSTER', 'INFO'])).toMatch(/cluster_slots_assigned:16384/);
    }
  });

  it('starts a sentinel that knows the master', async () => {
    const master = track(await startRedis());
    const sentinel = track(await startSentinel(master.port, 'sessions'));
    expect(ping(sentinel)).toBe('PONG');
    expect(cli(sentinel.port, ['SENTINEL', 'get-master-addr-by-name', 'sessions']).split('\n')).toEqual(['127.0.0.1', String(master.port), '']);
  });

  it.skipIf(tlsSkipReason)(`starts a TLS-only server${tlsSkipReason ? ` (skipped: ${tlsSkipReason})` : ''}`, async () => {
    const server = track(await startRedis({ tls: true }));
    expect(server.url).toMatch(/^rediss:/);
    expect(ping(server, ['--tls', '--cacert', server.tls!.ca])).toBe('PONG');
    expect(ping(server)).not.toBe('PONG'); // plain TCP is refused
  });
});
