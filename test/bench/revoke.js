#!/usr/bin/env node
// `node test/bench/revoke.js` (after `npm run build`): the `session-audit revoke` figures issue 6 asks
// for, printed, never asserted.
//  - 1,000,000 matching keys (`sess:<32-char id>`, connect-redis JSON) among 2,000,000 (the others
//    `cache:<32-char id>`) on a local redis-server: `revoke --framework connect-redis --yes`, without
//    and with --backup (targets < 1.5 s and < 4 s); and the reference: redis-cli --scan | redis-cli --pipe
//    with UNLINK (~4.3 s on the machine);
//  - the same on a 3-master cluster (keys loaded on the master that owns their slot);
//  - `--user ID` among 1,000,000 sessions: Spring Session (principal index) and connect-redis (value scan).
// Each revoke runs the built CLI in its own process; the time shown is the command's own (its JSON
// durationMs) and the process wall time (node start-up included).
// Env: BENCH_REVOKE_KEYS (default 1000000), BENCH_RUNS (default 1), BENCH_REDIS_CLUSTER (default 1),
//      BENCH_PARTS (default standalone,spring,cluster).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { cli, crc16, scanFloor, serverCpuMs, startCluster, startServer } from './redis-servers.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const KEYS = Number(process.env.BENCH_REVOKE_KEYS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'standalone,spring,cluster').split(','));
const CLUSTER = process.env.BENCH_REDIS_CLUSTER !== '0' && PARTS.has('cluster');
const state = mkdtempSync(path.join(tmpdir(), 'session-audit-bench-revoke-'));

process.on('exit', () => rmSync(state, { recursive: true, force: true }));


const SESSION = '{"cookie":{"originalMaxAge":86400000,"expires":"2026-12-01T00:00:00.000Z","httpOnly":true,"path":"/"},"passport":{"user":"u%"}}';
const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

/** RESP for `count` keys `${prefix}<32-char id>` with `value(i)`, TTL 1 h .. 1000 d. */
function protocol(prefix, from, to, value, keep = () => true) {
  const ids = randomBytes(24 * (to - from)).toString('base64url');
  let out = '';
  for (let i = from; i < to; i++) {
    const key = `${prefix}${ids.slice((i - from) * 32, (i - from + 1) * 32)}`;
    if (!keep(key)) continue;
    out += `*5\r\n$3\r\nSET\r\n${bulk(key)}${bulk(value(i))}$2\r\nPX\r\n${bulk(String(3_600_000 + (i % 1000) * 86_400_000))}`;
  }
  return out;
}

async function pipe(port, chunks) {
  const cli = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
  for (const chunk of chunks()) {
    if (!cli.stdin.write(chunk)) await new Promise((r) => cli.stdin.once('drain', r));
  }
  cli.stdin.end();
  await new Promise((resolve) => cli.on('exit', resolve));
}

function* keyChunks(prefix, count, value, keep) {
  for (let i = 0; i < count; i += 20_000) yield protocol(prefix, i, Math.min(count, i + 20_000), value, keep);
}

/** Spring Session: hash + expires key per session, one principal index set per user (10 sessions each). */
function* springChunks(count, keep = () => true) {
  for (let from = 0; from < count; from += 10_000) {
    let out = '';
    const ids = randomBytes(16 * 10_000).toString('hex');
    for (let i = from; i < Math.min(count, from + 10_000); i++) {
      const id = ids.slice((i - from) * 32, (i - from + 1) * 32);
      const hash = `spring:session:sessions:${id}`;
      const user = `user${Math.floor(i / 10)}`;
      const index = `spring:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:${user}`;
      if (keep(hash)) out += `*8\r\n$4\r\nHSET\r\n${bulk(hash)}${bulk('creationTime')}${bulk('1764201600000')}${bulk('maxInactiveInterval')}${bulk('1800')}${bulk('sessionAttr:x')}${bulk('y')}*3\r\n$6\r\nEXPIRE\r\n${bulk(hash)}${bulk('2100')}`;
      const expires = `spring:session:sessions:expires:${id}`;
      if (keep(expires)) out += `*5\r\n$3\r\nSET\r\n${bulk(expires)}${bulk('')}$2\r\nEX\r\n${bulk('1800')}`;
      if (keep(index)) out += `*3\r\n$4\r\nSADD\r\n${bulk(index)}${bulk(id)}`;
    }
    yield out;
  }
}

const dbsize = (nodes) => nodes.reduce((sum, n) => sum + Number(cli(n.port, 'DBSIZE')), 0);

let serverPids = [];

function revoke(args) {
  const cpuBefore = serverCpuMs(serverPids);
  const started = performance.now();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawnSync(process.execPath, [...profile, bin, 'revoke', ...args, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: '1' },
    maxBuffer: 1 << 26,
  });
  const wall = performance.now() - started;
  if (child.status !== 0) throw new Error(`revoke ${args.join(' ')} failed (${child.status}): ${child.stderr}`);
  const result = JSON.parse(child.stdout).revoke;
  return { ms: result.durationMs, wall, revoked: result.revoked, matched: result.matched, serverMs: serverCpuMs(serverPids) - cpuBefore };
}

