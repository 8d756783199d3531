// One stop delivered twice (GNU `timeout` signals the child and then its process group; supervisors
// signal every process of a group) is still a clean stop: the old notify-keyspace-events value is
// put back. Only a second Ctrl-C well after the first quits at once.
import { afterAll, expect, it } from 'vitest';
import { cli, startRedis } from '../support/redis-servers.js';
import { sleep, startWatch } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('SIGINT twice in a row: exit 0, the old value put back', async () => {
  const redis = await startRedis({ args: ['--notify-keyspace-events', 'Ex'] });
  cleanup.push(() => redis.stop());
  const watch = startWatch(['--redis', redis.url, '--enable-notifications', '--interval', '300ms']);
  expect(await watch.ready).toMatch(/watching keyspace notifications/);
  await sleep(400);
  watch.signal('SIGINT');
  await sleep(5); // two deliveries (back to back, the kernel would merge them into one)
  watch.signal('SIGINT');
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).not.toMatch(/quitting at once/);
  expect(cli(redis.port, ['CONFIG', 'GET', 'notify-keyspace-events']).trim().split('\n')[1]).toBe('xE');
});
