// --enable-notifications, and the watch's own (non-subscriber) connection is dropped mid-run
// (CLIENT KILL, a proxy's idle cut, a command timeout): the run ends with an error, and the old
// notify-keyspace-events value is still put back, over a new connection, not left for a person to fix.
import { afterAll, expect, it } from 'vitest';
import { runWatch } from '../../src/commands/watch.js';
import { cli, startRedis } from '../support/redis-servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('the store connection killed: the error is reported and the old value put back over a new connection', async () => {
  const redis = await startRedis({ args: ['--notify-keyspace-events', 'Ex'] });
  cleanup.push(() => redis.stop());
  const lines: string[] = [];
  const running = runWatch({
    connection: { url: redis.url, sentinels: [] },
    interval: 0.2,
    namespaces: [],
    sessionPatterns: [],
    enableNotifications: true,
    sample: 1000,
    signal: new AbortController().signal,
    env: {},
    warn: (line) => {
      lines.push(line);
      // Every normal client (the watch's reader/writer; not its subscriber) is dropped.
      if (/watching/.test(line)) setTimeout(() => cli(redis.port, ['CLIENT', 'KILL', 'TYPE', 'NORMAL']), 100);
    },
    onInterval: () => {},
  });
  await expect(running).rejects.toThrow();
  expect(cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events']).trim().split('\n')[1]).toBe('xE');
  expect(lines.join('\n')).toContain('notify-keyspace-events put back to "xE"');
});
