// `session-audit revoke` / `restore` as a user runs them (the built CLI in dist/): usage errors,
// the dry run's text and JSON, passwords never printed, a run killed with SIGKILL and resumed, a
// redis-server restarted under a run and resumed, --rate, the confirmation at a terminal (through a
// pseudo-terminal made by script(1)), and an ACL user without UNLINK.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/parse.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { admin } from '../support/redis-data.js';
import { startRedis, startRedisCluster, type RedisProcess } from '../support/redis-servers.js';
import { clusterSnapshot, compareSnapshots, snapshot, tempState } from '../revoke/support.js';

const state = tempState();
const env = { XDG_STATE_HOME: state.dir, REDISCLI_AUTH: '' };
const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  state.remove();
});

let server: RedisProcess;
beforeAll(async () => {
  server = await startRedis({ args: ['--requirepass', 'hunter2-secret'] });
  cleanup.push(() => server.stop());
});

function client(port: number, db = 0, password?: string): Redis {
  const c = admin(port, { db, password });
  cleanup.push(() => c.disconnect());
  return c;
}

/** `count` connect-redis sessions `sess:<prefix><n>...` and `others` non-session keys. */
async function load(c: Redis, prefix: string, count: number, others = 0): Promise<string[]> {
  const keys: string[] = [];
  for (let from = 0; from < count; from += 1000) {
    const pipeline = c.pipeline();
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const key = `sess:${prefix}${String(i).padStart(7, '0')}Rk2Lm9`;
      keys.push(key);
      pipeline.set(key, JSON.stringify({ passport: { user: `u${i % 10}` } }), 'EX', 3600);
    }
    await pipeline.exec();
  }
  const pipeline = c.pipeline();
  for (let i = 0; i < others; i++) pipeline.set(`cache:${prefix}:${i}`, `v${i}`);
  await pipeline.exec();
  return keys;
}

const secretUrl = (db: number) => `redis://:hunter2-secret@127.0.0.1:${server.port}/${db}`;

describe('usage', () => {
  it('a bare revoke does nothing: exit 2, one line', () => {
    const run = runCli(['revoke', '--redis', secretUrl(0)], { env });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^session-audit: no sessions selected: give a filter .* or --all-sessions/)]);
  });

  it('bad flags are one line each', () => {
    for (const [args, message] of [
      [['--framework', 'nope'], /--framework nope: unknown/],
      [['--all-sessions', '--user', 'x'], /cannot be combined/],
      [['--user-field', 'a.b'], /--user-field needs --user/],
      [['--idle-over', 'soon'], /--idle-over: not a duration/],
      [['--created-before', 'yesterday'], /--created-before yesterday: not a time/],
      [['--framework', 'connect-redis', '--created-before', 'now'], /connect-redis does not record when a session was created/],
      [['--all-sessions', '--rate', '0'], /--rate: expected a number above 0/],
      [['--resume', 'no-such-run'], /no such run/],
    ] as const) {
      const run = runCli(['revoke', '--redis', secretUrl(0), ...args], { env });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });

  it('restore needs --backup; an unreadable backup is one line', () => {
    expect(runCli(['restore', '--redis', secretUrl(0)], { env }).status).toBe(2);
    const run = runCli(['restore', '--redis', secretUrl(0), '--backup', path.join(repoRoot, 'package.json')], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^session-audit: .*package\.json: not a session-audit backup/);
  });
});

