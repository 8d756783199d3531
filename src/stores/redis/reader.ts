/**
 * RedisReader: one connected node behind a small interface of read commands. The ioredis client
 * stays private to this module; callers can only send what read-commands.ts allows, and every
 * failure comes back as an InputError naming the (redacted) source.
 */
import type { Redis } from 'ioredis';
import { assertReadCommand, isReadCommand } from './read-commands.js';
import { commandError, RedisReplyError } from './errors.js';
import { isAllowedWrite } from './write-commands.js';

export type Arg = string | number | Buffer;
/** One pipelined reply, as ioredis gives it: [the server's error for that command, or null; the value]. */
export type PipelineReply = [error: Error | null, value: unknown];

export interface RedisReader {
  /** Password-free URL of this node, e.g. redis://reader@10.0.0.5:6379. */
  readonly source: string;
  /** host:port as dialled. */
  readonly address: string;
  /** Send one read command; replies decoded as strings. */
  call(command: string, ...args: Arg[]): Promise<unknown>;
  /** Same, with bulk replies as Buffers (binary-safe, and cheaper for packed replies). */
  callBuffer(command: string, ...args: Arg[]): Promise<unknown>;
  /**
   * Many read commands in one write; per-command errors are returned, not thrown.
   * `buffers`: bulk replies as Buffers (values read for `revoke --user`).
   */
  pipeline(commands: readonly (readonly [string, ...Arg[]])[], options?: { buffers?: boolean }): Promise<PipelineReply[]>;
  info(section?: string): Promise<string>;
  /** CONFIG GET as a map; `undefined` when CONFIG is refused (managed services often do). */
  configGet(pattern: string): Promise<Map<string, string> | undefined>;
  close(): Promise<void>;
}

/**
 * @param commandMs deadline for one call or one pipeline. Enforced here, with one timer per call,
 *   rather than with ioredis's commandTimeout, which arms a timer per command: on a pipelined page
 *   of 1000 PTTLs that was a third of the client's time (timers and the garbage they leave).
 *   On expiry the connection is dropped: after a lost reply its state is unknown anyway.
 */
/** Commands whose permission does not depend on a subcommand argument: safe to check once per name. */
const SUBCOMMAND_FREE = {
  PTTL: 1, TYPE: 1, SCAN: 1, TTL: 1, EXISTS: 1, GET: 1, HGETALL: 1, HMGET: 1,
  // Writes: cached only after they passed this connection's own check (a reader never passes them).
  UNLINK: 1, DUMP: 1, SREM: 1, RESTORE: 1, SADD: 1, PEXPIRE: 1, ASKING: 1,
} as const;

type Wrap = <T>(what: string, run: () => Promise<T>) => Promise<T>;

