// `session-audit token revoke` through the built CLI against real redis-servers started here (never
// the machine's own): a standalone server with ACL users holding exactly the documented rules, and a
// 3-master cluster. The dry run changes nothing; --yes writes one entry with the token's remaining life,
// which expires with the token; an entry is only ever raised; `token verify --denylist` then refuses
// the token (one token and --batch in worker threads), including by a subject's cutoff.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DENYLIST_READ_ACL, TOKEN_REVOKE_ACL } from '../../src/stores/redis/write-commands.js';
import { runCliAsync } from '../support/cli.js';
import { admin } from '../support/redis-data.js';
import { startRedis, startRedisCluster, type RedisCluster, type RedisProcess } from '../support/redis-servers.js';
import { SECRET, signHs } from '../tokens/verify-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-token-revoke-'));
const env = { XDG_STATE_HOME: dir, REDISCLI_AUTH: '' };
let redis: RedisProcess;
let cluster: RedisCluster;

beforeAll(async () => {
  [redis, cluster] = await Promise.all([
    startRedis({
      aclFile:
        'user default on >admin-pw-7 ~* &* +@all\n' +
        `user revoker on >revoker-pw-3 ~revoked:* resetchannels -@all ${TOKEN_REVOKE_ACL}\n` +
        `user checker on >checker-pw-4 ~revoked:* resetchannels -@all ${DENYLIST_READ_ACL}\n` +
        'user viewer on >viewer-pw-5 ~revoked:* resetchannels -@all +ping +get +pttl\n',
    }),
    startRedisCluster(3),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all([redis?.stop(), cluster?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);
const revokerUrl = () => `redis://revoker:revoker-pw-3@127.0.0.1:${redis.port}`;
const checkerUrl = () => `redis://checker:checker-pw-4@127.0.0.1:${redis.port}`;
const revoke = (args: string[]) => runCliAsync(['token', 'revoke', ...args], { env });
const verify = (args: string[]) => runCliAsync(['token', 'verify', ...args, '--secret', SECRET]);
const json = (stdout: string) => JSON.parse(stdout).revoke;

async function entry(key: string): Promise<{ value: string | null; pttl: number }> {
  const client = admin(redis.port, { password: 'admin-pw-7' });
  try {
    const [value, pttl] = await Promise.all([client.get(key), client.pttl(key)]);
    return { value, pttl };
  } finally {
    client.disconnect();
  }
}

describe('token revoke TOKEN', () => {
  it('dry run: read-only, changes nothing, shows the command without the token', async () => {
    const token = await signHs({ jti: 'dry-1', sub: 'alice', exp: now() + 600 });
    // A user that may only read can run the dry run: it sends no write.
    const run = await revoke([token, '--redis', `redis://viewer:viewer-pw-5@127.0.0.1:${redis.port}`]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("dry run: nothing written. On redis://viewer@127.0.0.1:");
    expect(run.stdout).toContain('revoked:jti:dry-1 = ');
    expect(run.stdout).toContain('now: not on the denylist');
    expect(run.stdout).toMatch(/session-audit token revoke --jti dry-1 --ttl (599|600)s --redis redis:\/\/viewer@127\.0\.0\.1:\d+ --yes\n/);
    expect(run.stdout + run.stderr).not.toContain(token.split('.')[2]);
    expect(run.stdout + run.stderr).not.toContain('viewer-pw-5');
    expect(await entry('revoked:jti:dry-1')).toEqual({ value: null, pttl: -2 });
  });

  it('--yes: the entry lives as long as the token, the audit log has one line, verify refuses the token', async () => {
    const token = await signHs({ jti: 'yes-1', sub: 'bob', iat: now(), exp: now() + 600 });
    const before = await verify([token, '--denylist', checkerUrl()]);
    expect(before.status).toBe(0);
    const auditLog = path.join(dir, 'audit.log');
    const run = await revoke([token, '--redis', revokerUrl(), '--yes', '--audit-log', auditLog, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = json(run.stdout);
    expect(summary).toMatchObject({ dryRun: false, kind: 'jti', id: 'yes-1', key: 'revoked:jti:yes-1', changed: true, source: `redis://revoker@127.0.0.1:${redis.port}` });
    const { value, pttl } = await entry('revoked:jti:yes-1');
    expect(Math.abs(Number(value) - now())).toBeLessThanOrEqual(2);
    expect(pttl).toBeGreaterThan(590_000);
    expect(pttl).toBeLessThanOrEqual(600_000);
    const lines = readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'token-revoke', kind: 'jti', id: 'yes-1', changed: true, who: { acl: 'revoker' } });
    expect(JSON.stringify(lines)).not.toContain(token);
    const after = await verify([token, '--denylist', checkerUrl()]);
    expect(after.status).toBe(1);
    expect(after.stderr).toBe("session-audit: invalid token: revoked: jti 'yes-1' is on the denylist\n");
  });

  it('the entry expires with the token', async () => {
    const token = await signHs({ jti: 'short-1', exp: now() + 2 });
    const run = await revoke([token, '--redis', revokerUrl(), '--yes', '--no-audit-log']);
    expect(run.status).toBe(0);
    const { pttl } = await entry('revoked:jti:short-1');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(2_000);
    await new Promise((resolve) => setTimeout(resolve, pttl + 300));
    expect(await entry('revoked:jti:short-1')).toEqual({ value: null, pttl: -2 });
  });

  it('an expired token: nothing to write, no connection needed', async () => {
    const token = await signHs({ jti: 'old-1', exp: now() - 10 });
    const run = await revoke([token, '--redis', 'redis://127.0.0.1:1', '--yes']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("nothing to do: token jti 'old-1'");
    expect(run.stdout).toContain('it is refused already, nothing to write');
  });

  it('tokens that cannot be revoked alone, and bad usage: one line, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [[await signHs({ sub: 'carol', exp: now() + 60 }), '--redis', revokerUrl()], 'session-audit: argument: the token has no jti, so it cannot be revoked alone; revoke every token of its subject with --user "carol" --before now\n'],
      [['--jti', 'x', '--redis', revokerUrl()], 'session-audit: --jti ID needs --ttl DURATION (how long the token may still be used, e.g. its lifetime: 1h; or "never") so the entry cleans itself; or give the token itself\n'],
      [['--user', 'carol', '--redis', revokerUrl()], 'session-audit: --user SUB needs --before TIME (usually "now"): tokens of SUB issued before it are revoked\n'],
      [['--user', 'carol', '--before', 'yesterday', '--redis', revokerUrl()], 'session-audit: --before yesterday: not a time (use an ISO date like 2025-11-03T10:00:00Z, epoch seconds, or now)\n'],
      [[await signHs({ jti: 'a', exp: now() + 60 }), '--ttl', '1h', '--redis', revokerUrl()], expect.stringMatching(/^session-audit: --ttl: the token's exp \(.*\) sets how long its entry lives\n$/) as unknown as string],
      [['--jti', 'x', '--ttl', 'forever', '--redis', revokerUrl()], 'session-audit: --ttl forever: not a duration (use e.g. 90s, 15m, 1h, 2d, or never for no TTL)\n'],
      [['--jti', 'x', '--ttl', '1h'], 'session-audit: --redis URL (or --sentinel HOST:PORT --sentinel-name NAME) is required\n'],
      [[], 'session-audit: give a TOKEN (or - for stdin), --jti ID, or --user SUB --before TIME\n'],
      [['--jti', 'x', '--ttl', '1h', '--redis', 'redis://u:pw-never-shown@127.0.0.1:1', '--yes'], 'session-audit: redis://u@127.0.0.1:1: cannot connect: ECONNREFUSED\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = await revoke(args);
      expect(run.stderr, args.join(' ')).toEqual(stderr);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
    }
  });

  it('--ttl never: an entry without a TTL, said so in the command shown', async () => {
    const dry = await revoke(['--jti', 'nt-1', '--ttl', 'never', '--redis', revokerUrl()]);
    expect(dry.stdout).toMatch(/session-audit token revoke --jti nt-1 --ttl never --redis redis:\/\/revoker@127\.0\.0\.1:\d+ --yes\n/);
    const run = await revoke(['--jti', 'nt-1', '--ttl', 'never', '--redis', revokerUrl(), '--yes', '--no-audit-log']);
    expect(run.status).toBe(0);
    expect((await entry('revoked:jti:nt-1')).pttl).toBe(-1);
  });

  it('a user without the token revoke rules: refused in one line, nothing written', async () => {
    const run = await revoke(['--jti', 'nope', '--ttl', '1h', '--redis', `redis://viewer:viewer-pw-5@127.0.0.1:${redis.port}`, '--yes', '--no-audit-log']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^session-audit: redis:\/\/viewer@127\.0\.0\.1:\d+: refused: NOPERM .*\(a token revoke user needs \+eval \+get \+pttl \+set on the denylist keys; see the README\)\n$/);
    expect(await entry('revoked:jti:nope')).toEqual({ value: null, pttl: -2 });
  });
});

describe('token revoke --user SUB --before TIME', () => {
  it('tokens of the subject issued before the cutoff are refused, later ones pass; a later cutoff is never lowered', async () => {
    const cutoff = now() + 1; // rounded up: a token issued in this second is revoked too
    const old = await signHs({ jti: 'd-old', sub: 'dave', iat: now() - 60, exp: now() + 600 });
    const sameSecond = await signHs({ jti: 'd-same', sub: 'dave', iat: now(), exp: now() + 600 });
    const other = await signHs({ jti: 'e-1', sub: 'erin', iat: now() - 60, exp: now() + 600 });
    const run = await revoke(['--user', 'dave', '--before', 'now', '--ttl', '1h', '--redis', revokerUrl(), '--yes', '--no-audit-log']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("revoked every token of sub 'dave' issued before");
    const written = await entry('revoked:sub:dave');
    expect(Number(written.value)).toBeGreaterThanOrEqual(cutoff - 1);
    expect(written.pttl).toBeGreaterThan(3_590_000);

    const refused = await verify([old, '--denylist', checkerUrl()]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^session-audit: invalid token: revoked: tokens of sub 'dave' issued before \S+ are revoked \(this one: \S+\)\n$/);
    expect((await verify([sameSecond, '--denylist', checkerUrl()])).status).toBe(1);
    expect((await verify([other, '--denylist', checkerUrl()])).status).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const later = await signHs({ jti: 'd-new', sub: 'dave', iat: now(), exp: now() + 600 });
    const fine = await verify([later, '--denylist', checkerUrl()]);
    expect(fine.stderr).toBe('');
    expect(fine.status).toBe(0);
    expect(fine.stdout).toContain("nor issued before a cutoff for sub 'dave'");

    // An earlier cutoff with a shorter TTL changes nothing.
    const lower = await revoke(['--user', 'dave', '--before', '2020-01-01', '--ttl', '1m', '--redis', revokerUrl(), '--yes', '--no-audit-log', '--format', 'json']);
    expect(json(lower.stdout)).toMatchObject({ changed: false, after: { value: written.value } });
    expect((await entry('revoked:sub:dave')).pttl).toBeGreaterThan(3_500_000);
    // A later one raises the value and keeps the longer TTL.
    const raise = await revoke(['--user', 'dave', '--before', 'now', '--ttl', '1m', '--redis', revokerUrl(), '--yes', '--no-audit-log', '--format', 'json']);
    expect(json(raise.stdout)).toMatchObject({ changed: true });
    const raised = await entry('revoked:sub:dave');
    expect(Number(raised.value)).toBeGreaterThan(Number(written.value));
    expect(raised.pttl).toBeGreaterThan(3_500_000);
  });

  it('verify --batch (worker threads) honours jti entries and cutoffs', async () => {
    const client = admin(redis.port, { password: 'admin-pw-7' });
    await client.set('revoked:sub:frank', String(now() - 100));
    await client.set('revoked:jti:batch-7', '1', 'EX', 600);
    client.disconnect();
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const sub = i % 3 === 0 ? 'frank' : 'gina';
      const iat = i % 2 === 0 ? now() - 1000 : now() - 10;
      lines.push(await signHs({ jti: `batch-${i}`, sub, iat, exp: now() + 600 }));
    }
    const file = path.join(dir, 'batch.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = await runCliAsync(['token', 'verify', '--batch', file, '--secret', SECRET, '--threads', '2', '--denylist', checkerUrl()]);
    expect(run.stderr).toBe('');
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const summary = results.pop().summary;
    let expectedRevoked = 0;
    results.forEach((result, i) => {
      const byCutoff = i % 3 === 0 && i % 2 === 0;
      const revoked = byCutoff || i === 7;
      if (revoked) expectedRevoked++;
      expect(result.valid, `line ${i + 1}`).toBe(!revoked);
      if (i === 7) expect(result.reason).toBe("revoked: jti 'batch-7' is on the denylist");
      else if (byCutoff) expect(result.reason).toMatch(/^revoked: tokens of sub 'frank' issued before /);
    });
    expect(summary).toMatchObject({ tokens: 6000, valid: 6000 - expectedRevoked, invalid: expectedRevoked, revoked: expectedRevoked });
  });
});

describe('on a 3-master cluster', () => {
  it('entries go to the node that serves them, and verify --denylist finds them there', async () => {
    const tokens = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((jti) => signHs({ jti: `cl-${jti}`, sub: `user-${jti}`, iat: now() - 30, exp: now() + 300 })));
    for (const token of tokens.slice(0, 3)) {
      const run = await revoke([token, '--redis', cluster.url, '--yes', '--no-audit-log']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    const cutoff = await revoke(['--user', 'user-d', '--before', 'now', '--ttl', '10m', '--redis', cluster.url, '--yes', '--no-audit-log']);
    expect(cutoff.status).toBe(0);
    const client = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }]);
    try {
      for (const jti of ['a', 'b', 'c']) {
        const pttl = await client.pttl(`revoked:jti:cl-${jti}`);
        expect(pttl).toBeGreaterThan(290_000);
        expect(pttl).toBeLessThanOrEqual(300_000);
      }
      for (const jti of ['d', 'e', 'f']) expect(await client.exists(`revoked:jti:cl-${jti}`)).toBe(0);
      expect(Number(await client.get('revoked:sub:user-d'))).toBeGreaterThan(now() - 5);
    } finally {
      client.disconnect();
    }
    const verdicts = await Promise.all(tokens.map((token) => verify([token, '--denylist', cluster.url])));
    expect(verdicts.map((run) => run.status)).toEqual([1, 1, 1, 1, 0, 0]);
  });
});