describe('dry run', () => {
  it('prints per namespace what would go, masked examples and the command, never the password; changes nothing', async () => {
    const c = client(server.port, 1, 'hunter2-secret');
    await load(c, 'dry', 1500, 200);
    const before = await snapshot(c);
    const run = await runCliAsync(['revoke', '--redis', secretUrl(1), '--framework', 'connect-redis', '--user', 'u3'], { env });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('DRY RUN: nothing was deleted. 150 sessions would be revoked on redis://127.0.0.1:');
    expect(run.stdout).toMatch(/sess:\*\s+express-session \(connect-redis\)\s+150\s+sess:dry0…/);
    expect(run.stdout).toContain(`session-audit revoke --redis redis://127.0.0.1:${server.port}/1 --framework connect-redis --user u3 --yes`);
    expect(run.stdout).toContain('password removed: give it with REDISCLI_AUTH');
    expect(run.stdout + run.stderr).not.toContain('hunter2');
    expect(compareSnapshots(before, await snapshot(c), new Set(), 5_000)).toEqual([]);
    // No run folder for a dry run.
    expect(existsSync(path.join(state.dir, 'session-audit', 'runs'))).toBe(false);
  });

  it('--format json: one object on stdout, with the revoke section', async () => {
    const run = await runCliAsync(['revoke', '--redis', secretUrl(1), '--namespace', 'sess:dry000001*', '--format', 'json'], { env });
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(['tool', 'revoke']);
    expect(json.revoke).toMatchObject({
      runId: null,
      dryRun: true,
      matched: 10,
      revoked: 0,
      byNamespace: { 'sess:*': { framework: 'connect-redis', matched: 10 } },
      unreadable: [],
      backup: null,
      auditLog: null,
    });
  });
});

/** The checkpoint of the only run in the state folder, once it exists. */
function checkpointOf(): { opsDone: number } | undefined {
  const runs = path.join(state.dir, 'session-audit', 'runs');
  if (!existsSync(runs)) return undefined;
  for (const id of readdirSync(runs)) {
    let meta;
    try {
      meta = JSON.parse(readFileSync(path.join(runs, id, 'run.json'), 'utf8'));
    } catch {
      continue; // the run folder exists, its run.json is not written yet
    }
    if (meta.status !== 'running') continue;
    const file = path.join(runs, id, 'checkpoint.json');
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        return undefined; // being replaced
      }
    }
  }
  return undefined;
}

