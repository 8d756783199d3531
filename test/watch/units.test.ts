// The parts of `watch` one at a time: notify-keyspace-events flags, the narrow CONFIG SET allowance,
// per-namespace counters, SCAN differences, rendering; and runWatch in-process, stopped by its signal.
import { afterAll, describe, expect, it } from 'vitest';
import { runWatch, type WatchInterval } from '../../src/commands/watch.js';
import { sessionPatterns } from '../../src/stores/session-patterns.js';
import { namespaceFor } from '../../src/stores/namespaces.js';
import { assertReadCommand } from '../../src/stores/redis/read-commands.js';
import { assertWriteCommand } from '../../src/stores/redis/reader.js';
import { isAllowedWrite, REVOKE_WRITES, WATCH_WRITES } from '../../src/stores/redis/write-commands.js';
import { connectRedis } from '../../src/stores/redis/connect.js';
import { openNode } from '../../src/stores/redis/open-node.js';
import { WatchCounters } from '../../src/watch/counters.js';
import { channelsFor, combinePlans, eventOfChannel, planNotifications } from '../../src/watch/notify-classes.js';
import { InPlace, renderJsonLine, renderTable } from '../../src/watch/render.js';
import { diffSamples, type KeySample } from '../../src/watch/sample.js';
import { admin } from '../support/redis-data.js';
import { cli, startRedis } from '../support/redis-servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('notify-keyspace-events flags', () => {
  it('off: nothing usable, every needed flag missing', () => {
    const plan = planNotifications('', true);
    expect(plan).toMatchObject({ usable: false, created: null, wanted: 'Egxen' });
    expect(plan.missing).toEqual(['E (key-event channel)', 'g (del)', 'x (expired)', 'e (evicted)', 'n (new keys)']);
  });

  it('partly on: what is there is used, the rest named', () => {
    const plan = planNotifications('Ex', true);
    expect(plan).toMatchObject({ usable: true, created: null, kinds: { created: false, expired: true, deleted: false, evicted: false }, wanted: 'Exgen' });
    expect(planNotifications('xK', true).usable).toBe(false); // keyspace channel only: no key events
  });

  it('A is g$lshzxetd; n (Redis >= 7) makes creations exact, $/h count writes before', () => {
    expect(planNotifications('AKE', true)).toMatchObject({ created: 'writes', missing: ['n (new keys)'], wanted: 'AKEn' });
    expect(planNotifications('KEA', false)).toMatchObject({ created: 'writes', missing: [] });
    expect(planNotifications('Egxen', true)).toMatchObject({ created: 'new', missing: [], kinds: { created: true, expired: true, deleted: true, evicted: true } });
    expect(planNotifications('Egxe', false).missing).toEqual(['$ (set)', 'h (hset)']);
  });

  it('a cluster watches a kind only when every master publishes it', () => {
    const combined = combinePlans([planNotifications('Egxen', true), planNotifications('Egx$', true)]);
    expect(combined).toMatchObject({ created: 'writes', usable: true, kinds: { expired: true, deleted: true, evicted: false } });
  });

  it('channels: only the events needed, on the database watched', () => {
    expect(channelsFor({ created: true, expired: true, deleted: true, evicted: false }, 'new', 3)).toEqual([
      '__keyevent@3__:new',
      '__keyevent@3__:expired',
      '__keyevent@3__:del',
    ]);
    expect(channelsFor({ created: true, expired: false, deleted: false, evicted: false }, 'writes', 0)).toEqual(['__keyevent@0__:set', '__keyevent@0__:hset']);
    expect(eventOfChannel('__keyevent@12__:evicted')).toBe('evicted');
  });
});

