// The small parts of revoke / restore: Redis glob semantics (checked against a real server), the
// token bucket, the confirmation prompt, plan lines, backup lines, run state, the printed command
// line, TTLs on restore, cluster key slots, and the command lists of readers and writers.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ttlFor } from '../../src/commands/restore.js';
import { BackupWriter, keyLine, readEntries, readHeader, saddLine } from '../../src/revoke/backup.js';
import { commandLine, redactArgs } from '../../src/revoke/command-line.js';
import { confirmCount, matchesCount } from '../../src/revoke/confirm.js';
import { globToRegExp } from '../../src/stores/redis-glob.js';
import { decodeLine, encodeOps, type Op } from '../../src/revoke/ops.js';
import { chunkFor, TokenBucket, type Clock } from '../../src/revoke/rate.js';
import { emptyCheckpoint, lastUnfinishedRun, PlanWriter, readPlanLines, RunFolder, RUN_VERSION, stateDir, type RunMeta } from '../../src/revoke/run-state.js';
import { Selector } from '../../src/revoke/select.js';
import { openNode } from '../../src/stores/redis/open-node.js';
import { DRY_RUN_WRITES, RESTORE_WRITES, REVOKE_WRITES, UNLINK_PAGE_LUA } from '../../src/stores/redis/write-commands.js';
import { keySlot } from '../../src/stores/redis/write-routing.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { filterOf } from './support.js';

let server: RedisProcess;
let client: Redis;
const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-units-'));

beforeAll(async () => {
  server = await startRedis();
  client = admin(server.port);
});
afterAll(async () => {
  client?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis glob semantics', () => {
  const KEYS = ['sess:abc', 'sess:', 'sess:x]y', 'sessx', 'a*b', 'a\\b', 'abc', 'aXc', 'a-c', 'a]c', 'spring:session:sessions:1', 'h[ello', 'hello', 'hallo', 'hbllo', 'line\nbreak', 'ünïcode:1'];
  const PATTERNS = ['sess:*', 'sess:?*', 'a[bX]c', 'a[^b]c', 'a[a-c]c', 'a[c-a]c', 'a\\*b', 'a\\\\b', 'h[ae]llo', 'h[^e]llo', 'h\\[ello', 'a[-]c', '*', '?????', 'line?break', 'ünïcode:*', 'a[]c', 'spring:session:*:*'];

  it('matches exactly what the server\'s KEYS/SCAN MATCH does', async () => {
    await client.flushall();
    for (const key of KEYS) await client.set(key, '1');
    for (const pattern of PATTERNS) {
      const server = new Set(await client.keys(pattern));
      const re = globToRegExp(pattern);
      expect(new Set(KEYS.filter((key) => re.test(key))), pattern).toEqual(server);
    }
  });

  it('an unclosed [ is a usage error', () => {
    expect(() => globToRegExp('sess:[abc')).toThrow(/unclosed \[/);
  });

  it('the walk uses SCAN MATCH only when one glob covers the whole selection', () => {
    expect(new Selector(filterOf({ frameworks: ['connect-redis'] })).match).toBe('sess:*');
    expect(new Selector(filterOf({ frameworks: ['spring-session'] })).match).toBe('spring:session:*');
    expect(new Selector(filterOf({ frameworks: ['laravel'] })).match).toBeUndefined();
    expect(new Selector(filterOf({ namespaces: ['sess:ab*'], frameworks: ['connect-redis'] })).match).toBe('sess:ab*');
    expect(new Selector(filterOf({ namespaces: ['a*', 'b*'] })).match).toBeUndefined();
    expect(new Selector(filterOf({ allSessions: true })).match).toBeUndefined();
    expect(new Selector(filterOf({ frameworks: ['connect-redis'], sessionPatterns: ['x:*'] })).match).toBeUndefined();
  });
});

describe('token bucket', () => {
  /** A clock that only moves when someone sleeps. */
  function fakeClock(): Clock & { t: number } {
    const clock = {
      t: 0,
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.t += ms;
      },
    };
    return clock;
  }

  it('holds the rate over a long run, whatever the send size', async () => {
    for (const [rate, sends] of [[100, [1, 5, 10]], [5_000, [500, 500, 73]], [3, [1, 1, 1]]] as const) {
      const clock = fakeClock();
      const bucket = new TokenBucket(rate, chunkFor(rate), clock);
      let keys = 0;
      for (let i = 0; keys < rate * 20; i++) {
        const n = sends[i % sends.length];
        await bucket.take(n);
        keys += n;
      }
      const seconds = clock.t / 1000;
      expect(keys / seconds).toBeGreaterThan(rate * 0.95);
      expect(keys / seconds).toBeLessThanOrEqual(rate * 1.01);
    }
  });

  it('a pause does not turn into a burst above the rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(100, 10, clock);
    await bucket.take(10);
    clock.t += 60_000; // idle for a minute
    const start = clock.t;
    await bucket.take(100);
    expect(clock.t - start).toBeGreaterThanOrEqual(890);
  });

  it('sends are about a tenth of a second of the rate, at most one UNLINK of 500', () => {
    expect(chunkFor(undefined)).toBe(500);
    expect(chunkFor(50)).toBe(5);
    expect(chunkFor(5)).toBe(1);
    expect(chunkFor(1_000_000)).toBe(500);
  });
});

