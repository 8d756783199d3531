// `session-audit watch` through the CLI against real redis-servers the tests start: notifications on
// (exact counts of sessions created, expired with a short PX, deleted, evicted), notifications off
// (the sampling fallback), CONFIG GET refused (subscribes anyway), and an unreachable server.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WATCH_ACL } from '../../src/stores/redis/read-commands.js';
import { WATCH_ENABLE_ACL } from '../../src/stores/redis/write-commands.js';
import { runCliAsync } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { intervals, lastRow, sleep, startWatch, total } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function server(args: string[] = [], aclFile?: string): Promise<RedisProcess> {
  const redis = await startRedis({ args, aclFile });
  cleanup.push(() => redis.stop());
  return redis;
}

describe('notifications on', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await server(['--notify-keyspace-events', 'Egxen']);
    const client = admin(redis.port);
    for (let i = 0; i < 40; i++) await client.set(`sess:old${i}`, 'x', 'EX', 3600);
    await client.set('user:1:cart', 'x');
    client.disconnect();
  });

  it('counts sessions created, expired (short PX) and deleted per namespace, alive counted', async () => {
    const watch = startWatch(['--redis', redis.url, '--interval', '500ms', '--duration', '4s', '--format', 'json', '--session-pattern', 'myapp:s:*']);
    expect(await watch.ready).toMatch(/watching keyspace notifications on 1 master \(notify-keyspace-events "[^"]*"\)$/);
    const client = admin(redis.port);
    for (let i = 0; i < 30; i++) await client.set(`sess:new${i}`, 'x', 'EX', 3600);
    for (let i = 0; i < 10; i++) await client.set(`sess:short${i}`, 'x', 'PX', 150);
    for (let i = 0; i < 5; i++) await client.hset(`myapp:s:${i}`, 'f', 'v');
    await client.set('sess:new0', 'updated', 'EX', 3600); // an update, not a creation
    await client.del('sess:old0', 'sess:old1', 'sess:old2');
    await client.unlink('sess:old3', 'sess:old4');
    await client.del('user:1:cart');
    client.disconnect();
    const run = await watch.done;
    expect(run.status, run.stderr).toBe(0);
    const lines = intervals(run.stdout);
    expect(lines.length).toBeGreaterThanOrEqual(7);
    expect(lines[0]).toMatchObject({ mode: 'notifications', notice: null, alive: 'counted', created: 'new-key events', source: redis.url });
    expect(total(lines, 'sess:*', 'created')).toBe(40);
    expect(total(lines, 'sess:*', 'expired')).toBe(10);
    expect(total(lines, 'sess:*', 'deleted')).toBe(5);
    expect(total(lines, 'sess:*', 'evicted')).toBe(0);
    expect(total(lines, 'myapp:s:*', 'created')).toBe(5);
    expect(total(lines, 'user:*:cart', 'deleted')).toBe(1);
    expect(lastRow(lines, 'sess:*')).toMatchObject({ session: true, framework: 'connect-redis', alive: 40 + 30 - 5, aliveMargin: 0 });
    expect(lastRow(lines, 'myapp:s:*')).toMatchObject({ session: true, framework: 'custom', alive: 5 });
    // Rates are per second of the interval.
    const busy = lines.find((line) => line.namespaces.some((row) => row.pattern === 'sess:*' && row.counts.created! > 0))!;
    const row = busy.namespaces.find((r) => r.pattern === 'sess:*')!;
    // perSecond is rounded to 2 decimals and `seconds` to 1 in the JSON: compare within that rounding.
    const rate = row.counts.created! / busy.seconds;
    expect(Math.abs(row.perSecond.created! - rate)).toBeLessThanOrEqual(rate * 0.06 + 0.01);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('--namespace keeps only matching keys', async () => {
    const watch = startWatch(['--redis', redis.url, '--interval', '500ms', '--duration', '2s', '--namespace', 'user:*']);
    await watch.ready;
    const client = admin(redis.port);
    await client.set('user:2:cart', 'x');
    await client.set('sess:filtered', 'x');
    client.disconnect();
    const lines = intervals((await watch.done).stdout); // not a TTY: JSON lines by default
    expect(lines.every((line) => line.namespaces.every((r) => r.pattern.startsWith('user:')))).toBe(true);
    expect(total(lines, 'user:*:cart', 'created')).toBe(1);
  });

  it('a database other than 0: only its events and keys', async () => {
    const watch = startWatch(['--redis', `${redis.url}/2`, '--interval', '400ms', '--duration', '1500ms', '--format', 'json']);
    await watch.ready;
    const client = admin(redis.port);
    await client.set('sess:db0', 'x');
    await client.select(2);
    await client.set('sess:db2a', 'x');
    await client.set('sess:db2b', 'x');
    client.disconnect();
    const run = await watch.done;
    expect(run.status, run.stderr).toBe(0);
    const lines = intervals(run.stdout);
    expect(lines[0].source).toBe(`${redis.url}/2`);
    expect(total(lines, 'sess:*', 'created')).toBe(2);
    expect(lastRow(lines, 'sess:*')!.alive).toBe(2);
    expect(lines[lines.length - 1].server.keys).toBe(2);
  });

  it('counts evictions', async () => {
    const small = await server(['--notify-keyspace-events', 'Egxen', '--maxmemory', '3mb', '--maxmemory-policy', 'allkeys-random']);
    const watch = startWatch(['--redis', small.url, '--interval', '500ms', '--duration', '3s', '--format', 'json']);
    await watch.ready;
    const client = admin(small.port);
    const value = 'v'.repeat(10_000);
    for (let i = 0; i < 600; i++) await client.set(`sess:big${i}`, value, 'EX', 3600);
    const evicted = Number(/evicted_keys:(\d+)/.exec(await client.info('stats'))![1]);
    client.disconnect();
    const lines = intervals((await watch.done).stdout);
    expect(evicted).toBeGreaterThan(0);
    expect(total(lines, 'sess:*', 'evicted')).toBe(evicted);
    expect(total(lines, 'sess:*', 'created')).toBe(600);
  });
});

describe('notifications off: sampling', () => {
  it('says so, and finds creations, expirations and deletions from INFO and SCAN', async () => {
    const redis = await server();
    const client = admin(redis.port);
    for (let i = 0; i < 20; i++) await client.set(`sess:old${i}`, 'x');
    const watch = startWatch(['--redis', redis.url, '--interval', '400ms', '--duration', '4s', '--format', 'json']);
    expect(await watch.ready).toMatch(/notifications off: sampling \(notify-keyspace-events "", missing E \(key-event channel\).*watching INFO and a SCAN/);
    for (let i = 0; i < 15; i++) await client.set(`sess:new${i}`, 'x');
    for (let i = 0; i < 6; i++) await client.set(`sess:short${i}`, 'x', 'PX', 1200);
    await sleep(1000); // sampled at least once while alive
    await client.del('sess:old0', 'sess:old1', 'sess:old2', 'sess:old3');
    const run = await watch.done;
    client.disconnect();
    expect(run.status, run.stderr).toBe(0);
    const lines = intervals(run.stdout);
    expect(lines[0]).toMatchObject({ mode: 'sampling', alive: 'counted', created: 'scan differences' });
    expect(lines[0].notice).toMatch(/^notifications off: sampling/);
    expect(total(lines, 'sess:*', 'created')).toBe(21);
    expect(total(lines, 'sess:*', 'expired')).toBe(6);
    expect(total(lines, 'sess:*', 'deleted')).toBe(4);
    expect(lastRow(lines, 'sess:*')).toMatchObject({ alive: 20 + 15 - 4, aliveMargin: 0 });
    expect(lines.some((line) => line.server.expiredPerSecond > 0)).toBe(true);
  });

  it('estimates alive when the SCAN cannot see every key, and says rates need a full SCAN', async () => {
    const redis = await server();
    const client = admin(redis.port);
    for (let i = 0; i < 3000; i++) await client.set(i % 3 === 0 ? `sess:${i}` : `cache:item:${i}`, 'x');
    client.disconnect();
    const run = await runCliAsync(['watch', '--redis', redis.url, '--interval', '300ms', '--duration', '1s', '--sample', '500', '--format', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const lines = intervals(run.stdout);
    const row = lastRow(lines, 'sess:*')!;
    expect(lines[0]).toMatchObject({ mode: 'sampling', alive: 'estimated', created: null });
    expect(row.counts).toEqual({ created: null, expired: null, deleted: null, evicted: null });
    // aliveMargin is a 95% interval: the estimate falls outside it 1 run in 20. Twice it (about 4
    // standard errors) it practically never does, so this fails only when the estimate is wrong.
    expect(row.aliveMargin).toBeGreaterThan(0);
    expect(Math.abs(row.alive - 1000)).toBeLessThanOrEqual(row.aliveMargin * 2);
    expect(lines[0].notes.join(' ')).toMatch(/--sample 500/);
  });
});

it('CONFIG GET refused: subscribes anyway and says it could not check', async () => {
  const redis = await server(['--notify-keyspace-events', 'Egxen'], 'user default on nopass ~* &* +@all\nuser watcher on >pw ~* &* +@all -config\n');
  const watch = startWatch(['--redis', redis.url.replace('//', '//watcher:pw@'), '--interval', '500ms', '--duration', '2s', '--format', 'json']);
  expect(await watch.ready).toMatch(/could not check notify-keyspace-events/);
  const client = admin(redis.port);
  for (let i = 0; i < 7; i++) await client.set(`sess:${i}`, 'x');
  client.disconnect();
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).not.toContain('pw@');
  const lines = intervals(run.stdout);
  expect(lines[0].notice).toMatch(/could not check/);
  expect(total(lines, 'sess:*', 'created')).toBe(7);
});

describe('ACL users', () => {
  it('a user with exactly WATCH_ACL watches; with WATCH_ENABLE_ACL too it may enable notifications', async () => {
    const redis = await server(['--notify-keyspace-events', 'Ex'], `user default on nopass ~* &* +@all\nuser watcher on >pw resetchannels ${WATCH_ACL}\nuser enabler on >pw resetchannels ${WATCH_ACL} ${WATCH_ENABLE_ACL}\n`);
    const watcher = redis.url.replace('//', '//watcher:pw@');
    const plain = await runCliAsync(['watch', '--redis', watcher, '--interval', '300ms', '--duration', '700ms', '--format', 'json']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/watching keyspace notifications .*missing g \(del\), e \(evicted\), n \(new keys\)/);
    const refused = await runCliAsync(['watch', '--redis', watcher, '--enable-notifications', '--interval', '300ms', '--duration', '700ms']);
    expect(refused.status, refused.stderr).toBe(0);
    expect(refused.stderr).toMatch(/could not set notify-keyspace-events to "xEgen": CONFIG: NOPERM/);
    const enabler = startWatch(['--redis', redis.url.replace('//', '//enabler:pw@'), '--enable-notifications', '--interval', '300ms', '--duration', '1500ms', '--format', 'json']);
    await enabler.ready;
    const client = admin(redis.port);
    await client.set('sess:acl', 'x');
    client.disconnect();
    const run = await enabler.done;
    expect(run.status, run.stderr).toBe(0);
    expect(total(intervals(run.stdout), 'sess:*', 'created')).toBe(1);
    expect(run.stderr).toContain('put back to "xE"');
  });
});

describe('table output', () => {
  it('not at a terminal: plain tables one after the other, no ANSI codes', async () => {
    const redis = await server();
    const run = await runCliAsync(['watch', '--redis', redis.url, '--interval', '300ms', '--duration', '700ms', '--format', 'table']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout.match(/^NAMESPACE\s+FRAMEWORK\s+CREATED\/s/gm)).toHaveLength(3);
    expect(run.stdout).toContain('notifications off: sampling');
  });

  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasScript)('at a terminal: the table is redrawn in place', async () => {
    const redis = await server();
    const command = `stty cols 120 rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repoRoot, 'bin/session-audit.js'))} watch --redis ${redis.url} --interval 300ms --duration 700ms`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\x1b\[\d+F\x1b\[J/); // back up over the last table, clear
    expect(run.stdout).toContain('\x1b[?25h'); // the cursor is shown again
    expect(run.stdout).toContain('Ctrl-C to stop');
  });
});

it('an unreachable server: one line, exit 2, within seconds', async () => {
  const started = Date.now();
  const run = await runCliAsync(['watch', '--redis', 'redis://u:secret@127.0.0.1:1', '--duration', '5s']);
  expect(run.status).toBe(2);
  expect(run.stderr.trim().split('\n')).toEqual(['session-audit: redis://u@127.0.0.1:1: cannot connect: ECONNREFUSED']);
  expect(Date.now() - started).toBeLessThan(5000);
});

it('bad flags are usage errors', async () => {
  const run = await runCliAsync(['watch', '--redis', 'redis://127.0.0.1:1', '--interval', 'soon']);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/--interval: not a duration/);
});
