// `watch --enable-notifications`: the missing notify-keyspace-events flags are added for the run and
// the old value is put back on every way out: --duration, SIGINT, SIGTERM, an error (the subscriber
// connection killed). Never changed without the flag; a value someone else set meanwhile is kept.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { admin } from '../support/redis-data.js';
import { cli, startRedis, type RedisProcess } from '../support/redis-servers.js';
import { intervals, sleep, startWatch, total } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

const notifyConfig = (redis: RedisProcess) => cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events']).trim().split('\n')[1] ?? '';

describe('--enable-notifications', () => {
  let redis: RedisProcess;
  beforeEach(async () => {
    redis = await startRedis({ args: ['--notify-keyspace-events', 'Ex'] });
    cleanup.push(() => redis.stop());
  });

  it('adds the missing flags for the run and puts the old value back at the end of --duration', async () => {
    const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '500ms', '--duration', '2s', '--format', 'json']);
    expect(await watch.ready).toMatch(/watching keyspace notifications/);
    const during = notifyConfig(redis);
    for (const flag of ['E', 'x', 'g', 'e', 'n']) expect(during).toContain(flag);
    const client = admin(redis.port);
    for (let i = 0; i < 4; i++) await client.set(`sess:${i}`, 'x');
    await client.del('sess:0');
    client.disconnect();
    const run = await watch.done;
    expect(run.status, run.stderr).toBe(0);
    expect(notifyConfig(redis)).toBe('xE');
    expect(run.stderr).toContain(`${redis.url}: notify-keyspace-events "xE" -> "${during}" (put back on exit)`);
    expect(run.stderr).toContain(`${redis.url}: notify-keyspace-events put back to "xE"`);
    const lines = intervals(run.stdout);
    expect(lines[0]).toMatchObject({ mode: 'notifications', notice: null });
    expect(total(lines, 'sess:*', 'created')).toBe(4);
    expect(total(lines, 'sess:*', 'deleted')).toBe(1);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: unsubscribes, puts the old value back, exits 0 without a stack trace`, async () => {
      const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '300ms']);
      await watch.ready;
      expect(notifyConfig(redis)).not.toBe('xE');
      await sleep(400);
      watch.signal(signal);
      const run = await watch.done;
      expect(run.status, run.stderr).toBe(0);
      expect(notifyConfig(redis)).toBe('xE');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(intervals(run.stdout).length).toBeGreaterThanOrEqual(1);
      // The subscriber connection is gone too.
      await sleep(200);
      expect(cli(redis.port, ['CLIENT', 'LIST', 'TYPE', 'PUBSUB']).trim()).toBe('');
    });
  }

  it('an error (the subscriber connection killed): exit 2, one line, the old value put back', async () => {
    const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '300ms']);
    await watch.ready;
    expect(cli(redis.port, ['CLIENT', 'KILL', 'TYPE', 'PUBSUB']).trim()).toBe('1');
    const run = await watch.done;
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/connection lost/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(notifyConfig(redis)).toBe('xE');
    expect(run.stderr).toContain('put back to "xE"');
  });

  it('a value someone else set meanwhile is left as is', async () => {
    const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '300ms', '--duration', '1500ms']);
    await watch.ready;
    expect(cli(redis.port, ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']).trim()).toBe('OK');
    const run = await watch.done;
    expect(run.status, run.stderr).toBe(0);
    expect(notifyConfig(redis)).toBe(cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events']).trim().split('\n')[1]);
    expect(notifyConfig(redis)).not.toBe('xE');
    expect(run.stderr).toMatch(/changed by someone else meanwhile \(now "[^"]+"\): left as is/);
  });

  it('the server gone: exit 2, and says how to put the value back by hand', async () => {
    const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '300ms']);
    await watch.ready;
    redis.kill();
    const run = await watch.done;
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/connection lost/);
    expect(run.stderr).toContain('not put back to "xE"');
    expect(run.stderr).toContain('CONFIG SET notify-keyspace-events "xE"');
  });
});

it('without --enable-notifications the configuration is never changed', async () => {
  const redis = await startRedis();
  cleanup.push(() => redis.stop());
  const watch = startWatch(['--redis', redis.url, '--interval', '300ms', '--duration', '1s']);
  expect(await watch.ready).toMatch(/notifications off: sampling/);
  expect(notifyConfig(redis)).toBe('');
  const run = await watch.done;
  expect(run.status).toBe(0);
  expect(notifyConfig(redis)).toBe('');
  expect(run.stderr).not.toContain('put back');
});
