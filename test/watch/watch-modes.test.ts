// `watch` through the other connection modes scan and revoke have: Sentinel (the master it names)
// and TLS (rediss:// with --tls-ca): the subscriber connection uses the same address, credentials and TLS.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { admin } from '../support/redis-data.js';
import { startRedis, startSentinel, tlsSkipReason } from '../support/redis-servers.js';
import { intervals, startWatch, total } from './support.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

it('--sentinel / --sentinel-name: watches the master Sentinel names', async () => {
  const master = await startRedis({ args: ['--notify-keyspace-events', 'Egxen'] });
  cleanup.push(() => master.stop());
  const sentinel = await startSentinel(master.port, 'sessions');
  cleanup.push(() => sentinel.stop());
  const watch = startWatch(['--sentinel', `127.0.0.1:${sentinel.port}`, '--sentinel-name', 'sessions', '--interval', '300ms', '--duration', '1500ms', '--format', 'json']);
  expect(await watch.ready).toMatch(/sentinel:\/\/127\.0\.0\.1:\d+\/sessions: watching keyspace notifications on 1 master/);
  const client = admin(master.port);
  for (let i = 0; i < 3; i++) await client.set(`sess:${i}`, 'x');
  client.disconnect();
  const run = await watch.done;
  expect(run.status, run.stderr).toBe(0);
  expect(total(intervals(run.stdout), 'sess:*', 'created')).toBe(3);
});

describe.skipIf(tlsSkipReason !== undefined)(`rediss://${tlsSkipReason ? ` (skipped: ${tlsSkipReason})` : ''}`, () => {
  it('subscribes over TLS, verified with --tls-ca; the password never shown', async () => {
    const server = await startRedis({ tls: true, args: ['--notify-keyspace-events', 'Egxen', '--requirepass', 'tls-secret'] });
    cleanup.push(() => server.stop());
    const url = server.url.replace('//', '//:tls-secret@');
    const watch = startWatch(['--redis', url, '--tls-ca', server.tls!.ca, '--interval', '300ms', '--duration', '1500ms', '--format', 'json']);
    expect(await watch.ready).toMatch(/watching keyspace notifications/);
    const client = admin(server.port, { tls: { ca: readFileSync(server.tls!.ca) }, password: 'tls-secret' });
    for (let i = 0; i < 4; i++) await client.set(`sess:${i}`, 'x');
    await client.del('sess:0');
    client.disconnect();
    const run = await watch.done;
    expect(run.status, run.stderr).toBe(0);
    const lines = intervals(run.stdout);
    expect(total(lines, 'sess:*', 'created')).toBe(4);
    expect(total(lines, 'sess:*', 'deleted')).toBe(1);
    expect(run.stdout + run.stderr).not.toContain('tls-secret');
  });
});
