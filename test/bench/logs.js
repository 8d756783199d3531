#!/usr/bin/env node
// `npm run bench` (logs): `session-audit logs` end to end through the built CLI (dist/), on generated logs.
//  - 2M lines of nginx combined (the figure: target >= 500,000 lines/s on the 2-core machine)
//  - 2M lines of a custom log_format with $upstream_addr, $cookie_sid and $request_id: every analysis at
//    work (per-session windows, hops, per-node timeline), with planted reuse, hops and a logout storm,
//    and 250,000 distinct sessions, more than --max-tracked 100,000 (memory stays bounded).
// Prints lines/s and the peak RSS of the CLI process; never asserts. BENCH_LOG_LINES overrides 2M.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/session-audit.js');
const LINES = Number(process.env.BENCH_LOG_LINES ?? 2_000_000);
const SESSIONS = 250_000;

const CUSTOM =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_addr sid=$cookie_sid rid=$request_id';
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
];
const PATHS = ['/', '/account', '/cart', '/orders?page=2', '/products/42', '/search?q=shoes', '/api/orders', '/api/profile', '/static/app.css'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const START = Date.UTC(2026, 0, 5, 8, 0, 0);

// A small deterministic PRNG, so every run reads the same logs.
let seed = 42;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const pad = (value) => (value < 10 ? `0${value}` : String(value));
function timeLocal(ms) {
  const date = new Date(ms);
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
const hex = (value, length) => value.toString(16).padStart(length, '0');

/** Writes LINES lines over about 6 hours; `custom` adds upstream, session cookie and request id. */
function generate(file, custom) {
  const fd = openSync(file, 'w');
  const span = 6 * 3600 * 1000;
  const storm = START + span / 2;
  let chunk = [];
  for (let index = 0; index < LINES; index++) {
    const time = START + Math.floor((index / LINES) * span);
    let ip = '';
    // Planted: one session replayed from six addresses within a minute; 5% of requests hop nodes (some
    // lose the session); a minute of mass 401s after node 10.0.1.15 joins.
    let user = Math.floor(random() * SESSIONS);
    if (index >= LINES / 3 && index < LINES / 3 + 6 * 997 && index % 997 === 0) {
      user = 7;
      ip = `203.0.113.${(index / 997) % 200}`;
    }
    if (ip === '') ip = `10.${(user >> 16) & 255}.${(user >> 8) & 255}.${user & 255}`;
    let status = random() < 0.01 ? 401 : 200;
    let node = `10.0.1.${11 + (user % 4)}:8080`;
    if (random() < 0.05) {
      node = `10.0.1.${11 + Math.floor(random() * 4)}:8080`;
      if (random() < 0.3) status = 401;
    }
    if (time >= storm - 120_000) node = node.replace('10.0.1.14', '10.0.1.15');
    if (time >= storm && time < storm + 60_000 && random() < 0.5) status = 401;
    const agent = AGENTS[user % AGENTS.length];
    const request = `${random() < 0.2 ? 'POST' : 'GET'} ${PATHS[index % PATHS.length]} HTTP/1.1`;
    let line = `${ip} - - [${timeLocal(time)}] "${request}" ${status} ${200 + (index % 9000)} "https://shop.example/" "${agent}"`;
    if (custom) line += ` ${node} sid=${hex(user * 2654435761 >>> 0, 8)}${hex(user, 8)} rid=${hex(index, 16)}${hex(user, 16)}`;
    chunk.push(line);
    if (chunk.length === 10_000) {
      writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  closeSync(fd);
}

function run(args, dir) {
  // The CLI as users run it, plus a hook that reports its peak RSS on exit.
  const hook = path.join(dir, 'rss-hook.mjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`\\nmaxrss=${process.resourceUsage().maxRSS}\\n`));\n");
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', hook, bin, 'logs', ...args, '--format', 'json', '--fail-on', 'none'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`logs failed (${result.status}): ${result.stderr}`);
  const rss = Number(/maxrss=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  return { ms, rss, report: JSON.parse(result.stdout) };
}

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-bench-logs-'));
try {
  const combined = path.join(dir, 'combined.log');
  const custom = path.join(dir, 'custom.log');
  generate(combined, false);
  generate(custom, true);
  console.log(`session-audit logs bench (node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')})`);
  for (const [name, file, args] of [
    ['nginx combined', combined, []],
    ['custom log_format (upstream, session cookie, request id)', custom, ['--nginx-format', CUSTOM]],
  ]) {
    run([file, ...args], dir); // warm the page cache
    const runs = [1, 2, 3].map(() => run([file, ...args], dir));
    const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
    const mb = statSync(file).size / 1048576;
    const rate = Math.round(LINES / (best.ms / 1000));
    const findings = best.report.findings.map((finding) => finding.ruleId).sort();
    const counts = Object.entries(findings.reduce((acc, id) => ({ ...acc, [id]: (acc[id] ?? 0) + 1 }), {}))
      .map(([id, n]) => `${id} ${n}`)
      .join(', ');
    console.log(
      `logs ${name}: ${LINES.toLocaleString('en-US')} lines (${mb.toFixed(0)} MiB) in ${(best.ms / 1000).toFixed(2)} s (best of 3, whole CLI run) = ` +
        `${rate.toLocaleString('en-US')} lines/s  (target >= 500,000); peak RSS ${best.rss.toFixed(0)} MiB`,
    );
    const tracking = best.report.logs.tracking;
    console.log(
      `  sessions seen ${tracking.sessions.toLocaleString('en-US')}, tracked at most ${tracking.capacity.toLocaleString('en-US')} at once (${tracking.evicted.toLocaleString('en-US')} evicted); ` +
        `timeline ${best.report.logs.timeline.buckets} buckets of ${best.report.logs.timeline.bucketSeconds} s; findings: ${counts || 'none'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