describe('confirmation', () => {
  it('accepts the count typed back (with or without separators), nothing else', async () => {
    expect(matchesCount('12345', 12345)).toBe(true);
    expect(matchesCount(' 12,345 \n', 12345)).toBe(true);
    expect(matchesCount('12344', 12345)).toBe(false);
    expect(matchesCount('yes', 12345)).toBe(false);
    expect(matchesCount('', 12345)).toBe(false);
  });

  it('reads one line from the input and asks on the output', async () => {
    for (const [typed, expected] of [['2000\n', true], ['y\n', false], ['', false]] as const) {
      const input = new PassThrough();
      const output = new PassThrough();
      let asked = '';
      output.on('data', (chunk: Buffer) => (asked += chunk.toString()));
      const answer = confirmCount(2000, 'About to revoke 2,000 sessions on redis://h:1.', input, output);
      input.end(typed);
      expect(await answer).toBe(expected);
      expect(asked).toContain('Type the number of sessions (2000)');
    }
  });
});

describe('plan lines', () => {
  it('round-trip every kind of operation and key, in order, grouped', () => {
    const weird = ['sess:plain', 'sess:"quoted"', 'sess:back\\slash', 'sess:new\nline', 'sess:ünï', 'sess:🙂', 'sess:\u2028', 'sess:\u0000nul'];
    const ops: Op[] = [
      ...weird.map((key): Op => ({ t: 's', node: null, pattern: 'sess:*', framework: 'connect-redis', key })),
      { t: 's', node: '10.0.0.1:7000', pattern: 'sess:*', framework: 'connect-redis', key: 'sess:x' },
      { t: 'r', node: null, key: 'spring:session:sessions:expires:1' },
      { t: 'i', node: '10.0.0.2:7000', key: 'spring:session:index:x:bob', member: '1' },
      { t: 'i', node: '10.0.0.2:7000', key: 'spring:session:index:x:bob', member: '2' },
      { t: 's', node: null, pattern: 'custom:*', framework: 'custom', key: 'custom:1' },
    ];
    const text = encodeOps(ops);
    const lines = text.trim().split('\n');
    expect(lines.length).toBe(5);
    expect(lines.flatMap(decodeLine)).toEqual(ops);
  });

  it('a line cut short by a kill is dropped, and cut off the file so the next run appends cleanly', () => {
    const file = path.join(dir, 'plan.jsonl');
    writeFileSync(file, `${encodeOps([{ t: 'r', node: null, key: 'a' }])}["r",null,["b`);
    expect(readPlanLines(file, false).flatMap(decodeLine)).toEqual([{ t: 'r', node: null, key: 'a' }]);
    expect(readFileSync(file, 'utf8')).toContain('["b');
    readPlanLines(file);
    const writer = new PlanWriter(file);
    writer.add(encodeOps([{ t: 'r', node: null, key: 'c' }]));
    writer.close();
    expect(readPlanLines(file).flatMap(decodeLine).map((op) => op.key)).toEqual(['a', 'c']);
  });
});

