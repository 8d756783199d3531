/**
 * RedisReader: one connected node behind a small interface of read commands. The ioredis client
 * stays private to this module; callers can only send what read-commands.ts allows, and every
 * failure comes back as an InputError naming the (redacted) source.
 */
import type { Redis } from 'ioredis';
import { assertReadCommand } from './read-commands.js';
import { commandError } from './errors.js';

export type Arg = string | number | Buffer;
/** One pipelined reply: the value, or the server's error for that command alone. */
export type PipelineReply = { ok: true; value: unknown } | { ok: false; error: Error };

export interface RedisReader {
  /** Password-free URL of this node, e.g. redis://reader@10.0.0.5:6379. */
  readonly source: string;
  /** host:port as dialled. */
  readonly address: string;
  /** Send one read command; replies decoded as strings. */
  call(command: string, ...args: Arg[]): Promise<unknown>;
  /** Same, with bulk replies as Buffers (binary-safe, and cheaper for packed replies). */
  callBuffer(command: string, ...args: Arg[]): Promise<unknown>;
  /** Many read commands in one write; per-command errors are returned, not thrown. */
  pipeline(commands: readonly (readonly [string, ...Arg[]])[]): Promise<PipelineReply[]>;
  info(section?: string): Promise<string>;
  /** CONFIG GET as a map; `undefined` when CONFIG is refused (managed services often do). */
  configGet(pattern: string): Promise<Map<string, string> | undefined>;
  close(): Promise<void>;
}

export function createReader(client: Redis, source: string, address: string): RedisReader {
  const wrap = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw commandError(source, what, error);
    }
  };
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
    async pipeline(commands) {
      for (const [command, ...args] of commands) assertReadCommand(command, args);
      if (commands.length === 0) return [];
      const results = await wrap('pipeline', () => client.pipeline(commands.map(([c, ...a]) => ['call', c, ...a])).exec());
      // exec() resolves null only when the pipeline could not be sent at all.
      if (!results) throw commandError(source, 'pipeline', new Error('Connection is closed.'));
      // A per-command error that is not the server's reply means the connection went away.
      const lost = results.find(([error]) => error && error.name !== 'ReplyError');
      if (lost) throw commandError(source, 'pipeline', lost[0]);
      return results.map(([error, value]): PipelineReply => (error ? { ok: false, error } : { ok: true, value }));
    },
    async info(section) {
      return String(await reader.call('INFO', ...(section ? [section] : [])));
    },
    async configGet(pattern) {
      try {
        const flat = (await client.call('CONFIG', 'GET', pattern)) as string[];
        const map = new Map<string, string>();
        for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
        return map;
      } catch (error) {
        // NOPERM / unknown command (renamed or disabled): report "could not check", go on.
        if ((error as Error)?.name === 'ReplyError') return undefined;
        throw commandError(source, 'CONFIG GET', error);
      }
    },
    async close() {
      // QUIT is polite but waits for a reply; a dead server must not make close() hang.
      client.disconnect();
    },
  };
  return reader;
}

/** INFO text -> field map (`role` -> `master`, `cluster_enabled` -> `1`...). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