describe('allow-lists', () => {
  const watch = new Set<string>(WATCH_WRITES);
  it('a watch writer may send exactly CONFIG SET notify-keyspace-events <flags>', () => {
    expect(isAllowedWrite(watch, 'CONFIG', ['SET', 'notify-keyspace-events', 'Egxen'])).toBe(true);
    expect(isAllowedWrite(watch, 'config', ['set', 'NOTIFY-KEYSPACE-EVENTS', ''])).toBe(true);
    expect(isAllowedWrite(watch, 'CONFIG', ['SET', 'maxmemory', '0'])).toBe(false);
    expect(isAllowedWrite(watch, 'CONFIG', ['SET', 'notify-keyspace-events', 'Egx', 'maxmemory', '0'])).toBe(false);
    expect(isAllowedWrite(watch, 'CONFIG', ['SET', 'notify-keyspace-events', 'E x'])).toBe(false);
    expect(isAllowedWrite(watch, 'CONFIG', ['REWRITE'])).toBe(false);
    expect(isAllowedWrite(watch, 'CONFIG', ['RESETSTAT'])).toBe(false);
    expect(isAllowedWrite(watch, 'UNLINK', ['k'])).toBe(false);
    expect(isAllowedWrite(new Set<string>(REVOKE_WRITES), 'CONFIG', ['SET', 'notify-keyspace-events', 'E'])).toBe(false);
    expect(() => assertWriteCommand(watch, 'CONFIG', ['SET', 'save', ''])).toThrow(/refusing to send CONFIG SET/);
    expect(() => assertWriteCommand(watch, 'CONFIG', ['GET', 'notify-keyspace-events'])).not.toThrow();
  });

  it('read-only: SUBSCRIBE and CONFIG GET yes; CONFIG SET and PUBLISH no', () => {
    for (const command of ['SUBSCRIBE', 'PSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE']) expect(() => assertReadCommand(command, ['__keyevent@0__:del'])).not.toThrow();
    expect(() => assertReadCommand('CONFIG', ['GET', 'notify-keyspace-events'])).not.toThrow();
    expect(() => assertReadCommand('CONFIG', ['SET', 'notify-keyspace-events', 'E'])).toThrow(/refusing/);
    expect(() => assertReadCommand('PUBLISH', ['c', 'm'])).toThrow(/refusing/);
  });

  it('a plain reader cannot CONFIG SET even by mistake, and a watch writer can (real server)', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const reader = await openNode({ host: redis.host, port: redis.port }, redis.url);
    expect(() => reader.call('CONFIG', 'SET', 'notify-keyspace-events', 'E')).toThrow(/not in the read-only command list/);
    await reader.close();
    const writer = await openNode({ host: redis.host, port: redis.port }, redis.url, {}, { writes: WATCH_WRITES });
    await writer.write('CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
    expect(cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events'])).toContain('xE');
    expect(() => writer.write('CONFIG', 'SET', 'appendonly', 'yes')).toThrow(/refusing/);
    await writer.close();
  });
});

describe('counters', () => {
  const all = { created: true, expired: true, deleted: true, evicted: true };

  it('groups keys as scan does and marks session namespaces', () => {
    expect(namespaceFor('user:1042:cart')).toEqual({ pattern: 'user:*:cart' });
    expect(namespaceFor('sess:abc').framework?.id).toBe('connect-redis');
    expect(namespaceFor('myapp:s:1', sessionPatterns(['myapp:s:*'])).pattern).toBe('myapp:s:*');
    const counters = new WatchCounters({ created: 'new', custom: sessionPatterns(['myapp:s:*']) });
    counters.rebase({ keys: ['sess:a', 'sess:b', 'user:1:cart', 'spring:session:sessions:expires:x'], scanned: 4, total: 4, complete: true }, false);
    counters.event('new', 'sess:c');
    counters.event('new', 'myapp:s:9');
    counters.event('expired', 'sess:a');
    counters.event('deleted', 'user:1:cart');
    counters.event('evicted', 'sess:b');
    const rows = counters.take(2, all);
    expect(rows.map((r) => [r.pattern, r.session, r.alive])).toEqual([
      ['myapp:s:*', true, 1],
      ['sess:*', true, 1],
      ['spring:session:sessions:expires:*', false, 1],
      ['user:*:cart', false, 0], // nothing left, but a deletion this interval
    ]);
    expect(rows[1]).toMatchObject({ framework: 'connect-redis', counts: { created: 1, expired: 1, deleted: 0, evicted: 1 }, perSecond: { created: 0.5, expired: 0.5 } });
    // The interval counts start again; user:*:cart, empty and quiet now, is no longer shown.
    const next = counters.take(1, all);
    expect(next.every((r) => r.counts.created === 0)).toBe(true);
    expect(next.map((r) => r.pattern)).not.toContain('user:*:cart');
  });

  it('without `new` events: a write is a creation only for a key not alive before', () => {
    const counters = new WatchCounters({ created: 'writes' });
    counters.rebase({ keys: ['sess:a'], scanned: 1, total: 1, complete: true }, true);
    expect(counters.createdVia).toBe('writes');
    counters.event('write', 'sess:a'); // update
    counters.event('write', 'sess:b'); // new
    counters.event('write', 'sess:b'); // update
    counters.event('deleted', 'sess:a');
    counters.event('write', 'sess:a'); // back again: new
    expect(counters.take(1, all)[0]).toMatchObject({ counts: { created: 2, deleted: 1 }, alive: 2 });
  });

  it('without `new` events and a partial start SCAN, creations cannot be told from updates', () => {
    const counters = new WatchCounters({ created: 'writes' });
    counters.rebase({ keys: ['sess:a'], scanned: 1, total: 10, complete: false }, true);
    counters.event('write', 'sess:b');
    expect(counters.createdCountable).toBe(false);
    expect(counters.take(1, all)[0].counts.created).toBeNull();
    // A `new` event (the server has n after all) settles it.
    counters.event('new', 'sess:c');
    expect(counters.createdVia).toBe('new');
  });

  it('a partial sample is scaled up with its margin; unobserved kinds are null', () => {
    const counters = new WatchCounters({ created: 'new' });
    const keys = Array.from({ length: 100 }, (_, i) => (i < 25 ? `sess:${i}` : `cache:${i}`));
    counters.rebase({ keys, scanned: 100, total: 1000, complete: false }, false);
    const row = counters.take(1, { created: true, expired: true, deleted: false, evicted: false }).find((r) => r.pattern === 'sess:*')!;
    expect(row.alive).toBe(250);
    expect(row.aliveMargin).toBeGreaterThan(0);
    expect(row.counts).toEqual({ created: 0, expired: 0, deleted: null, evicted: null });
  });

  it('--namespace: other keys are not counted at all', () => {
    const counters = new WatchCounters({ created: 'new', keep: (key) => key.startsWith('sess:') });
    counters.rebase({ keys: ['sess:a', 'user:1'], scanned: 2, total: 2, complete: true }, false);
    counters.event('new', 'user:2');
    expect(counters.take(1, all).map((r) => r.pattern)).toEqual(['sess:*']);
  });
});

describe('SCAN differences', () => {
  const sample = (keys: Record<string, number>, at: number): KeySample => ({ keys: new Map(Object.entries(keys)), scanned: 0, total: 0, complete: true, at });

  it('new keys created; gone after their TTL expired; gone before it deleted, or evicted as INFO counted', () => {
    const before = sample({ a: -1, b: 1500, c: 5000, d: -1, e: -1 }, 1000);
    const after = sample({ a: -1, f: -1 }, 2000);
    expect(diffSamples(before, after, 0)).toEqual([
      ['expired', 'b'],
      ['deleted', 'c'],
      ['deleted', 'd'],
      ['deleted', 'e'],
      ['new', 'f'],
    ]);
    const withEvictions = diffSamples(before, after, 2);
    expect(withEvictions.filter(([kind]) => kind === 'evicted')).toHaveLength(2);
    expect(withEvictions.filter(([kind]) => kind === 'deleted')).toHaveLength(1);
  });
});

describe('render', () => {
  const report: WatchInterval = {
    time: '2026-01-02T03:04:05.000Z',
    source: 'redis://127.0.0.1:6390',
    mode: 'sampling',
    notice: 'notifications off: sampling (notify-keyspace-events "", missing E (key-event channel))',
    seconds: 1,
    elapsedSeconds: 5,
    alive: 'estimated',
    created: null,
    namespaces: [
      { pattern: 'sess:*', framework: 'connect-redis', role: 'session', session: true, counts: { created: null, expired: null, deleted: null, evicted: null }, perSecond: { created: null, expired: null, deleted: null, evicted: null }, alive: 1200, aliveMargin: 40 },
    ],
    server: { keys: 5000, expires: 1200, expiredPerSecond: 2.5, evictedPerSecond: 0 },
    notes: [],
  };

  it('a table: the notice, "-" for what is not seen, estimates with their margin', () => {
    const text = renderTable(report, { width: 120 });
    expect(text).toContain('notifications off: sampling');
    expect(text).toMatch(/NAMESPACE\s+FRAMEWORK\s+CREATED\/s\s+EXPIRED\/s\s+DELETED\/s\s+EVICTED\/s\s+ALIVE/);
    expect(text).toMatch(/sess:\*\s+connect-redis\s+-\s+-\s+-\s+-\s+~1,200 ±40/);
    expect(text).toContain('server (INFO): 5,000 keys, 1,200 with a TTL; expired 2.5/s');
    expect(text).not.toContain('\x1b');
  });

  it('one JSON line', () => {
    const line = renderJsonLine(report);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim().includes('\n')).toBe(false);
    expect(JSON.parse(line)).toEqual(report);
  });

  it('in place: the next block goes back up over the last one', () => {
    const out: string[] = [];
    const screen = new InPlace((text) => out.push(text), () => 20);
    screen.show('one\ntwo\n');
    screen.show('a line that is longer than twenty columns, twice\n');
    expect(out[0]).toBe('one\ntwo\n');
    expect(out[1].startsWith('\x1b[2F\x1b[J')).toBe(true);
    screen.show('x\n');
    expect(out[2].startsWith('\x1b[3F\x1b[J')).toBe(true); // the long line took 3 rows
  });
});

