// Connecting to real servers: standalone, wrong password, unreachable and silent stores (fast, one
// clear InputError), TLS, Sentinel, cluster detection.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { connectRedis, type RedisConnectOptions, type RedisStore } from '../../src/stores/redis/connect.js';
import { freePort, startRedis, startSentinel, tlsSkipReason, type RedisProcess } from '../support/redis-servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((fn) => fn()));
});

async function connected(options: RedisConnectOptions): Promise<RedisStore> {
  const store = await connectRedis(options);
  cleanup.push(() => store.close());
  return store;
}

/** The rejection of `promise`, with how long it took. */
/** A loopback TCP server for misbehaving peers; cleanup destroys its sockets so close() cannot wait. */
async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanup.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return port;
}

async function failure(promise: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('standalone', () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis({ aclFile: 'user default on nopass ~* &* +@all\nuser auditor on >right-pw ~* +@all\n' });
    cleanup.push(() => server.stop());
  });

  it('connects and reports the mode and a password-free source', async () => {
    const store = await connected({ url: `redis://auditor:right-pw@127.0.0.1:${server.port}/2`, env: {} });
    expect(store.mode).toBe('standalone');
    expect(store.source).toBe(`redis://auditor@127.0.0.1:${server.port}/2`);
    expect(store.nodes).toHaveLength(1);
    expect(await store.nodes[0].call('PING')).toBe('PONG');
  });

  it('takes the password from REDISCLI_AUTH', async () => {
    const store = await connected({ url: `redis://127.0.0.1:${server.port}`, user: 'auditor', env: { REDISCLI_AUTH: 'right-pw' } });
    expect(await store.nodes[0].call('ACL', 'WHOAMI')).toBe('auditor');
  });

  it('a wrong password is one clear error that does not echo it', async () => {
    const { error } = await failure(connectRedis({ url: `redis://auditor:wrong-pw@127.0.0.1:${server.port}`, env: {} }));
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toBe(`redis://auditor@127.0.0.1:${server.port}: cannot connect: authentication failed (wrong user or password)`);
    expect(String(error)).not.toContain('wrong-pw');
  });

  it('--cluster against a standalone server is an error', async () => {
    const { error } = await failure(connectRedis({ url: server.url, cluster: true, env: {} }));
    expect(String(error)).toMatch(/not in cluster mode/);
  });

  it('rediss:// to a plain-TCP port times out quickly with a hint', async () => {
    const { error, ms } = await failure(connectRedis({ url: `rediss://127.0.0.1:${server.port}`, env: {}, timeouts: { connectMs: 500 } }));
    expect(String(error)).toMatch(/cannot connect: ETIMEDOUT \(no TLS handshake: if this port speaks plain TCP, use redis:\/\/\)$/);
    expect(ms).toBeLessThan(3000);
  });

  it('only read commands can be sent', async () => {
    const store = await connected({ url: server.url, env: {} });
    expect(() => store.nodes[0].call('FLUSHALL')).toThrow(/not in the read-only command list/);
    expect(() => store.nodes[0].call('CONFIG', 'SET', 'maxmemory', '1')).toThrow(/read-only/);
    await expect(store.nodes[0].pipeline([['DEL', 'x']])).rejects.toThrow(/read-only/);
  });
});

describe('unreachable stores fail fast with one line', () => {
  it('refused connection', async () => {
    const { error, ms } = await failure(connectRedis({ url: 'redis://127.0.0.1:1', env: {} }));
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toBe('redis://127.0.0.1:1: cannot connect: ECONNREFUSED');
    expect(ms).toBeLessThan(3000);
  });

  it('a port that accepts but never answers (frozen server): timeout, no hang', async () => {
    const port = await fakeServer(() => {}); // accepts, says nothing
    const { error, ms } = await failure(connectRedis({ url: `redis://127.0.0.1:${port}`, env: {}, timeouts: { connectMs: 500 } }));
    expect(String(error)).toBe(`redis://127.0.0.1:${port}: cannot connect: ETIMEDOUT`);
    expect(ms).toBeLessThan(3000);
  });

  it('something that is not Redis', async () => {
    const port = await fakeServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const { error } = await failure(connectRedis({ url: `redis://127.0.0.1:${port}`, env: {} }));
    expect(String(error)).toMatch(/cannot connect: (not a Redis server|ECONNRESET|connection)/);
  });

  it('a malformed URL is a usage error', async () => {
    await expect(connectRedis({ url: 'redis://h:1/x', env: {} })).rejects.toBeInstanceOf(UsageError);
  });
});