function spawnCli(args: string[]): { child: ChildProcess; done: Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/session-audit.js'), ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })),
  );
  return { child, done };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('interrupted runs', () => {
  it('SIGKILL mid-run, then --resume: exactly the right set is deleted, counted once, and the backup restores it all', async () => {
    const c = client(server.port, 2, 'hunter2-secret');
    const keys = await load(c, 'kill', 2000, 300);
    const before = await snapshot(c);
    const backup = state.file('kill-backup.jsonl');
    const { child, done } = spawnCli(['revoke', '--redis', secretUrl(2), '--namespace', 'sess:*', '--yes', '--rate', '500', '--batch-size', '100', '--backup', backup]);
    await waitFor(() => (checkpointOf()?.opsDone ?? 0) >= 300, 'the run to get going');
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const left = await c.dbsize();
    expect(left).toBeGreaterThan(300);
    expect(left).toBeLessThan(2300 - 200);

    const resumed = await runCliAsync(['revoke', '--resume', '--yes', '--redis', secretUrl(2), '--format', 'json'], { env });
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const summary = JSON.parse(resumed.stdout).revoke;
    expect(summary).toMatchObject({ resumed: true, matched: 2000, revoked: 2000, backup: { file: backup } });
    expect(compareSnapshots(before, await snapshot(c), new Set(keys))).toEqual([]);
    // Nothing left to resume; the same revoke again matches nothing.
    expect(runCli(['revoke', '--resume', '--yes', '--redis', secretUrl(2)], { env }).stderr).toMatch(/no unfinished run/);

    const restoreStarted = performance.now();
    const restored = await runCliAsync(['restore', '--backup', backup, '--redis', secretUrl(2), '--yes', '--format', 'json'], { env });
    expect(restored.status).toBe(0);
    expect(JSON.parse(restored.stdout).restore).toMatchObject({ restored: 2000, existing: { count: 0 }, failed: { count: 0 } });
    // Values as they were; TTLs as the backup recorded them when each batch was revoked: within a
    // second, plus the time this test took to restore and read them back (TTLs run down meanwhile).
    const after = await snapshot(c);
    const slack = 1_000 + (performance.now() - restoreStarted);
    expect(compareSnapshots(before, after, new Set(), 30_000, 'content')).toEqual([]);
    const recorded = readFileSync(backup, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as { key: string; pttl: number });
    for (const { key, pttl } of recorded) {
      const now = after.get(key)!.pttl;
      expect(now, key).toBeLessThanOrEqual(pttl);
      expect(pttl - now, key).toBeLessThan(slack);
    }
  });

  it('a redis-server restart under a run: the lost connection is reported with the resume line; --resume finishes', async () => {
    const aof = await startRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    cleanup.push(() => aof.stop());
    const c = admin(aof.port);
    const keys = await load(c, 'restart', 2000, 300);
    const before = await snapshot(c);
    c.disconnect();
    const { done } = spawnCli(['revoke', '--redis', aof.url, '--namespace', 'sess:*', '--yes', '--rate', '500', '--batch-size', '100']);
    await waitFor(() => (checkpointOf()?.opsDone ?? 0) >= 300, 'the run to get going');
    aof.kill();
    const lost = await done;
    expect(lost.status, lost.stderr).toBe(2);
    expect(lost.stderr).toMatch(/session-audit: redis:\/\/127\.0\.0\.1:\d+: connection lost.*; nothing is lost: resume with: session-audit revoke --resume \S+ --yes/);
    expect(lost.stderr).not.toMatch(/\n\s+at /); // no stack

    // The same server again, same port and data (its append-only file).
    const restarted = spawn('redis-server', ['--port', String(aof.port), '--bind', '127.0.0.1', '--dir', aof.dir, '--appendonly', 'yes', '--save', '', '--logfile', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(() => restarted.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      let log = '';
      restarted.stdout!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Ready to accept connections')) resolve();
      });
      restarted.once('exit', () => reject(new Error(log)));
    });
    const again = admin(aof.port);
    cleanup.push(() => again.disconnect());
    expect(await again.dbsize()).toBeGreaterThan(300);

    const resumed = await runCliAsync(['revoke', '--resume', '--yes', '--format', 'json'], { env });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).revoke).toMatchObject({ resumed: true, matched: 2000, revoked: 2000 });
    expect(compareSnapshots(before, await snapshot(again), new Set(keys))).toEqual([]);
  });
});

describe('interrupted run on a 3-master cluster', () => {
  it('SIGKILL mid-run, then --resume: exactly the right set is deleted on every master; restore brings it back', async () => {
    const cluster = await startRedisCluster(3);
    cleanup.push(() => cluster.stop());
    const writer = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0].port }], { redisOptions: { maxRetriesPerRequest: 1 } });
    cleanup.push(() => writer.disconnect());
    const masters = cluster.nodes.map((node) => client(node.port));
    const keys: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const key = `sess:ckill${String(i).padStart(6, '0')}Rk2Lm9`;
      keys.push(key);
      await writer.set(key, JSON.stringify({ passport: { user: `u${i % 10}` } }), 'EX', 3600);
      await writer.set(`cache:ckill:${i}`, `v${i}`);
    }
    const before = await clusterSnapshot(masters);
    const backup = state.file('cluster-kill-backup.jsonl');
    const { child, done } = spawnCli(['revoke', '--redis', cluster.url, '--framework', 'connect-redis', '--yes', '--rate', '500', '--batch-size', '100', '--backup', backup]);
    await waitFor(() => (checkpointOf()?.opsDone ?? 0) >= 300, 'the run to get going');
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const resumed = await runCliAsync(['revoke', '--resume', '--yes', '--format', 'json'], { env });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).revoke).toMatchObject({ mode: 'cluster', resumed: true, matched: 1500, revoked: 1500 });
    expect(compareSnapshots(before, await clusterSnapshot(masters), new Set(keys))).toEqual([]);
    const restored = await runCliAsync(['restore', '--backup', backup, '--redis', cluster.url, '--yes', '--format', 'json'], { env });
    expect(restored.status).toBe(0);
    expect(JSON.parse(restored.stdout).restore).toMatchObject({ mode: 'cluster', restored: 1500, failed: { count: 0 } });
    expect(compareSnapshots(before, await clusterSnapshot(masters), new Set(), 30_000, 'content')).toEqual([]);
  });
});

