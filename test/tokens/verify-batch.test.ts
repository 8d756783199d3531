// `token verify --batch` as a library call: line reading, mixed lines, the denylist against a real
// redis-server started here (never the machine's own), and the summary.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { openDenylist, type Denylist } from '../../src/tokens/denylist.js';
import { denylistClaims, denylistVerdict } from '../../src/tokens/denylist-keys.js';
import { readLineChunks } from '../../src/tokens/line-chunks.js';
import { verifyBatch } from '../../src/tokens/verify-batch.js';
import { buildPolicy } from '../../src/tokens/verify.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { NOW, secretKey, signHs } from './verify-support.js';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-vbatch-'));
let redis: RedisProcess;

beforeAll(async () => {
  redis = await startRedis({ aclFile: 'user default on >admin-pw-1 ~* &* +@all\nuser reader on >reader-pw-2 ~* -@all +ping +exists +get\n' });
  const client = admin(redis.port, { password: 'admin-pw-1' });
  await client.set('revoked:jti:abc', '1');
  await client.set('custom:jti:def', '1');
  // Every token of "carol" issued before NOW - 100 is revoked.
  await client.set('revoked:sub:carol', String(NOW - 100));
  await client.quit();
}, 60_000);

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('readLineChunks', () => {
  it('splits on LF and CRLF, keeps a last line without newline, numbers lines across chunks', async () => {
    const stdin = Readable.from(['a\r\nb\n', 'c', 'd\ne']);
    const chunks = await collect(readLineChunks('-', stdin, 2));
    expect(chunks).toEqual([
      { firstLine: 1, lines: ['a', 'b'], lineCount: 2 },
      { firstLine: 3, lines: ['cd', 'e'], lineCount: 2 },
    ]);
  });

  it('an unreadable file or a huge line is an input error', async () => {
    await expect(collect(readLineChunks(path.join(dir, 'missing.txt')))).rejects.toThrow(InputError);
    const stdin = Readable.from(['x'.repeat(1024 * 1024 + 10)]);
    await expect(collect(readLineChunks('-', stdin))).rejects.toThrow('line longer than 1 MiB: not a token list');
  });
});