function deadlineWrapper(client: Redis, source: string, commandMs: number): Wrap {
  return async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error('Command timed out'));
        client.disconnect();
      }, commandMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (error) {
      throw commandError(source, what, error);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Send a pipeline whose commands `check` accepted; per-command server errors are returned, transport errors thrown. */
async function runPipeline(
  client: Redis,
  wrap: Wrap,
  source: string,
  commands: readonly (readonly [string, ...Arg[]])[],
  check: (command: string, args: readonly Arg[]) => void,
  buffers: boolean,
): Promise<PipelineReply[]> {
  if (commands.length === 0) return [];
  const pipeline = client.pipeline();
  // A page is thousands of the same command: check a single-word command once, not per key.
  const checked = new Set<string>();
  for (const [command, ...args] of commands) {
    if (!checked.has(command)) {
      check(command, args);
      if (command in SUBCOMMAND_FREE) checked.add(command);
    }
    if (buffers) pipeline.callBuffer(command, ...args);
    else pipeline.call(command, ...args);
  }
  const results = await wrap('pipeline', () => pipeline.exec());
  // exec() resolves null only when the pipeline could not be sent at all.
  if (!results) throw commandError(source, 'pipeline', new Error('Connection is closed.'));
  // A per-command error that is not the server's reply means the connection went away.
  const lost = results.find(([error]) => error && error.name !== 'ReplyError');
  if (lost) throw commandError(source, 'pipeline', lost[0]);
  return results as PipelineReply[];
}

export function createReader(client: Redis, source: string, address: string, commandMs: number): RedisReader {
  const wrap = deadlineWrapper(client, source, commandMs);
  const reader: RedisReader = {
    source,
    address,
    call(command, ...args) {
      assertReadCommand(command, args);
      return wrap(command, () => client.call(command, ...args));
    },
    callBuffer(command, ...args) {
      assertReadCommand(command, args);
      return wrap(command, () => client.callBuffer(command, ...args));
    },
    pipeline(commands, options) {
      return runPipeline(client, wrap, source, commands, assertReadCommand, options?.buffers === true);
    },
    async info(section) {
      return String(await reader.call('INFO', ...(section ? [section] : [])));
    },
    async configGet(pattern) {
      try {
        const flat = (await wrap('CONFIG GET', () => client.call('CONFIG', 'GET', pattern))) as string[];
        const map = new Map<string, string>();
        for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
        return map;
      } catch (error) {
        // NOPERM / unknown command (renamed or disabled): report "could not check", go on.
        if (error instanceof RedisReplyError) return undefined;
        throw error;
      }
    },
    async close() {
      // QUIT is polite but waits for a reply; a dead server must not make close() hang.
      client.disconnect();
    },
  };
  return reader;
}

/**
 * A node that may also send an explicit list of write commands (write-commands.ts), and nothing
 * else: `write` and `writePipeline` accept the read commands plus `writes`; `call` and `pipeline`
 * stay read-only. Opened with openNode(..., { writes }) only by `revoke` and `restore`.
 */
export interface RedisWriter extends RedisReader {
  /** The write commands this node accepts (upper case). */
  readonly writes: ReadonlySet<string>;
  /** One read or listed write command; `buffers`: bulk replies as Buffers (DUMP). */
  write(command: string, ...args: Arg[]): Promise<unknown>;
  writeBuffer(command: string, ...args: Arg[]): Promise<unknown>;
  /** Read and listed write commands in one pipeline; per-command errors (MOVED, BUSYKEY, NOPERM) are returned. */
  writePipeline(commands: readonly (readonly [string, ...Arg[]])[], options?: { buffers?: boolean }): Promise<PipelineReply[]>;
}

export function assertWriteCommand(writes: ReadonlySet<string>, name: string, args: readonly unknown[]): void {
  const sub = typeof args[0] === 'string' ? args[0] : undefined;
  if (isReadCommand(name, sub) || isAllowedWrite(writes, name, args)) return;
  // A programming error: fail before anything reaches the server.
  throw new Error(`refusing to send ${name}${sub ? ` ${sub}` : ''}: not in this connection's command list`);
}

export function createWriter(client: Redis, source: string, address: string, commandMs: number, writeList: readonly string[]): RedisWriter {
  const writes: ReadonlySet<string> = new Set(writeList.map((name) => name.toUpperCase()));
  const wrap = deadlineWrapper(client, source, commandMs);
  const check = (command: string, args: readonly unknown[]) => assertWriteCommand(writes, command, args);
  return {
    ...createReader(client, source, address, commandMs),
    writes,
    write(command, ...args) {
      check(command, args);
      return wrap(command, () => client.call(command, ...args));
    },
    writeBuffer(command, ...args) {
      check(command, args);
      return wrap(command, () => client.callBuffer(command, ...args));
    },
    writePipeline(commands, options) {
      return runPipeline(client, wrap, source, commands, check, options?.buffers === true);
    },
  };
}

/**
 * A subscriber connection (`watch`): it can only SUBSCRIBE to channels and hear their messages. It is
 * a connection of its own because a client in subscriber mode cannot send other commands.
 */
export interface RedisSubscriber {
  readonly source: string;
  readonly address: string;
  /** SUBSCRIBE to these channels; resolves once the server confirmed them all. */
  subscribe(channels: readonly string[]): Promise<void>;
  /** Each message: the channel and its payload (for key events: the key name). */
  onMessage(handler: (channel: string, message: string) => void): void;
  /** Called once if the connection goes away without close() (server gone, killed client). */
  onLost(handler: (error: Error) => void): void;
  /**
   * A barrier: true once every message the server published before it was handed to onMessage (a
   * PING, whose reply comes after them), false if that takes longer than `timeoutMs` (the
   * subscriber is behind). The connection is left alone either way.
   */
  sync(timeoutMs: number): Promise<boolean>;
  /** UNSUBSCRIBE (best effort, bounded) and disconnect. */
  close(): Promise<void>;
}

export function createSubscriber(client: Redis, source: string, address: string, commandMs: number): RedisSubscriber {
  const wrap = deadlineWrapper(client, source, commandMs);
  let closing = false;
  let lost: ((error: Error) => void) | undefined;
  let lastError: Error | undefined;
  client.on('error', (error: Error) => (lastError = error));
  client.on('end', () => {
    if (!closing) lost?.(commandError(source, 'SUBSCRIBE', lastError ?? new Error('Connection is closed.')));
  });
  return {
    source,
    address,
    async subscribe(channels) {
      if (channels.length === 0) return;
      assertReadCommand('SUBSCRIBE', channels);
      await wrap('SUBSCRIBE', () => client.subscribe(...channels));
    },
    onMessage(handler) {
      client.on('message', handler);
    },
    onLost(handler) {
      lost = handler;
    },
    async sync(timeoutMs) {
      if (client.status !== 'ready') return false;
      assertReadCommand('PING', []);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([client.ping().then(() => true, () => false), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closing) return;
      closing = true;
      if (client.status === 'ready') {
        assertReadCommand('UNSUBSCRIBE', []);
        // A polite UNSUBSCRIBE, but never wait long for a server that stopped answering.
        await Promise.race([client.unsubscribe().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 300).unref())]);
      }
      client.disconnect();
    },
  };
}
