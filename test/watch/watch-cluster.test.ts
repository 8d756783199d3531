// `watch` on a real 3-master Redis Cluster: one subscriber per master (key events are published by
// the master that owns the key only), --enable-notifications set and put back on every master, and
// the fallback sampling every master.
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, startRedisCluster, type RedisCluster } from '../support/redis-servers.js';
import { intervals, lastRow, sleep, startWatch, total } from './support.js';

let cluster: RedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { redisOptions: { maxRetriesPerRequest: 1 } });
  for (let i = 0; i < 30; i++) await client.set(`sess:old${i}`, 'x');
});

afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

const notifyConfig = (port: number) => cli(port, ['CONFIG', 'GET', 'notify-keyspace-events']).trim().split('\n')[1] ?? '';

it('--enable-notifications: events from every master, old value put back on each', async () => {
  const watch = startWatch(['--redis', cluster.url, '--enable-notifications', '--interval', '500ms', '--duration', '3s', '--format', 'json']);
  expect(await watch.ready).toMatch(/watching keyspace notifications on 3 masters/);
  for (const node of cluster.nodes) expect(notifyConfig(node.port)).toContain('n');
  for (let i = 0; i < 60; i++) await client.set(`sess:new${i}`, 'x', 'EX', 3600);
  for (let i = 0; i < 12; i++) await client.set(`sess:short${i}`, 'x', 'PX', 150);
  for (let i = 0; i < 9; i++) await client.del(`sess:old${i}`);
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  for (const node of cluster.nodes) expect(notifyConfig(node.port)).toBe('');
  expect(run.stderr.match(/put back to ""/g)).toHaveLength(3);
  const lines = intervals(run.stdout);
  expect(total(lines, 'sess:*', 'created')).toBe(72);
  expect(total(lines, 'sess:*', 'expired')).toBe(12);
  expect(total(lines, 'sess:*', 'deleted')).toBe(9);
  expect(lastRow(lines, 'sess:*')).toMatchObject({ alive: 30 + 60 - 9, aliveMargin: 0 });
  expect(lines[0]).toMatchObject({ mode: 'notifications', alive: 'counted' });
  // The keys really were spread: every master got some.
  for (const node of cluster.nodes) expect(Number(cli(node.port, ['DBSIZE']).trim())).toBeGreaterThan(0);
});

it('notifications off: samples every master', async () => {
  const watch = startWatch(['--redis', cluster.url, '--cluster', '--interval', '400ms', '--duration', '2500ms', '--format', 'json']);
  expect(await watch.ready).toMatch(/notifications off: sampling/);
  for (let i = 0; i < 20; i++) await client.set(`sess:sampled${i}`, 'x');
  await sleep(900);
  for (let i = 0; i < 5; i++) await client.del(`sess:sampled${i}`);
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  const lines = intervals(run.stdout);
  expect(total(lines, 'sess:*', 'created')).toBe(20);
  expect(total(lines, 'sess:*', 'deleted')).toBe(5);
  expect(lines[lines.length - 1].server.keys).toBe(Number(cli(cluster.nodes[0].port, ['DBSIZE']).trim()) + Number(cli(cluster.nodes[1].port, ['DBSIZE']).trim()) + Number(cli(cluster.nodes[2].port, ['DBSIZE']).trim()));
});