describe('backup file', () => {
  it('is created 0600, never overwritten, and read back (last line of a key wins; a cut last line is skipped)', async () => {
    const file = path.join(dir, 'backup.jsonl');
    const writer = BackupWriter.create(file, { source: 'redis://h:1', mode: 'standalone', runId: 'r1', createdAt: 'now' });
    writer.write(keyLine('sess:"a"\n', 1000, Buffer.from([0, 1, 2]), 5, undefined));
    writer.write(saddLine('spring:session:index:x:bob', 'id1', -1, 6, '10.0.0.1:7000'));
    writer.sync();
    writer.close();
    appendFileSync(file, '{"key":"sess:b","pttl":1');
    expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
    expect(() => BackupWriter.create(file, { source: 'x', mode: 'standalone', runId: 'r2', createdAt: 'now' })).toThrow(/never overwritten/);
    expect(readHeader(file)).toMatchObject({ sessionAudit: 'backup', version: 1, runId: 'r1' });
    const entries = [];
    for await (const entry of readEntries(file)) entries.push(entry);
    expect(entries).toEqual([
      { kind: 'key', key: 'sess:"a"\n', pttl: 1000, dump: Buffer.from([0, 1, 2]).toString('base64'), at: 5, node: undefined, line: 2 },
      { kind: 'sadd', key: 'spring:session:index:x:bob', member: 'id1', pttl: -1, at: 6, node: '10.0.0.1:7000', line: 3 },
    ]);
    expect(() => BackupWriter.reopen(file, 'other-run')).toThrow(/belongs to run r1/);
  });

  it('a file that is not a backup is refused with one line', () => {
    const file = path.join(dir, 'not-backup.jsonl');
    writeFileSync(file, '{"hello":1}\n');
    expect(() => readHeader(file)).toThrow(/not a session-audit backup/);
  });
});

describe('run state', () => {
  const env = { XDG_STATE_HOME: path.join(dir, 'state') } as NodeJS.ProcessEnv;
  const meta = (runId: string, status: RunMeta['status']): RunMeta => ({
    version: RUN_VERSION, runId, createdAt: '', source: 'redis://h:1', mode: 'standalone', connection: { sentinels: [] }, filter: {}, batchSize: 10, status, command: '',
  });

  it('lives under $XDG_STATE_HOME/session-audit (else ~/.local/state)', () => {
    expect(stateDir(env)).toBe(path.join(dir, 'state', 'session-audit'));
    expect(stateDir({ HOME: '/home/x' } as NodeJS.ProcessEnv)).toMatch(/\.local\/state\/session-audit$/);
  });

  it('the last unfinished run is the newest one that is not done or aborted', () => {
    new RunFolder('20250101-000000-aaaa', env).create(meta('20250101-000000-aaaa', 'interrupted'));
    new RunFolder('20250102-000000-bbbb', env).create(meta('20250102-000000-bbbb', 'done'));
    new RunFolder('20250103-000000-cccc', env).create(meta('20250103-000000-cccc', 'aborted'));
    for (const id of ['20250101-000000-aaaa', '20250102-000000-bbbb', '20250103-000000-cccc']) new RunFolder(id, env).unlock();
    expect(lastUnfinishedRun(env)).toBe('20250101-000000-aaaa');
  });

  it('one process per run: a live holder is an error, a dead one (SIGKILL) is taken over', () => {
    const folder = new RunFolder('20250104-000000-dddd', env);
    folder.create(meta('20250104-000000-dddd', 'running'));
    writeFileSync(folder.lockFile, String(process.ppid)); // alive
    expect(() => new RunFolder('20250104-000000-dddd', env).lock()).toThrow(/in progress in process/);
    writeFileSync(folder.lockFile, '999999999'); // no such process
    new RunFolder('20250104-000000-dddd', env).lock();
    expect(readFileSync(folder.lockFile, 'utf8')).toBe(String(process.pid));
    expect(folder.readCheckpoint()).toMatchObject({ ...emptyCheckpoint(), updatedAt: expect.any(String) });
    expect(() => new RunFolder('../etc', env)).toThrow(/not a run id/);
    expect(existsSync(folder.metaFile)).toBe(true);
  });
});

