#!/usr/bin/env node
// `npm run bench`: the figures the issues ask for, printed, never asserted.
//  - time to check 10,000 generated config files (target < 3 s on the 2-core machine)
//  - cold start of `session-audit --version` (target < 150 ms)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const FILES = Number(process.env.BENCH_FILES ?? 10_000);

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// The generated tree: the real-syntax fixtures of every format, copied round-robin under new names.
function generateTree() {
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-bench-'));
  const templates = [...filesUnder(path.join(root, 'fixtures/parsers')), ...filesUnder(path.join(root, 'fixtures/rules'))]
    .map((file) => ({ name: path.basename(file), text: readFileSync(file, 'utf8') }))
    // includes would point outside the copy; deliberately broken files belong in tests, not here
    // and store snapshots (*.store.json) are scan's fixtures, not config files; logs (*.log, *.jsonl) are logs'
    .filter(({ name, text }) => !/^\s*include\b/m.test(text) && !/broken|unclosed|invalid/i.test(name) && !name.endsWith('.store.json') && !name.endsWith('.jwt') && !/\.(log|jsonl)$/.test(name));
  for (let index = 0; index < FILES; index++) {
    const { name, text } = templates[index % templates.length];
    // 100 services of 10 folders of 10 files: consecutive templates differ, so names never collide.
    const folder = path.join(dir, `svc-${Math.floor(index / 100)}`, `pod-${Math.floor(index / 10)}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, name), text);
  }
  return { dir, templates: templates.length };
}

function timeRun(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, run };
}

const { dir, templates } = generateTree();
try {
  timeRun(['check', dir, '--format', 'json', '--output', '/dev/null', '--fail-on', 'none']); // warm the page cache
  const checks = [1, 2, 3].map(() => timeRun(['check', dir, '--format', 'json', '--fail-on', 'none']));
  const last = checks[checks.length - 1].run;
  if (last.status !== 0 && last.status !== 2) throw new Error(`check failed: ${last.stderr}`);
  const report = JSON.parse(last.stdout);
  const starts = Array.from({ length: 15 }, () => timeRun(['--version']).ms);

  console.log(`session-audit bench (node ${process.version}, ${cpus().length} cores)`);
  console.log(
    `check ${FILES} generated config files (${templates} real-syntax templates, ${report.summary.files} recognised, ` +
      `${report.summary.findings} findings): median ${median(checks.map((c) => c.ms)).toFixed(0)} ms  (target < 3000 ms)`,
  );
  console.log(`cold start \`session-audit --version\`: median ${median(starts).toFixed(0)} ms over ${starts.length} runs  (target < 150 ms)`);
  const bare = median(Array.from({ length: 15 }, () => {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - started) / 1e6;
  }));
  console.log(`  (for scale: a bare \`node -e 0\` starts in ${bare.toFixed(0)} ms here)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
