// Throwaway redis-server processes for the benches (redis-scan.js, revoke.js): started on free
// loopback ports with nothing on disk, killed when the bench process exits. Never any other server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(extra = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-bench-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', '', ...extra];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  await new Promise((resolve, reject) => {
    let log = '';
    child.stdout.on('data', (chunk) => {
      log += chunk;
      if (log.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited:\n${log}`)));
  });
  child.stdout.resume();
  return { port, pid: child.pid, url: `redis://127.0.0.1:${port}`, stop: () => (child.kill('SIGKILL'), rmSync(dir, { recursive: true, force: true })) };
}

export const cli = (port, ...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();

/**
 * Three masters joined with `redis-cli --cluster create`, and `owner[slot]` = the port serving it,
 * so loaders can send each master exactly the keys of its slots.
 */
export async function startCluster(masters = 3) {
  const nodes = [];
  for (let i = 0; i < masters; i++) {
    nodes.push(await startServer(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(await freePort())]));
  }
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (create.status !== 0) throw new Error(create.stdout + create.stderr);
  while (!nodes.every((n) => cli(n.port, 'CLUSTER', 'INFO').includes('cluster_state:ok'))) await new Promise((r) => setTimeout(r, 50));
  const owner = new Array(16384);
  for (const n of nodes) {
    for (const line of cli(n.port, 'CLUSTER', 'NODES').split('\n').filter((l) => l.includes('myself'))) {
      for (const range of line.split(' ').slice(8)) {
        const [a, b] = range.split('-').map(Number);
        for (let s = a; s <= (b ?? a); s++) owner[s] = n.port;
      }
    }
  }
  return { nodes, owner };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time of the redis-server processes (utime + stime from /proc), in ms: the server's share of a run. */
export function serverCpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** The cluster hash slot of a key without a hash tag (CRC16/XMODEM), as the loaders need it. */
export function crc16(text) {
  let crc = 0;
  for (const byte of Buffer.from(text)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The floor of any SCAN-based walk: a bare ioredis SCAN of the whole keyspace, nothing else per key. */
export async function scanFloor(url, { match, count }) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { protocol: 2 });
  const started = performance.now();
  let cursor = '0';
  let keys = 0;
  do {
    const [next, page] = match ? await client.scan(cursor, 'MATCH', match, 'COUNT', count) : await client.scan(cursor, 'COUNT', count);
    cursor = next;
    keys += page.length;
  } while (cursor !== '0');
  const ms = performance.now() - started;
  client.disconnect();
  return { ms, keys };
}
