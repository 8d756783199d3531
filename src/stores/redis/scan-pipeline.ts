/**
 * The fallback path, for servers where EVAL_RO is refused (Redis < 7, ACL without +eval_ro,
 * managed services that disable scripting): plain SCAN, then the page's PTTL (+ TYPE /
 * OBJECT IDLETIME / MEMORY USAGE for sampled keys) in ONE pipeline. scan-keys.ts overlaps it with
 * the next SCAN. Per-command refusals (e.g. OBJECT IDLETIME under an LFU policy) become -1, not errors.
 */
import { detailIndexes, type KeyPage, type PageRequest } from './key-page.js';
import type { Arg, PipelineReply, RedisReader } from './reader.js';
import { RedisReplyError } from './errors.js';
import { crossedMiddle, firstHalfDone, SECOND_HALF_START } from './scan-split.js';

async function scanOnce(reader: RedisReader, request: PageRequest, cursor: string, count: number): Promise<[string, string[]]> {
  const args: Arg[] = [cursor, ...(request.match ? ['MATCH', request.match] : []), 'COUNT', count];
  const [next, keys] = (await reader.call('SCAN', ...args)) as [string, string[]];
  return [next, keys];
}

/** One SCAN page; for the first half of a split walk, never past the middle (scan-split.ts). */
export async function scanPage(reader: RedisReader, request: PageRequest): Promise<[string, string[]]> {
  const page = await scanOnce(reader, request, request.cursor, request.count);
  if (!request.stopAtMiddle || !crossedMiddle(page[0])) return page;
  const kept: string[] = [];
  let cursor = request.cursor;
  for (;;) {
    const [next, keys] = await scanOnce(reader, request, cursor, 1);
    if (crossedMiddle(next)) break;
    kept.push(...keys);
    cursor = next;
    if (firstHalfDone(cursor)) break;
  }
  return [SECOND_HALF_START, kept];
}

function numberOr([error, value]: PipelineReply, fallback: number): number {
  return !error && typeof value === 'number' ? value : fallback;
}

/** The metadata of one page of keys, in one round trip. */
export async function fetchPageMeta(reader: RedisReader, keys: string[], request: Pick<PageRequest, 'detailEvery' | 'memory'>): Promise<KeyPage> {
  const sampled = detailIndexes(keys.length, request.detailEvery);
  const commands: [string, ...Arg[]][] = keys.map((key) => ['PTTL', key]);
  for (const i of sampled) {
    commands.push(['TYPE', keys[i]], ['OBJECT', 'IDLETIME', keys[i]]);
    if (request.memory) commands.push(['MEMORY', 'USAGE', keys[i]]);
  }
  const replies = await reader.pipeline(commands);
  const pttl = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const [error, value] = replies[i];
    // PTTL itself refused: nothing useful can be said about TTLs, so this one is an error.
    if (error) throw new RedisReplyError(`PTTL: ${error.message}`, reader.source, error.message.split(' ')[0]);
    pttl[i] = value as number;
  }
  const page: KeyPage = { source: reader.source, keys, pttl };
  if (request.detailEvery > 0) {
    const stride = request.memory ? 3 : 2;
    const type: string[] = [];
    const idle = new Float64Array(sampled.length);
    const memory = request.memory ? new Float64Array(sampled.length) : undefined;
    sampled.forEach((_, j) => {
      const base = keys.length + j * stride;
      const [typeError, typeName] = replies[base];
      type.push(typeError ? 'unknown' : String(typeName));
      idle[j] = numberOr(replies[base + 1], -1);
      if (memory) memory[j] = numberOr(replies[base + 2], -1);
    });
    page.detail = { every: request.detailEvery, type, idle, memory };
  }
  return page;
}
