/**
 * Reading many keys at once for revoke: DUMP + PTTL for the backup, GET for the value filters.
 *
 * Fast path: ONE read-only Lua call (EVAL_RO, flags no-writes) per 1000 keys of a node, instead of a
 * command per key. A pipeline of 2,000,000 DUMP and PTTL commands cost the client more in command
 * objects and garbage collection than the server spent answering (test/bench/revoke.js); the script
 * returns each page as one array. DUMP and PTTL of a key are also read atomically this way.
 * `allow-cross-slot-keys` lets a cluster node's script touch keys of all the slots it serves.
 *
 * Fallback, per node and for good: one command per key through the router (MOVED / ASK followed),
 * when the server refuses the script (Redis < 7, an ACL without +eval_ro, scripting disabled) or a
 * page holds a key the node no longer serves (a slot moved: the script fails as a whole).
 */
import { RedisReplyError } from './errors.js';
import type { Arg, PipelineReply } from './reader.js';
import { UNLINK_PAGE_LUA } from './write-commands.js';
import type { KeyedCommand, NodeRouter } from './write-routing.js';

const PAGE = 1000;

export const DUMP_PAGE_LUA = `#!lua flags=no-writes,allow-cross-slot-keys
local out, pttl, call = {}, {}, redis.call
for i = 1, #ARGV do
  out[i + 1] = call('DUMP', ARGV[i])
  pttl[i] = call('PTTL', ARGV[i])
end
local parts = {}
for i = 1, #pttl, 1000 do
  local j = math.min(#pttl, i + 999)
  parts[#parts + 1] = struct.pack('<' .. string.rep('d', j - i + 1), unpack(pttl, i, j))
end
out[1] = table.concat(parts)
return out`;

/** GET per key; a key of another type is reported in the flags string ('W'), not as an error. */
export const GET_PAGE_LUA = `#!lua flags=no-writes,allow-cross-slot-keys
local out, flags = {}, {}
for i = 1, #ARGV do
  local v = redis.pcall('GET', ARGV[i])
  if type(v) == 'table' and v.err then
    out[i + 1] = false
    flags[i] = 'W'
  else
    out[i + 1] = v
    flags[i] = '.'
  end
end
out[1] = table.concat(flags)
return out`;

export interface KeyRef {
  key: string;
  /** host:port of the node to read it on (the node the walk found it on); default: the slot's owner. */
  node?: string;
}

export interface Dumped {
  /** DUMP payload, or null when the key is gone. */
  dump: Buffer | null;
  /** Remaining TTL in ms; -1 none; -2 gone. */
  pttl: number;
}

/** Nodes where the script path failed: the rest of the run reads them per key. */
const noScript = new WeakMap<NodeRouter, Set<string>>();

async function byNode(router: NodeRouter, items: readonly KeyRef[]): Promise<Map<string, number[]>> {
  const groups = new Map<string, number[]>();
  const unrouted = items.some((item) => item.node === undefined);
  const owners = unrouted ? await router.addressesFor(items.map((item) => item.key)) : undefined;
  for (let i = 0; i < items.length; i++) {
    const address = items[i].node ?? owners![i];
    const group = groups.get(address);
    if (group) group.push(i);
    else groups.set(address, [i]);
  }
  return groups;
}

/**
 * Run `script` over the keys, page by page, per node; `decode` turns one page's reply into one
 * result per key. Pages the script could not do are done by `fallback` (per-key commands).
 */
async function scripted<T, R = Buffer[]>(
  router: NodeRouter,
  items: readonly KeyRef[],
  script: string,
  decode: (reply: R, count: number) => T[],
  fallback: (items: readonly KeyRef[]) => Promise<T[]>,
  options: { command?: 'EVAL_RO' | 'EVAL'; page?: number; beforePage?: (count: number) => Promise<void> } = {},
): Promise<T[]> {
  const pageSize = options.page ?? PAGE;
  const command = options.command ?? 'EVAL_RO';
  const results = new Array<T>(items.length);
  const refused = noScript.get(router) ?? noScript.set(router, new Set()).get(router)!;
  const groups = await byNode(router, items);
  await Promise.all(
    [...groups].map(async ([address, indexes]) => {
      for (let from = 0; from < indexes.length; from += pageSize) {
        const page = indexes.slice(from, from + pageSize);
        await options.beforePage?.(page.length);
        let values: T[] | undefined;
        if (!refused.has(`${command} ${address}`)) {
          try {
            const node = await router.node(address);
            const keys = page.map((i) => items[i].key);
            const reply = (command === 'EVAL' ? await node.writeBuffer('EVAL', script, 0, ...keys) : await node.callBuffer('EVAL_RO', script, 0, ...keys)) as R;
            values = decode(reply, page.length);
          } catch (error) {
            if (!(error instanceof RedisReplyError)) throw error;
            // Refused for good (unknown command, NOPERM, scripting off), or a key this node no
            // longer serves: per key from here on for this node (redirects are followed there).
            refused.add(`${command} ${address}`);
          }
        }
        values ??= await fallback(page.map((i) => ({ key: items[i].key, node: address })));
        page.forEach((index, j) => (results[index] = values![j]));
      }
    }),
  );
  return results;
}