describe('the printed command line', () => {
  it('removes passwords, adds --yes, quotes for the shell', () => {
    const { text, redacted } = commandLine('revoke', ['--redis', 'redis://admin:s3cr3t@10.0.0.5:6379/2', '--user', "o'brien", '--namespace', 'sess:*', '--yes'], ['--yes'], ['--yes']);
    expect(text).toBe(`session-audit revoke --redis redis://admin@10.0.0.5:6379/2 --user 'o'\\''brien' --namespace 'sess:*' --yes`);
    expect(redacted).toBe(true);
    expect(redactArgs(['--redis=redis://:pw@h', '--sentinel', 'u:pw@s:26379']).args).toEqual(['--redis=redis://h', '--sentinel', 's:26379']);
  });
});

describe('restore TTL', () => {
  it('recorded: the TTL the key had left; deadline: its expiry moment; both skip what would have expired', () => {
    expect(ttlFor(-1, 0, 1e12, 'recorded')).toBe(0);
    expect(ttlFor(60_000, 1_000_000, 1_030_000, 'recorded')).toBe(60_000);
    expect(ttlFor(60_000, 1_000_000, 1_030_000, 'deadline')).toBe(30_000);
    expect(ttlFor(60_000, 1_000_000, 1_060_000, 'recorded')).toBeUndefined();
    expect(ttlFor(0, 1_000_000, 999_999, 'deadline')).toBe(1); // a TTL stays a TTL, never 0 (= none)
  });
});

describe('cluster key slots', () => {
  it('CRC16 of the key or of its hash tag', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty tag: the whole key
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
  });
});

describe('command lists', () => {
  it('scan\'s reader can only read; each writer only its own writes', async () => {
    const address = { host: '127.0.0.1', port: server.port };
    const reader = await openNode(address, server.url);
    const dry = await openNode(address, server.url, {}, { writes: DRY_RUN_WRITES });
    const revoker = await openNode(address, server.url, {}, { writes: REVOKE_WRITES });
    const restorer = await openNode(address, server.url, {}, { writes: RESTORE_WRITES });
    try {
      await client.set('victim', '1');
      expect(() => reader.call('UNLINK', 'victim')).toThrow(/refusing to send UNLINK/);
      await expect(reader.pipeline([['UNLINK', 'victim']])).rejects.toThrow(/refusing to send UNLINK/);
      expect('write' in reader).toBe(false);
      expect(() => dry.write('UNLINK', 'victim')).toThrow(/refusing to send UNLINK/);
      expect(() => dry.write('CLIENT', 'KILL', 'ID', '1')).toThrow(/refusing to send CLIENT KILL/);
      await expect(dry.write('CLIENT', 'NO-TOUCH', 'ON')).rejects.toThrow(); // Redis < 7.2: an error reply, but it was allowed out
      expect(() => revoker.write('RESTORE', 'victim', 0, Buffer.alloc(0))).toThrow(/refusing to send RESTORE/);
      expect(() => revoker.write('FLUSHALL')).toThrow(/refusing to send FLUSHALL/);
      // EVAL only of the allow-listed UNLINK page script, word for word.
      expect(() => revoker.write('EVAL', "return redis.call('FLUSHALL')", 0)).toThrow(/refusing to send EVAL/);
      expect(String(await revoker.write('EVAL', UNLINK_PAGE_LUA, 0, 'no-such-key'))).toBe('0');
      expect(() => revoker.call('UNLINK', 'victim')).toThrow(/refusing/); // call() stays read-only
      expect(() => restorer.write('UNLINK', 'victim')).toThrow(/refusing to send UNLINK/);
      expect(await client.exists('victim')).toBe(1);
      expect(await revoker.write('UNLINK', 'victim')).toBe(1);
    } finally {
      await Promise.all([reader, dry, revoker, restorer].map((node) => node.close()));
    }
  });
});
