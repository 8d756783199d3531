// Keys that go without a key event (FLUSHDB / FLUSHALL publish none per key): the alive count must
// not stay at the old number for the rest of the run while INFO says the database is empty.
import { afterAll, expect, it } from 'vitest';
import { admin } from '../support/redis-data.js';
import { cli, startRedis } from '../support/redis-servers.js';
import { intervals, lastRow, sleep, startWatch } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('FLUSHDB mid-run: alive is counted again from a SCAN, with a note saying why', async () => {
  const redis = await startRedis({ args: ['--notify-keyspace-events', 'Egxen'] });
  cleanup.push(() => redis.stop());
  const client = admin(redis.port);
  for (let i = 0; i < 20; i++) await client.set(`sess:f${i}`, 'x');
  const watch = startWatch(['--redis', redis.url, '--interval', '300ms', '--duration', '2s', '--format', 'json']);
  expect(await watch.ready).toMatch(/watching keyspace notifications/);
  await sleep(500);
  expect(cli(redis.port, ['FLUSHDB']).trim()).toBe('OK');
  await sleep(400);
  await client.set('sess:after', 'x'); // counted from here by its `new` event
  client.disconnect();
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  const lines = intervals(run.stdout);
  expect(lines.some((line) => line.notes.some((note) => /alive re-counted/.test(note)))).toBe(true);
  expect(lastRow(lines, 'sess:*')).toMatchObject({ alive: 1 });
  expect(lines[lines.length - 1].alive).toBe('counted');
});
