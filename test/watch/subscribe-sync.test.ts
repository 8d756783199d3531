// The barrier between watch's subscribers and the server: once sync() resolves true, every event
// the server published before it has been counted. watch relies on it to end an interval and to
// take a SCAN as the base of alive without counting events on the way twice.
import { afterAll, expect, it } from 'vitest';
import { connectRedis } from '../../src/stores/redis/connect.js';
import { subscribeAll } from '../../src/watch/subscribe.js';
import { admin } from '../support/redis-data.js';
import { startRedis } from '../support/redis-servers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('sync(): every event published before it has arrived', async () => {
  const redis = await startRedis({ args: ['--notify-keyspace-events', 'Egxen'] });
  cleanup.push(() => redis.stop());
  const store = await connectRedis({ url: redis.url, env: {} });
  let seen = 0;
  const subscriptions = await subscribeAll(store, () => ['__keyevent@0__:new'], () => seen++, () => {});
  cleanup.push(async () => {
    await subscriptions.close();
    await store.close();
  });
  const client = admin(redis.port);
  const pipeline = client.pipeline();
  for (let i = 0; i < 30_000; i++) pipeline.set(`sess:${i}`, 'x');
  await pipeline.exec(); // the writes are done; their events may still be on the way
  client.disconnect();
  expect(await subscriptions.sync(10_000)).toBe(true);
  expect(seen).toBe(30_000);
  expect(subscriptions.received.get('new')).toBe(30_000);
});