function unpackDoubles(buffer: Buffer, count: number): number[] {
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = buffer.readDoubleLE(i * 8);
  return out;
}

/** DUMP + PTTL of each key (null dump: the key is gone). Per-command refusals (NOPERM) are thrown by `onError`. */
export async function dumpKeys(router: NodeRouter, items: readonly KeyRef[], onError: (command: string, error: Error) => never): Promise<Dumped[]> {
  if (items.length === 0) return [];
  return scripted(
    router,
    items,
    DUMP_PAGE_LUA,
    (reply, count) => {
      const pttl = unpackDoubles(reply[0], count);
      return pttl.map((p, i) => ({ dump: reply[i + 1] ?? null, pttl: p }));
    },
    async (page) => {
      const commands: KeyedCommand[] = page.flatMap((item) => [
        { key: item.key, node: item.node, command: ['DUMP', item.key] as [string, ...Arg[]] },
        { key: item.key, node: item.node, command: ['PTTL', item.key] as [string, ...Arg[]] },
      ]);
      const replies = await router.send(commands, { buffers: true });
      return page.map((_, i) => {
        const [dumpError, dump] = replies[2 * i];
        const [pttlError, pttl] = replies[2 * i + 1];
        if (dumpError) onError('DUMP', dumpError);
        if (pttlError) onError('PTTL', pttlError);
        return { dump: (dump as Buffer | null) ?? null, pttl: Number(pttl) };
      });
    },
  );
}

/** GET of each key, as pipeline replies: [error or null, Buffer or null] (a WRONGTYPE is an error reply). */
export async function getValues(router: NodeRouter, items: readonly KeyRef[]): Promise<PipelineReply[]> {
  if (items.length === 0) return [];
  return scripted(
    router,
    items,
    GET_PAGE_LUA,
    (reply, count) => {
      const flags = reply[0].toString('latin1');
      return Array.from({ length: count }, (_, i): PipelineReply => (flags[i] === 'W' ? [wrongType(), null] : [null, reply[i + 1] ?? null]));
    },
    (page) => router.send(page.map((item) => ({ key: item.key, node: item.node, command: ['GET', item.key] as [string, ...Arg[]] })), { buffers: true }),
  );
}

function wrongType(): Error {
  const error = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
  error.name = 'ReplyError';
  return error;
}

/**
 * UNLINK of each key, one key per call, on the node given (the master the walk found it on): the
 * allow-listed script of write-commands.ts per page, each key it could not do ('E': moved, refused)
 * then one command per key through the router (MOVED / ASK followed). Returns 1 (deleted) or 0 per
 * key; a refusal is thrown by `onError`. `beforePage` runs before each page (the --rate bucket).
 */
export async function unlinkKeys(
  router: NodeRouter,
  items: readonly KeyRef[],
  onError: (command: string, error: Error) => never,
  options: { page?: number; beforePage?: (count: number) => Promise<void> } = {},
): Promise<number[]> {
  if (items.length === 0) return [];
  const perKey = async (page: readonly KeyRef[]): Promise<number[]> => {
    const replies = await router.send(page.map((item) => ({ key: item.key, node: item.node, command: ['UNLINK', item.key] as [string, ...Arg[]] })));
    return replies.map(([error, value]) => (error ? onError('UNLINK', error) : Number(value)));
  };
  const results = await scripted<number | undefined, Buffer>(
    router,
    items,
    UNLINK_PAGE_LUA,
    (reply) => [...reply.toString('latin1')].map((c) => (c === '1' ? 1 : c === '0' ? 0 : undefined)),
    perKey,
    { command: 'EVAL', page: options.page, beforePage: options.beforePage },
  );
  // Keys the script could not do: one command per key, redirects followed.
  const redo = results.flatMap((value, i) => (value === undefined ? [i] : []));
  if (redo.length > 0) {
    const done = await perKey(redo.map((i) => items[i]));
    redo.forEach((index, j) => (results[index] = done[j]));
  }
  return results as number[];
}
