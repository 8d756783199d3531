/**
 * Real redis-server processes for tests: standalone (optionally TLS and ACL), a 3-master cluster,
 * and a Sentinel. Each runs on free loopback ports in its own temp dir and is always killed: by
 * stop() (call it in afterAll), by a process exit hook, and by the kernel (PR_SET_PDEATHSIG via
 * setpriv) if the test process dies without running hooks. Nothing here touches a server it did
 * not start; the machine's own Redis on 6379 is never contacted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RedisProcess {
  host: string;
  port: number;
  /** redis:// (or rediss:// for TLS) URL of this server, without credentials. */
  url: string;
  dir: string;
  pid: number;
  /** SIGKILL the process now (the "server dies mid-scan" case); stop() still cleans up. */
  kill(): void;
  stop(): Promise<void>;
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
  clientCert: string;
  clientKey: string;
}

export interface StartOptions {
  /** Extra redis-server arguments, e.g. ['--maxmemory', '10mb']; they win over the defaults. */
  args?: string[];
  /** ACL file contents (lines like `user reader on >pw ~* +scan`); written to the temp dir. */
  aclFile?: string;
  /** Serve TLS only (plain port disabled); `true` or `{ authClients: true }` to require client certs. */
  tls?: boolean | { authClients?: boolean };
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const live = new Set<ChildProcess>();

// Last line of defence for `afterAll` that never ran (a crash, a timeout): kill whatever is left.
// child.kill() is synchronous (it only sends the signal), so it is safe in an 'exit' handler.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** setpriv --pdeathsig makes the kernel kill the server if this process dies without cleaning up. */
const hasSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

export const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** A port nobody listens on right now (there is a tiny race until the server binds; start() retries). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `session-audit-${prefix}-`));
}

/**
 * Spawn redis-server (or the sentinel) and resolve once its log (stdout) contains `readyLine`.
 * Rejects with the log when it exits first (a port lost to the race, a bad argument) or is slow.
 */
function spawnServer(args: string[], cwd: string, readyLine: RegExp): Promise<ChildProcess> {
  const command = hasSetpriv ? 'setpriv' : 'redis-server';
  const argv = hasSetpriv ? ['--pdeathsig', 'SIGKILL', 'redis-server', ...args] : args;
  const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server ${args.join(' ')} not ready after ${READY_TIMEOUT_MS} ms:\n${log}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (readyLine.test(log)) {
        clearTimeout(timer);
        // Keep draining the pipes so a chatty server never blocks on a full pipe.
        child.stdout!.off('data', onData).resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${signal ?? code}) before it was ready:\n${log}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // No persistence to flush in tests: SIGKILL is instant and never hangs on a shutdown save.
    child.kill('SIGKILL');
  });
}

function handle(child: ChildProcess, port: number, dir: string, scheme = 'redis'): RedisProcess {
  return {
    host: HOST,
    port,
    url: `${scheme}://${HOST}:${port}`,
    dir,
    pid: child.pid!,
    kill: () => void child.kill('SIGKILL'),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Try a few times: the free port can be taken between freePort() and the server's bind. */
async function withPortRetry<T>(start: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start();
    } catch (error) {
      lastError = error;
      if (!/Address already in use|bind/i.test(String(error))) break;
    }
  }
  throw lastError;
}

// Defaults that make a test server cheap and side-effect free: no RDB, no AOF, log to stdout.
const BASE_ARGS = ['--save', '', '--appendonly', 'no', '--logfile', '', '--daemonize', 'no', '--bind', HOST];