function line(name, run, extra = '') {
  console.log(
    `  ${name.padEnd(52)} ${String(Math.round(run.ms)).padStart(6)} ms  (process ${String(Math.round(run.wall)).padStart(6)} ms, server CPU ${String(Math.round(run.serverMs)).padStart(5)} ms)  revoked ${run.revoked}${extra}`,
  );
}

const backupFile = () => path.join(state, `backup-${randomBytes(4).toString('hex')}.jsonl`);

console.log(`session-audit revoke bench (node ${process.version}, ${cpus().length} cores, redis ${cli(0, '--version').split(' ')[1] ?? '?'}, load average ${loadavg()[0].toFixed(2)})`);

// ---- standalone
if (PARTS.has('standalone')) {
  const server = await startServer();
  try {
    let started = performance.now();
    await pipe(server.port, () => keyChunks('cache:', KEYS, () => 'v'));
    const loadSessions = () => pipe(server.port, () => keyChunks('sess:', KEYS, (i) => SESSION.replace('%', String(i % 100_000))));
    await loadSessions();
    console.log(`standalone: ${dbsize([server])} keys (${KEYS} sess:* + ${KEYS} cache:*) loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    serverPids = [server.pid];
    const floor = await scanFloor(server.url, { match: 'sess:*', count: 2000 });
    console.log(`  ${'floor: bare SCAN MATCH sess:* COUNT 2000 (no deletion)'.padEnd(52)} ${String(Math.round(floor.ms)).padStart(6)} ms  (${floor.keys} keys)`);
    const base = ['--redis', server.url, '--framework', 'connect-redis', '--yes'];
    for (let r = 0; r < RUNS; r++) {
      line('revoke 1M of 2M, no backup (target < 1500 ms)', revoke(base));
      await loadSessions();
      const file = backupFile();
      line('revoke 1M of 2M, --backup (target < 4000 ms)', revoke([...base, '--backup', file]), `  backup ${(spawnSync('stat', ['-c', '%s', file], { encoding: 'utf8' }).stdout.trim() / 1e6).toFixed(0)} MB`);
      rmSync(file, { force: true });
      await loadSessions();
    }
    // Reference: redis-cli --scan --pattern 'sess:*' | redis-cli --pipe with UNLINK, one key per command.
    started = performance.now();
    const shell = spawnSync('sh', ['-c', `redis-cli -p ${server.port} --scan --pattern 'sess:*' | awk '{ printf "*2\\r\\n$6\\r\\nUNLINK\\r\\n$%d\\r\\n%s\\r\\n", length($0), $0 }' | redis-cli -p ${server.port} --pipe > /dev/null`]);
    if (shell.status !== 0) console.log(`  reference failed: ${shell.stderr}`);
    console.log(`  ${'reference: redis-cli --scan | redis-cli --pipe UNLINK'.padEnd(52)} ${String(Math.round(performance.now() - started)).padStart(6)} ms  (left: ${dbsize([server])} keys)`);

    // --user among 1M sessions: connect-redis needs a value scan (GET of every session; couldNameUser first).
    await loadSessions();
    line('--user among 1M connect-redis sessions (value scan)', revoke(['--redis', server.url, '--framework', 'connect-redis', '--user', 'u4242', '--yes']), '  (10 sessions expected)');
    line('--user, dry run, no --framework (every namespace)', revoke(['--redis', server.url, '--user', 'u4243']), '');
  } finally {
    server.stop();
  }
}

// ---- Spring Session index
if (PARTS.has('spring')) {
  const server = await startServer();
  try {
    const started = performance.now();
    await pipe(server.port, () => springChunks(KEYS));
    serverPids = [server.pid];
    console.log(`spring: ${KEYS} Spring sessions (hash + expires key, 10 per user index) = ${dbsize([server])} keys, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    line('--user among 1M Spring sessions (principal index)', revoke(['--redis', server.url, '--framework', 'spring', '--user', 'user4242', '--yes']), '  (10 expected)');
    line('--user among 1M Spring sessions, no --framework', revoke(['--redis', server.url, '--user', 'user4243', '--yes']), '  (walks for the other frameworks)');
  } finally {
    server.stop();
  }
}

// ---- cluster
if (CLUSTER) {
  const nodes = [];
  try {
    const cluster = await startCluster();
    nodes.push(...cluster.nodes);
    const { owner } = cluster;
    const load = (prefix, value) => Promise.all(nodes.map((n) => pipe(n.port, () => keyChunks(prefix, KEYS, value, (key) => owner[crc16(key) & 16383] === n.port))));
    let started = performance.now();
    await load('cache:', () => 'v');
    await load('sess:', (i) => SESSION.replace('%', String(i % 100_000)));
    serverPids = nodes.map((n) => n.pid);
    console.log(`3-master cluster: ${dbsize(nodes)} keys loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const base = ['--redis', nodes[0].url, '--framework', 'connect-redis', '--yes'];
    line('cluster: revoke ~1M of ~2M, no backup', revoke(base));
    started = performance.now();
    await load('sess:', (i) => SESSION.replace('%', String(i % 100_000)));
    const file = backupFile();
    line('cluster: revoke ~1M of ~2M, --backup', revoke([...base, '--backup', file]));
    rmSync(file, { force: true });
  } finally {
    nodes.forEach((n) => n.stop());
  }
}

/** CRC16/XMODEM, the Redis Cluster key hash (keys here have no {hash tag}). */
