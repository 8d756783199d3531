#!/usr/bin/env node
// `token verify --batch` throughput (issue #5 target: at least 50,000 tokens/s with an HMAC secret or a
// fixed public key on the 2-core machine). Printed, never asserted. Needs the built CLI (npm run build).
//
// For HS256, RS256 and ES256: BENCH_TOKENS lines (default 100,000) of tokens signed with jose; to keep
// generation short, BENCH_DISTINCT different tokens (default 10,000) are cycled (the verifier caches no
// verdicts, so a repeated token costs what a new one does). Each batch is verified by the CLI as a user
// runs it (`token verify --batch FILE --secret|--key ... --iss --aud`, output to a file), with worker
// threads (the default) and with --threads 0; jose's own jwtVerify in one thread is the reference.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const DISTINCT = Math.min(TOKENS, Number(process.env.BENCH_DISTINCT ?? 10_000));
const NOW = Math.floor(Date.now() / 1000);
const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-bench-verify-'));

async function makeBatch(name, alg, signingKey) {
  const distinct = [];
  for (let i = 0; i < DISTINCT; i += 200) {
    distinct.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(200, DISTINCT - i) }, (_, j) =>
          new jose.SignJWT({ sub: `user-${i + j}`, jti: `jti-${i + j}`, scope: 'read write' })
            .setProtectedHeader({ alg, typ: 'JWT' })
            .setIssuer('https://auth.example')
            .setAudience('api')
            .setIssuedAt(NOW - 60)
            .setExpirationTime(NOW + 3600)
            .sign(signingKey),
        ),
      )),
    );
  }
  const file = path.join(dir, `${name}.txt`);
  writeFileSync(file, `${Array.from({ length: TOKENS }, (_, i) => distinct[i % DISTINCT]).join('\n')}\n`);
  return { file, sample: distinct };
}

function runCli(file, keyArgs, extra = []) {
  const out = path.join(dir, 'out.jsonl');
  const fd = openSync(out, 'w');
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, 'token', 'verify', '--batch', file, ...keyArgs, '--iss', 'https://auth.example', '--aud', 'api', ...extra], {
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  if (run.status !== 0) throw new Error(`token verify failed (${run.status}): ${run.stderr}`);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  const { summary } = JSON.parse(lines[lines.length - 1]);
  if (summary.valid !== TOKENS) throw new Error(`expected ${TOKENS} valid tokens, got ${JSON.stringify(summary)}`);
  return { seconds, rate: TOKENS / seconds };
}

async function joseReference(sample, key) {
  const count = Math.min(sample.length, 20_000);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await jose.jwtVerify(sample[i], key, { issuer: 'https://auth.example', audience: 'api' });
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

try {
  const secret = 'bench-secret-bench-secret-bench-secret!';
  const secretBytes = new TextEncoder().encode(secret);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsaPem = path.join(dir, 'rsa.pem');
  const ecPem = path.join(dir, 'ec.pem');
  writeFileSync(rsaPem, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(ecPem, ec.publicKey.export({ type: 'spki', format: 'pem' }));
  const cases = [
    { name: 'HS256', keyArgs: ['--secret', secret], signingKey: secretBytes, verifyKey: secretBytes },
    { name: 'RS256', keyArgs: ['--key', rsaPem], signingKey: rsa.privateKey, verifyKey: rsa.publicKey },
    { name: 'ES256', keyArgs: ['--key', ecPem], signingKey: ec.privateKey, verifyKey: ec.publicKey },
  ];
  console.log(`token verify --batch bench (node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log(`  ${TOKENS.toLocaleString('en-US')} tokens per batch (${DISTINCT.toLocaleString('en-US')} distinct, cycled); target >= 50,000 tokens/s`);
  for (const c of cases) {
    const { file, sample } = await makeBatch(c.name, c.name, c.signingKey);
    runCli(file, c.keyArgs); // warm the page cache
    const threaded = [1, 2, 3].map(() => runCli(file, c.keyArgs)).sort((a, b) => a.seconds - b.seconds)[1];
    const single = runCli(file, c.keyArgs, ['--threads', '0']);
    const reference = await joseReference(sample, c.verifyKey);
    console.log(
      `  ${c.name}: ${fmt(threaded.rate)} tokens/s (${threaded.seconds.toFixed(2)} s, worker threads, median of 3)` +
        ` | ${fmt(single.rate)} tokens/s in one thread | jose jwtVerify, one thread: ${fmt(reference)} tokens/s` +
        `${threaded.rate >= 50_000 ? '' : '  (below the 50,000 target)'}`,
    );
  }
  console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine lowers these figures)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