/** Throwaway CA, server cert (SAN 127.0.0.1/localhost) and client cert, EC keys (fast to make). */
export function makeTlsFiles(dir: string): TlsFiles {
  const file = (name: string) => path.join(dir, name);
  const run = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
  };
  const ecKey = (name: string) => run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file(name)]);
  ecKey('ca.key');
  run(['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2', '-subj', '/CN=session-audit test CA', '-out', 'ca.crt']);
  const leaf = (name: string, cn: string, ext: string) => {
    ecKey(`${name}.key`);
    run(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
    writeFileSync(file(`${name}.ext`), ext);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  };
  leaf('server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'session-audit test client', 'extendedKeyUsage=clientAuth\n');
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key'), clientCert: file('client.crt'), clientKey: file('client.key') };
}

/** A standalone redis-server. With `tls`, `tls` holds the generated files for the client side. */
export async function startRedis(options: StartOptions = {}): Promise<RedisProcess & { tls?: TlsFiles }> {
  const dir = tempDir('redis');
  try {
    const tls = options.tls ? makeTlsFiles(dir) : undefined;
    const authClients = typeof options.tls === 'object' && options.tls.authClients ? 'yes' : 'optional';
    if (options.aclFile !== undefined) writeFileSync(path.join(dir, 'users.acl'), options.aclFile);
    return await withPortRetry(async () => {
      const port = await freePort();
      const args = [
        ...BASE_ARGS,
        '--dir', dir,
        ...(tls
          ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', authClients]
          : ['--port', String(port)]),
        ...(options.aclFile !== undefined ? ['--aclfile', path.join(dir, 'users.acl')] : []),
        ...(options.args ?? []),
      ];
      const child = await spawnServer(args, dir, /Ready to accept connections/);
      return { ...handle(child, port, dir, tls ? 'rediss' : 'redis'), tls };
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface RedisCluster {
  nodes: RedisProcess[];
  /** Seed URL (the first master). */
  url: string;
  stop(): Promise<void>;
}

/**
 * `masters` cluster-enabled servers joined by `redis-cli --cluster create --cluster-replicas 0`.
 * Redis 7's `cluster-port` pins the bus port to a second free port (the default port+10000 could
 * be taken or above 65535). Resolves once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const nodes: RedisProcess[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: masters }, async () => {
        const dir = tempDir('cluster');
        return withPortRetry(async () => {
          const [port, busPort] = [await freePort(), await freePort()];
          const args = [
            ...BASE_ARGS, '--dir', dir, '--port', String(port), '--cluster-port', String(busPort),
            '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '5000',
          ];
          const child = await spawnServer(args, dir, /Ready to accept connections/);
          return handle(child, port, dir);
        });
      }),
    );
    nodes.push(...started);
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `${HOST}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    await waitFor(() => nodes.every((n) => /cluster_state:ok/.test(cli(n.port, ['CLUSTER', 'INFO']))), 'cluster_state:ok');
    return { nodes, url: nodes[0].url, stop: () => stopAll(nodes) };
  } catch (error) {
    await stopAll(nodes);
    throw error;
  }
}

export interface Sentinel extends RedisProcess {
  masterName: string;
}

/** A Sentinel monitoring `masterPort` (a server this test started) as `masterName`, quorum 1. */
export async function startSentinel(masterPort: number, masterName = 'mymaster', options: { password?: string } = {}): Promise<Sentinel> {
  const dir = tempDir('sentinel');
  try {
    return await withPortRetry(async () => {
      const port = await freePort();
      // Sentinel rewrites its config file, so it must be a real, writable file.
      const config = path.join(dir, 'sentinel.conf');
      writeFileSync(
        config,
        [
          `port ${port}`,
          `bind ${HOST}`,
          `dir ${dir}`,
          'logfile ""',
          `sentinel monitor ${masterName} ${HOST} ${masterPort} 1`,
          `sentinel down-after-milliseconds ${masterName} 5000`,
          ...(options.password ? [`requirepass ${options.password}`] : []),
          '',
        ].join('\n'),
      );
      const child = await spawnServer([config, '--sentinel'], dir, /\+monitor master/);
      return { ...handle(child, port, dir), masterName };
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopAll(processes: RedisProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop()));
}

/** redis-cli against a server we started (used only for setup checks, never for the code under test). */
export function cli(port: number, args: string[], extra: string[] = []): string {
  const result = spawnSync('redis-cli', ['-h', HOST, '-p', String(port), ...extra, ...args], { encoding: 'utf8', timeout: 10_000 });
  return `${result.stdout}${result.stderr}`;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Why the TLS tests cannot run here, or undefined when they can (redis-server is built with TLS). */
export const tlsSkipReason: string | undefined = hasOpenssl ? undefined : 'openssl is not on PATH, so no throwaway CA and certificate can be made';
