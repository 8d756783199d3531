/**
 * A real memcached for tests, on a free loopback port, that never outlives the test process.
 *
 * memcached runs under a tiny sh wrapper that holds our end of a pipe on fd 3: when this process
 * exits for any reason (even SIGKILL, when no exit hook runs) the pipe closes, `cat` returns and the
 * wrapper kills memcached. On top of that, stop() (called by useMemcached's afterAll) and an exit hook
 * kill it directly. Startup has a deadline, so a broken install fails the test instead of hanging it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface MemcachedServer {
  host: string;
  port: number;
  /** `host:port`, what `--memcached` takes. */
  address: string;
  /** memcached's own pid (not the wrapper's): tests kill it to simulate a crash. */
  pid: number;
  /** Kill memcached at once (SIGKILL by default), as a crash would; stop() still cleans up. */
  kill(signal?: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export interface MemcachedServerOptions {
  /** Extra memcached arguments, e.g. ['-o', 'no_lru_crawler'] or ['-X']. */
  args?: string[];
  /** Memory limit in MB (memcached's -m). */
  memoryMb?: number;
}

const WRAPPER = [
  'exec 3<&0', // background jobs get /dev/null as stdin: keep the pipe on fd 3 for the watcher
  'memcached "$@" 3<&- </dev/null & pid=$!',
  'echo "$pid"',
  '(cat <&3 >/dev/null; kill -9 "$pid" 2>/dev/null) &',
  'exec 3<&-',
  'wait "$pid"',
].join('\n');

/** Live memcached pids, killed synchronously if the process exits without stop(). */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) killQuietly(pid, 'SIGKILL');
});

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function startMemcached(options: MemcachedServerOptions = {}): Promise<MemcachedServer> {
  // A free port can be taken between our probe and memcached's bind: try again on another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), options);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** beforeAll/afterAll around one server for a describe block or file; call the getter inside tests. */
export function useMemcached(options: MemcachedServerOptions = {}): () => MemcachedServer {
  let server: MemcachedServer | undefined;
  beforeAll(async () => {
    server = await startMemcached(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('memcached test server not started (call useMemcached at describe level)');
    return server;
  };
}

async function startOnce(port: number, options: MemcachedServerOptions): Promise<MemcachedServer> {
  const host = '127.0.0.1';
  const args = ['-l', host, '-p', String(port), '-U', '0', '-m', String(options.memoryMb ?? 32), '-t', '2', '-c', '128'];
  // memcached refuses to run as root unless told which user to be.
  if (process.getuid?.() === 0) args.push('-u', 'root');
  args.push(...(options.args ?? []));

  const wrapper = spawn('sh', ['-c', WRAPPER, 'memcached-wrapper', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  wrapper.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => wrapper.once('exit', () => resolve()));
  let pid = 0;
  void exited.then(() => {
    running.delete(pid);
    wrapper.stdin!.destroy(); // lets the wrapper's watcher exit too
  });
  // No graceful shutdown needed: kill memcached, close the pipe, and never wait more than 5 s for sh.
  const stop = async () => {
    if (pid > 0) killQuietly(pid, 'SIGKILL');
    wrapper.stdin!.destroy();
    if (wrapper.exitCode !== null || wrapper.signalCode !== null) return;
    await withDeadline(exited, 5000, 'memcached wrapper did not exit').catch(() => wrapper.kill('SIGKILL'));
  };

  try {
    const printed = await withDeadline(firstLine(wrapper), 5000, 'memcached wrapper printed no pid');
    if (!Number.isInteger(printed) || printed <= 0) throw new Error(`memcached wrapper printed no pid: ${stderr.trim()}`);
    pid = printed;
    running.add(pid);
    await waitForPort(host, port, Date.now() + 10_000, () => {
      if (wrapper.exitCode === 127) throw new Error('memcached is not installed (apt-get install memcached; .ci/run installs it)');
      if (wrapper.exitCode !== null || wrapper.signalCode !== null) throw new Error(`memcached exited at startup: ${stderr.trim() || 'no message'}`);
    });
    return {
      host,
      port,
      address: `${host}:${port}`,
      pid,
      kill: (signal = 'SIGKILL') => killQuietly(pid, signal),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function firstLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(Number(text.slice(0, newline)));
    });
    child.once('exit', () => reject(new Error('memcached wrapper exited before printing a pid')));
  });
}

/** Poll until memcached accepts connections; `check` throws if it died; a deadline, never a hang. */
async function waitForPort(host: string, port: number, deadline: number, check: () => void): Promise<void> {
  for (;;) {
    check();
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`memcached did not listen on ${host}:${port} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
