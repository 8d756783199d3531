// A master demoted to a replica mid-run (a failover, SENTINEL or CLUSTER FAILOVER) stays connected,
// but its keys' events now come from the new master: watch must stop with one clear line (exit 2),
// not keep counting from a node that no longer sees the writes.
import { afterAll, expect, it } from 'vitest';
import { cli, startRedis } from '../support/redis-servers.js';
import { sleep, startWatch } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('the watched master becomes a replica: exit 2, one line naming the failover', async () => {
  const master = await startRedis({ args: ['--notify-keyspace-events', 'Egxen'] });
  const other = await startRedis();
  cleanup.push(() => master.stop(), () => other.stop());
  const watch = startWatch(['--redis', master.url, '--interval', '300ms', '--duration', '10s', '--format', 'json']);
  expect(await watch.ready).toMatch(/watching keyspace notifications/);
  await sleep(400);
  expect(cli(master.port, ['REPLICAOF', '127.0.0.1', String(other.port)]).trim()).toMatch(/^OK/);
  const run = await watch.done;
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/is no longer a master \(failover\?\)/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr.trim().split('\n').filter((line) => !/watching/.test(line))).toHaveLength(1);
});