describe.skipIf(tlsSkipReason)(`TLS${tlsSkipReason ? ` (skipped: ${tlsSkipReason})` : ''}`, () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let mutual: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    [server, mutual] = await Promise.all([startRedis({ tls: true }), startRedis({ tls: { authClients: true } })]);
    cleanup.push(() => server.stop(), () => mutual.stop());
  });

  it('connects with the CA given', async () => {
    const store = await connected({ url: server.url, tls: { ca: server.tls!.ca }, env: {} });
    expect(store.source).toMatch(/^rediss:\/\//);
    expect(await store.nodes[0].call('PING')).toBe('PONG');
  });

  it('refuses an untrusted certificate unless --tls-insecure', async () => {
    const { error } = await failure(connectRedis({ url: server.url, env: {} }));
    expect(String(error)).toMatch(/cannot connect: TLS: server certificate (not trusted|is self-signed)/);
    const store = await connected({ url: server.url, tls: { insecure: true }, env: {} });
    expect(await store.nodes[0].call('PING')).toBe('PONG');
  });

  it('presents a client certificate when the server requires one', async () => {
    const tls = { ca: mutual.tls!.ca, cert: mutual.tls!.clientCert, key: mutual.tls!.clientKey };
    const store = await connected({ url: mutual.url, tls, env: {} });
    expect(await store.nodes[0].call('PING')).toBe('PONG');
    await expect(connectRedis({ url: mutual.url, tls: { ca: mutual.tls!.ca }, env: {} })).rejects.toBeInstanceOf(InputError);
  });

  it('plain TCP to a TLS port is a clear error, not a hang', async () => {
    const { error, ms } = await failure(connectRedis({ url: `redis://127.0.0.1:${server.port}`, env: {}, timeouts: { connectMs: 1000 } }));
    expect(error).toBeInstanceOf(InputError);
    expect(ms).toBeLessThan(3000);
  });

  it('a missing CA file is a usage error', async () => {
    await expect(connectRedis({ url: server.url, tls: { ca: '/nonexistent/ca.pem' }, env: {} })).rejects.toThrow(/--tls-ca \/nonexistent\/ca.pem: ENOENT/);
  });
});

describe('sentinel', () => {
  let master: RedisProcess;
  let sentinel: Awaited<ReturnType<typeof startSentinel>>;
  beforeAll(async () => {
    master = await startRedis();
    sentinel = await startSentinel(master.port, 'sessions');
    cleanup.push(() => sentinel.stop(), () => master.stop());
  });

  it('resolves and opens the current master', async () => {
    const store = await connected({ sentinel: { sentinels: [{ host: '127.0.0.1', port: 1 }, { host: '127.0.0.1', port: sentinel.port }], name: 'sessions' }, env: {} });
    expect(store.mode).toBe('sentinel');
    expect(store.source).toBe(`sentinel://127.0.0.1:1,127.0.0.1:${sentinel.port}/sessions`);
    expect(store.nodes[0].address).toBe(`127.0.0.1:${master.port}`);
    expect(await store.nodes[0].call('PING')).toBe('PONG');
  });

  it('an unknown master name is one clear error', async () => {
    const { error } = await failure(connectRedis({ sentinel: { sentinels: [{ host: '127.0.0.1', port: sentinel.port }], name: 'nope' }, env: {} }));
    expect(error).toBeInstanceOf(InputError);
    expect(String(error)).toMatch(/cannot find the master "nope": .*does not monitor a master named "nope"/);
  });
});
