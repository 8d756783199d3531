#!/usr/bin/env node
// Log reader throughput (target: at least 500,000 lines/s for nginx combined, plain file to records,
// on the 2-core machine). Runs readLogs from dist/ (a child process per scenario) on logs generated in a temp dir:
// nginx combined (plain and gzip), a custom nginx format with cookies and bearer tokens, and pino
// JSON lines. Prints lines/s (wall clock, best of BENCH_RUNS), lines per CPU-second (user+system CPU of
// the reading process, which a busy machine disturbs far less) and the peak RSS of the run, with the
// load average, since other work on the machine slows it. Printed, never asserted.
//   BENCH_LOG_LINES (default 2,000,000; the custom-format and JSON scenarios use a quarter, their lines
//   are 3-4 times longer), BENCH_RUNS (default 3)
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '../..');
const { readLogs } = await import(pathToFileURL(path.join(root, 'dist/logs/read-logs.js')).href);
const LINES = Number(process.env.BENCH_LOG_LINES ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);


const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'curl/8.4.0',
];
const PATHS = ['/', '/api/cart', '/api/orders?page=2', '/login', '/static/app.js', '/api/me'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const base = Date.UTC(2026, 10, 20, 8, 0, 0);
const pad = (n) => String(n).padStart(2, '0');
const clf = (ms) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
};
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (i) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: `u-${i}`, jti: `j-${i}`, exp: 1800000000 })}.${'s'.repeat(342)}`;

function* combined(count) {
  for (let i = 0; i < count; i++) {
    const ms = base + i * 5; // 200 requests per second
    yield `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} - - [${clf(ms)}] "GET ${PATHS[i % PATHS.length]} HTTP/1.1" ${i % 50 === 0 ? 404 : 200} ${1000 + (i % 5000)} "https://shop.example.com/" "${AGENTS[i % AGENTS.length]}"\n`;
  }
}
const CUSTOM = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_cookie" "$http_authorization" $upstream_addr $request_id';
function* custom(count) {
  for (let i = 0; i < count; i++) {
    const user = i % 2000; // 2,000 users, each with a session and a token seen many times
    yield `10.1.${(user >> 8) & 255}.${user & 255} - - [${clf(base + i * 5)}] "GET ${PATHS[i % PATHS.length]} HTTP/1.1" 200 512 "-" "${AGENTS[i % AGENTS.length]}" "theme=dark; connect.sid=s%3A${user.toString(16).padStart(24, '0')}.sig" "Bearer ${jwt(user)}" 10.0.0.${1 + (i % 3)}:8080 ${(i * 2654435761 >>> 0).toString(16).padStart(32, '0')}\n`;
  }
}
function* pino(count) {
  for (let i = 0; i < count; i++) {
    yield `${JSON.stringify({ level: 30, time: base + i * 5, pid: 4242, hostname: `shop-${i % 3}`, reqId: `req-${i}`, req: { method: 'GET', url: PATHS[i % PATHS.length], headers: { host: 'shop.example.com', 'user-agent': AGENTS[i % AGENTS.length] }, remoteAddress: `10.2.0.${i & 255}`, remotePort: 50000 + (i % 1000) }, res: { statusCode: 200 }, responseTime: 3, msg: 'request completed' })}\n`;
  }
}

async function write(name, lines, gzip = false) {
  const file = path.join(dir, name);
  const batches = async function* () {
    let batch = '';
    for (const line of lines) {
      batch += line;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  };
  await pipeline(Readable.from(batches()), ...(gzip ? [createGzip({ level: 6 })] : []), createWriteStream(file));
  return file;
}

// Each scenario runs in a child process, so its peak RSS (maxRSS) is its own, not the generator's.
async function measure(name, file, options) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', file, JSON.stringify(options)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  const { best, bestCpu, records, maxRss } = JSON.parse(child.stdout);
  const mb = (statSync(file).size / 1e6).toFixed(0);
  const rate = (seconds) => Math.round(records / seconds).toLocaleString('en-US').padStart(11);
  console.log(`${name.padEnd(44)} ${rate(best)} lines/s wall, ${rate(bestCpu)} lines/CPU-s  (${records.toLocaleString('en-US')} lines, ${mb} MB, best ${best.toFixed(2)} s, peak RSS ${(maxRss / 1024).toFixed(0)} MiB)`);
}

if (process.argv[2] === '--measure') {
  const [file, options] = [process.argv[3], JSON.parse(process.argv[4])];
  let best = Infinity;
  let bestCpu = Infinity;
  let records = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    let count = 0;
    await readLogs([file], options, () => void count++);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
    records = count;
  }
  process.stdout.write(JSON.stringify({ best, bestCpu, records, maxRss: process.resourceUsage().maxRSS }));
  process.exit(0);
}

console.log(`session-audit log readers: best of ${RUNS}; ${cpus().length} CPUs, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);
const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-logs-bench-'));
try {
  // A quarter of the lines first: the same peak RSS for 4x the input shows memory does not grow with it.
  const small = await write('small.log', combined(LINES / 4));
  await measure(`nginx combined, plain, ${(LINES / 4).toLocaleString('en-US')} lines`, small, { format: 'auto' });
  const plain = await write('combined.log', combined(LINES));
  await measure('nginx combined, plain (auto-detected)', plain, { format: 'auto' });
  const gz = await write('combined.log.gz', combined(LINES), true);
  await measure('nginx combined, gzip', gz, { format: 'auto' });
  const customFile = await write('custom.log', custom(LINES / 4));
  await measure('custom nginx format, cookies + bearer JWTs', customFile, { format: 'auto', nginxFormat: CUSTOM, sessionCookie: 'connect.sid' });
  const json = await write('pino.log', pino(LINES / 4));
  await measure('pino JSON lines', json, { format: 'auto' });
  console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
