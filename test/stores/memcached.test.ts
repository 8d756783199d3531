import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import {
  MemcachedReplyError,
  connectMemcached,
  parseMemcachedAddress,
  parseMetadumpLine,
  type MemcachedClient,
  type MetadumpItem,
} from '../../src/stores/memcached.js';
import { startMemcached, useMemcached, type MemcachedServer } from '../support/memcached-server.js';

interface Entry {
  key: string;
  exptime: number;
  value?: string;
}

/**
 * Writes go through a raw socket here, never through the client under test, which stays read-only.
 * `noreply` would hide failures, so wait for one STORED per key.
 */
async function rawSet(server: MemcachedServer, entries: Entry[]): Promise<void> {
  const socket = net.connect({ host: server.host, port: server.port });
  try {
    await new Promise<void>((resolve, reject) => {
      let reply = '';
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        reply += chunk.toString();
        const lines = reply.split('\r\n').filter(Boolean);
        if (lines.some((line) => line !== 'STORED')) reject(new Error(`set failed: ${reply}`));
        else if (lines.length === entries.length) resolve();
      });
      const commands = entries.map(({ key, exptime, value = '{"user":42}' }) => {
        const bytes = Buffer.byteLength(value);
        return `set ${key} 0 ${exptime} ${bytes}\r\n${value}\r\n`;
      });
      socket.write(commands.join(''));
    });
  } finally {
    socket.destroy();
  }
}