describe('verifyBatch', () => {
  async function run(lines: string[], denylist?: Denylist) {
    const file = path.join(dir, `batch-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    let out = '';
    const source = secretKey();
    const summary = await verifyBatch({ file, source, policy: buildPolicy(source, { now: NOW }), denylist, write: async (text) => void (out += text), threads: 0 });
    return { file, summary, results: out.trim().split('\n').map((line) => JSON.parse(line)) };
  }

  it('judges mixed lines in order: valid, expired, forged, pasted forms, no token', async () => {
    const valid = await signHs({ sub: 'a', exp: NOW + 60 });
    const expired = await signHs({ sub: 'b', exp: NOW - 60 });
    const forged = `${valid.slice(0, valid.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    const { file, summary, results } = await run([valid, expired, '', forged, `Authorization: Bearer ${valid}`, 'not a token', '# comment', `{"token":"${valid}"}`]);
    expect(results).toEqual([
      { source: `${file}:1`, valid: true, claims: { sub: 'a', exp: NOW + 60 } },
      { source: `${file}:2`, valid: false, reason: 'expired 2025-11-03T09:59:00Z, 1 minute ago' },
      { source: `${file}:4`, valid: false, reason: 'signature does not match the secret' },
      { source: `${file}:5`, valid: true, claims: { sub: 'a', exp: NOW + 60 } },
      { source: `${file}:6`, valid: false, reason: 'no JWT found on this line' },
      { source: `${file}:8`, valid: true, claims: { sub: 'a', exp: NOW + 60 } },
    ]);
    expect(summary).toEqual({ lines: 8, tokens: 5, valid: 3, invalid: 2, noToken: 1 });
  });

  it('with a denylist: revoked, not revoked, and no jti', async () => {
    const denylist = await openDenylist(`redis://reader:reader-pw-2@127.0.0.1:${redis.port}`);
    try {
      const { file, summary, results } = await run(
        [
          await signHs({ jti: 'abc' }),
          await signHs({ jti: 'xyz' }),
          await signHs({ sub: 'no-jti' }),
          await signHs({ jti: 42 }),
          await signHs({ jti: 'c1', sub: 'carol', iat: NOW - 101 }),
          await signHs({ jti: 'c2', sub: 'carol', iat: NOW - 100 }),
          await signHs({ jti: 'c3', sub: 'carol' }),
          await signHs({ jti: 'd1', sub: 'dave', iat: NOW - 5000 }),
        ],
        denylist,
      );
      expect(results).toEqual([
        { source: `${file}:1`, valid: false, reason: "revoked: jti 'abc' is on the denylist" },
        { source: `${file}:2`, valid: true, claims: { jti: 'xyz' } },
        { source: `${file}:3`, valid: false, reason: 'no jti: cannot be checked against the denylist' },
        { source: `${file}:4`, valid: false, reason: 'jti is 42, not a non-empty string: cannot be checked against the denylist' },
        { source: `${file}:5`, valid: false, reason: `revoked: tokens of sub 'carol' issued before ${iso(NOW - 100)} are revoked (this one: ${iso(NOW - 101)})` },
        { source: `${file}:6`, valid: true, claims: { jti: 'c2', sub: 'carol', iat: NOW - 100 } },
        { source: `${file}:7`, valid: false, reason: `no iat: tokens of sub 'carol' issued before ${iso(NOW - 100)} are revoked, and this one does not say when it was issued` },
        { source: `${file}:8`, valid: true, claims: { jti: 'd1', sub: 'dave', iat: NOW - 5000 } },
      ]);
      expect(summary).toEqual({ lines: 8, tokens: 8, valid: 3, invalid: 5, noToken: 0, revoked: 3 });
    } finally {
      await denylist.close();
    }
  });
});

describe('openDenylist', () => {
  it('checks with EXISTS and GET only (a user allowed nothing else can use it), with a custom prefix', async () => {
    const denylist = await openDenylist(`redis://reader:reader-pw-2@127.0.0.1:${redis.port}`, 'custom:');
    try {
      expect(denylist.source).toBe(`redis://reader@127.0.0.1:${redis.port}`);
      expect(await denylist.check([{ jti: 'def' }, { jti: 'abc' }, { jti: 'x', sub: 'carol', iat: 1 }])).toEqual([
        { reason: "revoked: jti 'def' is on the denylist", revoked: true },
        undefined,
        undefined, // carol's cutoff is under revoked:, not custom:
      ]);
    } finally {
      await denylist.close();
    }
  });

  it('bad URLs and unreachable servers: one line, no password', async () => {
    await expect(openDenylist('127.0.0.1:1')).rejects.toThrow(UsageError);
    await expect(openDenylist('127.0.0.1:1')).rejects.toThrow(/^--denylist 127\.0\.0\.1:1: missing scheme/);
    await expect(openDenylist('http://x')).rejects.toThrow(/^--denylist http:\/\/x: unsupported scheme/);
    await expect(openDenylist(`redis://reader:wrong-pw@127.0.0.1:${redis.port}`)).rejects.toThrow(`--denylist: cannot connect: authentication failed (wrong user or password)`);
    const error = await openDenylist(`redis://reader:wrong-pw@127.0.0.1:${redis.port}`).catch((e: unknown) => e as InputError);
    expect(String(error)).not.toContain('wrong-pw');
  });

  it('denylistClaims and denylistVerdict', () => {
    expect(denylistClaims({ jti: 'a', sub: 'u', iat: 5 })).toEqual({ jti: 'a', sub: 'u', iat: 5 });
    expect(denylistClaims({ jti: 'a', sub: 7, iat: '5' })).toEqual({ jti: 'a' });
    expect(denylistClaims({}).problem).toBe('no jti: cannot be checked against the denylist');
    expect(denylistClaims({ jti: '' }).problem).toBe('jti is "", not a non-empty string: cannot be checked against the denylist');
    // A cutoff the tool did not write fails closed.
    expect(denylistVerdict({ jti: 'a', sub: 'u', iat: 5 }, false, 'yes')).toEqual({ reason: "the denylist holds 'yes' for sub 'u', not a time: cannot be checked", revoked: false });
    expect(denylistVerdict({ jti: 'a', sub: 'u', iat: 5 }, false, '5')).toBeUndefined();
    expect(denylistVerdict({ jti: 'a', iat: 5 }, false, null)).toBeUndefined();
  });
});