describe('runWatch in-process', () => {
  it('stopped by its signal: the last interval reported, config put back, connections closed', async () => {
    const redis = await startRedis({ args: ['--notify-keyspace-events', 'Ex'] });
    cleanup.push(() => redis.stop());
    const controller = new AbortController();
    const reports: WatchInterval[] = [];
    const lines: string[] = [];
    const running = runWatch({
      connection: { url: redis.url, sentinels: [] },
      interval: 0.2,
      namespaces: [],
      sessionPatterns: [],
      enableNotifications: true,
      sample: 1000,
      signal: controller.signal,
      env: {},
      warn: (line) => {
        lines.push(line);
        if (/watching/.test(line)) {
          const client = admin(redis.port);
          void client.set('sess:1', 'x').then(() => {
            client.disconnect();
            setTimeout(() => controller.abort(), 300);
          });
        }
      },
      onInterval: (report) => reports.push(report),
    });
    const result = await running;
    expect(result).toMatchObject({ mode: 'notifications', restored: [{ old: 'xE', restored: true }] });
    expect(reports.reduce((sum, r) => sum + (r.namespaces.find((n) => n.pattern === 'sess:*')?.counts.created ?? 0), 0)).toBe(1);
    expect(cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events'])).toContain('xE');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cli(redis.port, ['CLIENT', 'LIST']).trim().split('\n')).toHaveLength(1); // only redis-cli itself
    // The store connection code is what scan uses: a subscriber can be opened for each node.
    const store = await connectRedis({ url: redis.url, env: {} });
    expect(store.db).toBe(0);
    const subscriber = await store.subscriber!(store.nodes[0]);
    await subscriber.subscribe(['__keyevent@0__:del']);
    await subscriber.close();
    await store.close();
  });
});
