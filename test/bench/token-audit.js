#!/usr/bin/env node
// `token audit --batch` throughput (target: at least 50,000 tokens/s on the 2-core machine, without
// --wordlist), end to end through the built CLI: read, find, decode, secret check, rules, JSON report.
// Printed, never asserted. Each scenario prints the CLI's wall-clock rate (best of 3, process start
// included) and an in-process rate from CPU time (runTokenAudit from dist/, user+system CPU of this
// process, GC threads included), which a busy machine disturbs far less. Tokens are generated here with node:crypto: HS256 ones carry a real HMAC
// (the audit recomputes it for every built-in secret), RS256/ES256 ones carry random bytes of the right
// size (the audit judges the signature's shape, it does not verify it).
//
// Scenarios (BENCH_TOKENS lines each, default 100,000):
//  - mixed, all distinct: 70% RS256, 15% ES256, 15% HS256; 1 in 10 has no jti (a finding per line)
//  - access log: the same mix, 10,000 distinct tokens each seen 10 times (how tokens appear in logs)
//  - no HMAC tokens: RS256/ES256 only, all distinct (the per-token floor)
//  - worst case: all HS256, all distinct (one HMAC per built-in secret per token)
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const LINES = Number(process.env.BENCH_TOKENS ?? 100_000);
const NOW = 1_767_225_600;
const secret = randomBytes(32);
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADERS = {
  RS256: b64({ alg: 'RS256', typ: 'JWT', kid: 'rs-2026-01' }),
  ES256: b64({ alg: 'ES256', typ: 'JWT', kid: 'es-2026-01' }),
  HS256: b64({ alg: 'HS256', typ: 'JWT' }),
};
const SIGNATURE_BYTES = { RS256: 256, ES256: 64 };

function token(alg, index) {
  const claims = { iss: 'https://id.example.com', sub: `u-${index}`, aud: 'api', iat: NOW - 600, exp: NOW + 3000, scope: 'read write' };
  if (index % 10 !== 0) claims.jti = randomUUID();
  const input = `${HEADERS[alg]}.${b64(claims)}`;
  const signature = alg === 'HS256' ? createHmac('sha256', secret).update(input).digest() : randomBytes(SIGNATURE_BYTES[alg]);
  return `${input}.${signature.toString('base64url')}`;
}

const mixAlg = (index) => (index % 20 < 14 ? 'RS256' : index % 20 < 17 ? 'ES256' : 'HS256');
const scenarios = [
  { name: 'mixed, all distinct', make: (index) => token(mixAlg(index), index) },
  { name: 'access log (10 uses per token)', distinct: Math.max(1, Math.floor(LINES / 10)), make: (index) => token(mixAlg(index), index) },
  { name: 'no HMAC tokens, all distinct', make: (index) => token(index % 5 === 0 ? 'ES256' : 'RS256', index) },
  { name: 'worst case: all HS256, all distinct', make: (index) => token('HS256', index) },
];

const { runTokenAudit } = await import(pathToFileURL(path.join(root, 'dist/commands/token-audit.js')).href);

async function inProcess(file) {
  const cpu = process.cpuUsage();
  const { report } = await runTokenAudit({ batch: file, now: NOW });
  JSON.stringify(report);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6;
}

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-token-bench-'));
try {
  console.log(`session-audit token audit --batch bench (node ${process.version}, ${cpus().length} cores, ${LINES.toLocaleString('en-US')} lines each)`);
  for (const scenario of scenarios) {
    const distinct = scenario.distinct ?? LINES;
    const tokens = Array.from({ length: distinct }, (_, index) => scenario.make(index));
    const lines = Array.from({ length: LINES }, (_, index) => tokens[(index * 7919) % distinct]);
    const file = path.join(dir, 'tokens.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const runs = [1, 2, 3].map(() => {
      const started = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [bin, 'token', 'audit', '--batch', file, '--now', String(NOW), '--format', 'json', '--output', path.join(dir, 'report.json'), '--fail-on', 'none'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      if (run.status !== 0) throw new Error(`token audit failed (${run.status}): ${run.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e9;
    });
    const best = Math.min(...runs);
    await inProcess(file); // warm up the JIT
    const cpu = Math.min(await inProcess(file), await inProcess(file));
    const rate = (seconds) => Math.round(LINES / seconds).toLocaleString('en-US').padStart(9);
    console.log(`  ${scenario.name.padEnd(38)} ${rate(best)} tokens/s wall (CLI, best of 3: ${best.toFixed(2)} s)   ${rate(cpu)} tokens/s per CPU second (in process)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
