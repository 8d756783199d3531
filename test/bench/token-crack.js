#!/usr/bin/env node
// `token crack` speed (issue 5): HS256 with a 1,000,000-line wordlist whose last line is the secret,
// at least 1,000,000 candidates/s on the 2-core machine; printed beside a single-threaded createHmac
// loop over the same lines, measured in the same run. Figures are printed, never asserted.
//   BENCH_WORDS=N      lines in the wordlist (default 1,000,000)
//   BENCH_RUNS=N       CLI runs per case; the median is printed (default 3)
// The machine's other load skews every figure: run it on a quiet machine (`uptime` load well under 1).
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const WORDS = Number(process.env.BENCH_WORDS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function token(alg, payload, secret) {
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url')}`;
}

// Password-like lines of 6 to 17 bytes (a rockyou-like spread), the secret on the last one.
function wordlist(dir) {
  const stems = ['password', 'dragon', 'monkey', 'sunshine', 'qwerty', 'letmein', 'shadow', 'master', 'football', 'iloveyou'];
  const lines = new Array(WORDS);
  for (let i = 0; i < WORDS - 1; i++) lines[i] = `${stems[i % stems.length]}${(i * 7919) % 1_000_003}`;
  lines[WORDS - 1] = 'correct-horse-42';
  const file = path.join(dir, 'words.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, secret: lines[WORDS - 1] };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** createHmac per line, one thread: what a straightforward implementation does. */
function baseline(file, jwt, alg) {
  const input = jwt.slice(0, jwt.lastIndexOf('.'));
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const hash = `sha${alg.slice(2)}`;
  const expected = jwt.slice(jwt.lastIndexOf('.') + 1);
  const started = performance.now();
  let found = false;
  for (const line of lines) if (createHmac(hash, line).update(input).digest('base64url') === expected) found = true;
  const seconds = (performance.now() - started) / 1000;
  if (!found) throw new Error('baseline did not find the secret');
  return lines.length / seconds;
}

function runCli(args, env = {}) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin, 'token', 'crack', ...args, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`token crack exited ${run.status}: ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  return { ...result, wall };
}

const M = (rate) => `${(rate / 1e6).toFixed(2)} M/s`;

/** Share of CPU time idle over one second: the figures below mean little when other work shares the cores. */
async function idlePercent() {
  const sample = () => cpus().reduce((sum, cpu) => ({ idle: sum.idle + cpu.times.idle, total: sum.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = sample();
  return Math.round((100 * (after.idle - before.idle)) / Math.max(1, after.total - before.total));
}

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-crack-'));
try {
  const { file, secret } = wordlist(dir);
  console.log(`token crack bench (node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, ${WORDS.toLocaleString('en-US')}-line wordlist)`);
  console.log(`CPU idle before the run: ${await idlePercent()}% (anything well below 100% skews the figures)`);
  const cases = [
    // jwt.io's example payload: header.payload is 111 bytes, 2 SHA-256 blocks after the key block.
    { name: 'HS256, jwt.io-sized token (111-byte signing input)', alg: 'HS256', payload: { sub: '1234567890', name: 'John Doe', iat: 1516239022 } },
    // A typical access token with iss/aud/exp/jti/scope: 4 blocks after the key block.
    {
      name: 'HS256, access token (239-byte signing input)',
      alg: 'HS256',
      payload: { sub: 'user-42', iss: 'https://auth.example.com', aud: 'api', iat: 1700000000, exp: 1700003600, jti: 'b7d1c2e0-1f6a-4f0e-9c51-7a3b2d9e8f10', scope: 'read' },
    },
    { name: 'HS384, jwt.io-sized token', alg: 'HS384', payload: { sub: '1234567890', name: 'John Doe', iat: 1516239022 } },
    { name: 'HS512, jwt.io-sized token', alg: 'HS512', payload: { sub: '1234567890', name: 'John Doe', iat: 1516239022 } },
  ];
  for (const bench of cases) {
    const jwt = token(bench.alg, bench.payload, secret);
    const base = baseline(file, jwt, bench.alg);
    const runs = Array.from({ length: RUNS }, () => runCli([jwt, '--wordlist', file]));
    // The secret is the last line, but a hit stops the other workers mid-chunk: tried may be a little short of WORDS.
    for (const run of runs) if (!run.found || run.tried < WORDS * 0.9) throw new Error(`unexpected result: ${JSON.stringify(run)}`);
    const rate = median(runs.map((run) => run.rate));
    const wallRate = median(runs.map((run) => run.tried / run.wall));
    console.log(`\n${bench.name}`);
    console.log(`  token crack (${runs[0].threads} threads):   ${M(rate)}   (whole process, node start-up included: ${M(wallRate)})`);
    console.log(`  createHmac loop, 1 thread: ${M(base)}   -> ${(rate / base).toFixed(1)}x`);
    if (bench.alg === 'HS256') {
      const one = median(Array.from({ length: RUNS }, () => runCli([jwt, '--wordlist', file, '--threads', '1']).rate));
      console.log(`  token crack, --threads 1:  ${M(one)}   (${(one / base).toFixed(1)}x the createHmac loop)`);
      // The scalar JavaScript HMAC (sha256-hmac.ts): the fallback where WebAssembly SIMD is missing.
      const scalar = median(Array.from({ length: RUNS }, () => runCli([jwt, '--wordlist', file], { SESSION_AUDIT_CRACK_SCALAR: '1' }).rate));
      console.log(`  scalar JS fallback (${runs[0].threads} threads): ${M(scalar)}   (${(scalar / base).toFixed(1)}x)`);
    }
  }
  // Mask brute force: 26^4 * 100 = 45.7 M candidates would be long for a bench; ?l?l?l?d?d is 1.76 M, secret last.
  const jwt = token('HS256', cases[0].payload, 'zzz99');
  const mask = median(Array.from({ length: RUNS }, () => runCli([jwt, '--mask', '?l?l?l?d?d', '--no-builtin']).rate));
  console.log(`\nHS256 --mask ?l?l?l?d?d (1,757,600 candidates, secret last): ${M(mask)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