async function withClient<T>(address: string, use: (client: MemcachedClient) => Promise<T>): Promise<T> {
  const client = await connectMemcached(address);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

async function dump(client: MemcachedClient): Promise<Map<string, MetadumpItem>> {
  const items = new Map<string, MetadumpItem>();
  const result = await client.metadump((item) => items.set(item.key, item));
  expect(result).toEqual({ available: true, items: items.size });
  return items;
}

/** A TCP server that answers memcached commands from a table (or never, when the table has no entry). */
async function fakeServer(replies: Record<string, string>): Promise<{ address: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let end: number;
      while ((end = pending.indexOf('\r\n')) !== -1) {
        const reply = replies[pending.slice(0, end)];
        pending = pending.slice(end + 2);
        if (reply !== undefined) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

describe('parseMemcachedAddress', () => {
  it('reads HOST:PORT, [IPv6]:PORT and a bare host on the default port', () => {
    expect(parseMemcachedAddress('127.0.0.1:11311')).toEqual({ host: '127.0.0.1', port: 11311, address: '127.0.0.1:11311' });
    expect(parseMemcachedAddress('[::1]:11212')).toEqual({ host: '::1', port: 11212, address: '[::1]:11212' });
    expect(parseMemcachedAddress('cache.internal')).toEqual({ host: 'cache.internal', port: 11211, address: 'cache.internal:11211' });
  });

  it.each(['::1:11211', 'host:0', 'host:99999', 'host:x', ':11211', 'host:'])('rejects %j as a usage error', (text) => {
    expect(() => parseMemcachedAddress(text)).toThrow(UsageError);
  });
});

describe('parseMetadumpLine', () => {
  it('decodes keys and reads exp (-1: never), la and size, ignoring unknown fields', () => {
    expect(parseMetadumpLine('key=sess%3Aabc exp=1767225600 la=1767139200 cas=5 fetch=no cls=1 size=120 flags=0')).toEqual({
      key: 'sess:abc',
      exp: 1767225600,
      lastAccess: 1767139200,
      size: 120,
    });
    expect(parseMetadumpLine('key=a exp=-1 la=1 cas=1 fetch=yes cls=1 size=60')?.exp).toBe(-1);
  });

  it('keeps keys that are not UTF-8, and rejects lines that lack a field', () => {
    expect(parseMetadumpLine('key=x%FFy exp=-1 la=1 size=60')?.key).toBe('x\uFFFDy');
    expect(parseMetadumpLine('key=x exp=-1 la=1')).toBeUndefined();
  });
});

describe('memcached client against a real server', () => {
  const server = useMemcached();
  const now = () => Math.floor(Date.now() / 1000);
  const sessions: Entry[] = [
    { key: 'sess:9f8e7d6c5b4a', exptime: 0 }, // express-session style key, no TTL
    { key: 'sess:0a1b2c3d4e5f', exptime: 3600 },
    { key: 'memc.sess.key.k9v2lq0sd8f7', exptime: 1440, value: 'user_id|i:42;' }, // PHP memcached session handler
    { key: ':1:django.contrib.sessions.cachex1y2z3', exptime: 0 }, // Django cache backend, key version 1
    { key: 'sess:café', exptime: 0 }, // multi-byte key: metadump URI-encodes the UTF-8 bytes
  ];

  it('reads stats, stats settings and version', async () => {
    await withClient(server().address, async (client) => {
      // Commands queue: firing them together must still match each reply to its command.
      const [stats, settings, version] = await Promise.all([client.stats(), client.statsSettings(), client.version()]);
      expect(version).toMatch(/^\d+\.\d+\.\d+/);
      expect(stats.get('version')).toBe(version);
      expect(Number(stats.get('uptime'))).toBeGreaterThanOrEqual(0);
      expect(stats.get('limit_maxbytes')).toBe(String(32 * 1024 * 1024));
      expect(settings.get('maxbytes')).toBe(String(32 * 1024 * 1024));
      expect(settings.get('evictions')).toBe('on');
      expect(settings.get('lru_crawler')).toBe('yes');
    });
  });

  it('lists every key with its expiry: exp=-1 for exptime 0, absolute time for a TTL', async () => {
    await rawSet(server(), sessions);
    const before = now();
    const items = await withClient(server().address, dump);
    const after = now();

    expect([...items.keys()].sort()).toEqual(sessions.map((entry) => entry.key).sort());
    expect(items.get('sess:9f8e7d6c5b4a')?.exp).toBe(-1);
    expect(items.get(':1:django.contrib.sessions.cachex1y2z3')?.exp).toBe(-1);
    expect(items.get('sess:café')?.exp).toBe(-1);
    // memcached's clock ticks once a second: allow a couple of seconds either side.
    expect(items.get('sess:0a1b2c3d4e5f')?.exp).toBeGreaterThanOrEqual(before + 3600 - 2);
    expect(items.get('sess:0a1b2c3d4e5f')?.exp).toBeLessThanOrEqual(after + 3600 + 2);
    expect(items.get('memc.sess.key.k9v2lq0sd8f7')?.exp).toBeGreaterThanOrEqual(before + 1440 - 2);
    for (const item of items.values()) {
      expect(item.size).toBeGreaterThan(item.key.length);
      expect(Math.abs(item.lastAccess - before)).toBeLessThanOrEqual(5);
    }
  });

  it('can run metadump twice and other commands after it on one connection', async () => {
    await withClient(server().address, async (client) => {
      const first = await dump(client);
      const second = await dump(client);
      expect(second.size).toBe(first.size);
      expect(await client.version()).toMatch(/^\d/);
    });
  });

  it('stops the dump and closes the connection when the callback throws', async () => {
    await withClient(server().address, async (client) => {
      const stop = new Error('enough');
      await expect(
        client.metadump(() => {
          throw stop;
        }),
      ).rejects.toBe(stop);
      await expect(client.version()).rejects.toThrow(InputError);
    });
  });
});

describe('memcached metadump unavailable', () => {
  it.each([
    [['-o', 'no_lru_crawler'], 'CLIENT_ERROR lru crawler disabled'],
    [['-X'], 'ERROR metadump not allowed'],
  ])('memcached %j: says why, and the connection stays usable', async (args, reason) => {
    const server = await startMemcached({ args });
    try {
      await withClient(server.address, async (client) => {
        const seen: MetadumpItem[] = [];
        expect(await client.metadump((item) => seen.push(item))).toEqual({ available: false, reason });
        expect(seen).toEqual([]);
        expect((await client.stats()).get('pid')).toBe(String(server.pid));
      });
    } finally {
      await server.stop();
    }
  });

  it('an older server answering ERROR: metadump unavailable, stats settings a reply error, connection kept', async () => {
    const fake = await fakeServer({
      'lru_crawler metadump all': 'ERROR\r\n',
      'stats settings': 'ERROR\r\n',
      version: 'VERSION 1.4.15\r\n',
    });
    try {
      await withClient(fake.address, async (client) => {
        expect(await client.metadump(() => undefined)).toEqual({ available: false, reason: 'ERROR' });
        await expect(client.statsSettings()).rejects.toThrow(MemcachedReplyError);
        expect(await client.version()).toBe('1.4.15');
      });
    } finally {
      fake.close();
    }
  });

  it.each([
    ['OK\r\nkey=sess%3Aa exp=-1 la=1 cas=1 fetch=no cls=1 size=60\nEND\r\n', 1], // the documented (never sent) OK line
    ['NOTSTARTED no items to crawl\r\n', 0], // nothing to crawl: an empty cache, not a refusal
  ])('reads %j as a complete dump of %i items', async (reply, count) => {
    const fake = await fakeServer({ 'lru_crawler metadump all': reply });
    try {
      await withClient(fake.address, async (client) => {
        expect(await client.metadump(() => undefined)).toEqual({ available: true, items: count });
      });
    } finally {
      fake.close();
    }
  });

  it('retries while another crawl holds the crawler (BUSY), then says so', async () => {
    const fake = await fakeServer({ 'lru_crawler metadump all': 'BUSY currently processing crawler request\r\n' });
    try {
      const client = await connectMemcached(fake.address, { busyWaitMs: 500 });
      const started = Date.now();
      expect(await client.metadump(() => undefined)).toEqual({ available: false, reason: 'BUSY currently processing crawler request' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      client.close();
    } finally {
      fake.close();
    }
  });
});

describe('memcached failures: one clear error, never a hang', () => {
  it('an unreachable address fails fast with an exit-2 InputError', async () => {
    const started = Date.now();
    const error = await connectMemcached('127.0.0.1:1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect(String(error)).toBe('127.0.0.1:1: cannot connect: ECONNREFUSED');
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a server that accepts but never answers times out', async () => {
    const fake = await fakeServer({});
    try {
      const client = await connectMemcached(fake.address, { commandTimeoutMs: 300 });
      const started = Date.now();
      await expect(client.stats()).rejects.toThrow('no reply to "stats" within 0.3 s');
      expect(Date.now() - started).toBeLessThan(2000);
      // Out of step after a timeout: the client refuses further commands instead of misreading replies.
      await expect(client.version()).rejects.toThrow(InputError);
    } finally {
      fake.close();
    }
  });

  it('a server killed in the middle of a metadump fails the dump cleanly', async () => {
    // The crawler sleeps 0.2 s every 1000 items, so the dump of 5000 keys is still streaming when killed.
    const server = await startMemcached({ args: ['-o', 'lru_crawler_sleep=200000'] });
    try {
      const entries = Array.from({ length: 5000 }, (_, i) => ({ key: `sess:${i.toString(36).padStart(8, '0')}`, exptime: 0, value: 'x' }));
      await rawSet(server, entries);
      const client = await connectMemcached(server.address, { commandTimeoutMs: 3000 });
      let seen = 0;
      const started = Date.now();
      const error = await client
        .metadump(() => {
          if (seen++ === 0) server.kill();
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).exitCode).toBe(2);
      expect(String(error)).toMatch(
        new RegExp(`^${server.address}: connection (closed by the server|lost: ECONNRESET) during "lru_crawler metadump all" after \\d+ items$`),
      );
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThan(entries.length);
      expect(Date.now() - started).toBeLessThan(3000);
      client.close();
    } finally {
      await server.stop();
    }
  });
});