describe('--rate', () => {
  it('holds roughly: 1,500 keys at 600/s take about 2.5 s', async () => {
    const c = client(server.port, 3, 'hunter2-secret');
    await load(c, 'rate', 1500);
    const run = await runCliAsync(['revoke', '--redis', secretUrl(3), '--namespace', 'sess:*', '--yes', '--rate', '600', '--no-audit-log', '--format', 'json'], { env });
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout).revoke;
    expect(summary.revoked).toBe(1500);
    expect(summary.auditLog).toBeNull();
    const rate = 1500 / (summary.durationMs / 1000);
    expect(rate).toBeGreaterThan(300);
    expect(rate).toBeLessThan(700);
    expect(run.stderr).toMatch(/Strongly recommended: --backup FILE/);
  });
});

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasScript)('at a terminal', () => {
  /** The CLI in a pseudo-terminal (script(1)), with `input` typed into it. */
  function inTerminal(args: string[], input: string): Promise<{ status: number | null; output: string }> {
    // A terminal of a known width (script's pty has none), so the spinner can redraw its line.
    const command = ['stty', 'cols', '120', ';', process.execPath, path.join(repoRoot, 'bin/session-audit.js'), ...args].map((a) => (a === ';' ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    return new Promise((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (/Type the number of sessions/.test(output) && input) {
          child.stdin!.write(input);
          input = '';
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, output });
      });
    });
  }

  it('--yes above --confirm-over asks to type the count: a wrong answer deletes nothing; the right one goes ahead', async () => {
    const c = client(server.port, 4, 'hunter2-secret');
    await load(c, 'tty', 40);
    const args = ['revoke', '--redis', secretUrl(4), '--namespace', 'sess:*', '--yes', '--confirm-over', '10', '--no-audit-log'];
    const no = await inTerminal(args, 'yes\r');
    expect(no.output).toContain('About to revoke 40 sessions');
    expect(no.output).toMatch(/aborted at the confirmation: nothing was deleted/);
    expect(no.status).toBe(2);
    expect(await c.dbsize()).toBe(40);
    const yes = await inTerminal(args, '40\r');
    expect(yes.status).toBe(0);
    expect(yes.output).toContain('Revoked 40 sessions');
    expect(await c.dbsize()).toBe(0);
    // At or under --confirm-over: no question.
    await load(c, 'tty', 5);
    const small = await inTerminal(args, '');
    expect(small.status).toBe(0);
    expect(small.output).not.toContain('Type the number');
  });
});

describe('permissions', () => {
  it('an ACL user without UNLINK: one clear line, exit 2, nothing deleted', async () => {
    const acl = await startRedis({ aclFile: 'user default on nopass ~* &* +@all\nuser viewer on >view-pw ~* &* +@all -unlink\n' });
    cleanup.push(() => acl.stop());
    const c = admin(acl.port);
    cleanup.push(() => c.disconnect());
    await load(c, 'acl', 20);
    const run = await runCliAsync(['revoke', '--redis', `redis://viewer:view-pw@127.0.0.1:${acl.port}`, '--namespace', 'sess:*', '--yes', '--no-audit-log'], { env });
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n').filter((line) => !/Strongly recommended/.test(line));
    expect(lines).toEqual([expect.stringMatching(/^session-audit: redis:\/\/viewer@127\.0\.0\.1:\d+: UNLINK refused: NOPERM .*\+unlink/)]);
    expect(run.stderr).not.toContain('view-pw');
    expect(await c.dbsize()).toBe(20);
  });
});

