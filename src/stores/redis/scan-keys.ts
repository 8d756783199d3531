/**
 * The read-only key walk of ONE node: SCAN pages with each key's PTTL (and TYPE / OBJECT IDLETIME /
 * MEMORY USAGE for every `detailEvery`th key), streamed to `onPage` one page at a time.
 *
 * Overlap: the request for page i+1 is on the wire before page i is decoded and handed to
 * `onPage`, so the server works on the next page while the client (and the caller's own
 * classification) handles this one; at most two pages are alive at once, whatever the keyspace.
 *
 * Method: a read-only Lua script per page (scan-script.ts) when the server allows EVAL_RO; if the
 * server refuses it (an error reply: Redis < 7, ACL, managed service), the walk carries on from the
 * same cursor with SCAN + pipelined commands (scan-pipeline.ts) and says why in the result.
 *
 * `limit` stops after about that many keys: SCAN visits hash buckets in an order unrelated to key
 * names, so a prefix of the walk is a uniform random sample (see sample.ts for the estimate).
 */
import { InputError } from '../../errors.js';
import { RedisReplyError } from './errors.js';
import type { KeyPage, PageRequest } from './key-page.js';
import type { RedisReader } from './reader.js';
import { decodeScriptReply, scriptArgs, SCAN_PAGE_LUA } from './scan-script.js';
import { fetchPageMeta, scanPage } from './scan-pipeline.js';
import { FIRST_HALF_START, firstHalfDone, SECOND_HALF_START } from './scan-split.js';

export type WalkMethod = 'lua' | 'pipeline';

export interface WalkOptions {
  /** SCAN COUNT: keys per page. 1000 keeps each server call to a few ms. */
  count?: number;
  /** SCAN MATCH pattern (server-side filter; the walk still visits every key). */
  match?: string;
  /** TYPE + OBJECT IDLETIME for every Nth key (1 = every key, 0 = none). */
  detailEvery?: number;
  /** MEMORY USAGE for the detail keys too (slower; often refused by managed services). */
  memory?: boolean;
  /** Stop after about this many keys (sampling); undefined = the whole keyspace. */
  limit?: number;
  /** 'auto' tries Lua and falls back; the others force one path (benchmarks, tests). */
  method?: 'auto' | WalkMethod;
  /** Two concurrent walks over the two halves of the cursor space (scan-split.ts); for big keyspaces. */
  split?: boolean;
}

export interface WalkResult {
  source: string;
  keys: number;
  pages: number;
  /** The method that finished the walk. */
  method: WalkMethod;
  /** Why the Lua path was not (or no longer) used. */
  fallbackReason?: string;
  /** false when `limit` stopped the walk before the cursor came back to 0. */
  complete: boolean;
  ms: number;
}

export const DEFAULT_WALK = { count: 1000, detailEvery: 1, memory: false } as const;

export type PageHandler = (page: KeyPage) => void | Promise<void>;

interface PageSource {
  /** Send the request now; resolves to the next cursor and the page. */
  fetch(request: PageRequest): Promise<{ cursor: string; page: KeyPage }>;
}

function luaSource(reader: RedisReader): PageSource {
  return {
    async fetch(request) {
      const reply = await reader.callBuffer('EVAL_RO', SCAN_PAGE_LUA, 0, ...scriptArgs(request));
      const decoded = decodeScriptReply(reply, request, reader.source);
      // A key containing "\n" makes the packed keys ambiguous: redo this one page without packing.
      if (!decoded.page) return { cursor: decoded.cursor, page: (await pipelineSource(reader).fetch(request)).page };
      return { cursor: decoded.cursor, page: decoded.page };
    },
  };
}

function pipelineSource(reader: RedisReader): PageSource {
  return {
    async fetch(request) {
      const [cursor, keys] = await scanPage(reader, request);
      return { cursor, page: await fetchPageMeta(reader, keys, request) };
    },
  };
}

/**
 * The pipelined path with its own overlap: SCAN for page i+1 is sent right after page i's metadata
 * pipeline, before that pipeline's replies are read.
 */
function overlappedPipelineSource(reader: RedisReader): PageSource {
  let pending: { cursor: string; scan: Promise<[string, string[]]> } | undefined;
  return {
    async fetch(request) {
      const scan = pending?.cursor === request.cursor ? pending.scan : scanPage(reader, request);
      pending = undefined;
      const [cursor, keys] = await scan;
      const meta = fetchPageMeta(reader, keys, request);
      const last = request.stopAtMiddle ? firstHalfDone(cursor) : cursor === '0';
      if (!last) {
        pending = { cursor, scan: scanPage(reader, { ...request, cursor }) };
        pending.scan.catch(() => {}); // surfaced by the fetch that awaits it
      }
      return { cursor, page: await meta };
    },
  };
}

interface Range {
  start: string;
  stopAtMiddle: boolean;
  limit?: number;
}

interface RangeResult {
  keys: number;
  pages: number;
  method: WalkMethod;
  fallbackReason?: string;
  complete: boolean;
}

/** One chain of pages from `range.start` to its end, with its own Lua -> pipeline fallback. */
async function walkRange(reader: RedisReader, onPage: PageHandler, options: WalkOptions, range: Range, stop: { now: boolean }): Promise<RangeResult> {
  const base = {
    count: options.count ?? DEFAULT_WALK.count,
    match: options.match,
    detailEvery: options.detailEvery ?? DEFAULT_WALK.detailEvery,
    memory: options.memory ?? DEFAULT_WALK.memory,
    stopAtMiddle: range.stopAtMiddle,
  };
  const finished = (c: string) => (range.stopAtMiddle ? firstHalfDone(c) : c === '0');
  let method: WalkMethod = options.method === 'pipeline' ? 'pipeline' : 'lua';
  let source = method === 'lua' ? luaSource(reader) : overlappedPipelineSource(reader);
  let fallbackReason: string | undefined;
  let keys = 0;
  let pages = 0;
  let cursor = range.start;
  let inFlight: Promise<{ cursor: string; page: KeyPage }> | undefined = source.fetch({ ...base, cursor });
  try {
    while (inFlight) {
      let result: { cursor: string; page: KeyPage };
      try {
        result = await inFlight;
      } catch (error) {
        // The server refused the script: same cursor, other method. Anything else (connection lost,
        // timeout, PTTL refused on the pipelined path) ends the walk with that error.
        if (!(error instanceof RedisReplyError) || method !== 'lua' || options.method === 'lua') throw error;
        method = 'pipeline';
        fallbackReason = `EVAL_RO refused (${error.message.replace(/^EVAL_RO: /, '')}); used SCAN with pipelined commands`;
        source = overlappedPipelineSource(reader);
        inFlight = source.fetch({ ...base, cursor });
        continue;
      }
      cursor = result.cursor;
      keys += result.page.keys.length;
      pages++;
      if (stop.now) break;
      const more = !finished(cursor) && (range.limit === undefined || keys < range.limit);
      // Next request first, then the caller's work on this page: the two overlap.
      inFlight = more ? source.fetch({ ...base, cursor }) : undefined;
      await onPage(result.page);
    }
  } catch (error) {
    inFlight?.catch(() => {}); // never leave a rejection unhandled when onPage throws
    throw error;
  }
  return { keys, pages, method, fallbackReason, complete: finished(cursor) };
}

export async function walkKeys(reader: RedisReader, onPage: PageHandler, options: WalkOptions = {}): Promise<WalkResult> {
  const started = performance.now();
  const ranges: Range[] = options.split
    ? [
        { start: FIRST_HALF_START, stopAtMiddle: true, limit: half(options.limit) },
        { start: SECOND_HALF_START, stopAtMiddle: false, limit: half(options.limit) },
      ]
    : [{ start: '0', stopAtMiddle: false, limit: options.limit }];
  // If one half fails, the other stops at its next page instead of feeding onPage after the error.
  const stop = { now: false };
  const seen = { keys: 0 };
  const counting: PageHandler = (page) => {
    seen.keys += page.keys.length;
    return onPage(page);
  };
  const results = await Promise.all(
    ranges.map((range) =>
      walkRange(reader, counting, options, range, stop).catch((error: unknown) => {
        stop.now = true;
        throw lostDuringWalk(error, reader.source, seen.keys);
      }),
    ),
  );
  const pipelined = results.find((r) => r.method === 'pipeline');
  return {
    source: reader.source,
    keys: results.reduce((sum, r) => sum + r.keys, 0),
    pages: results.reduce((sum, r) => sum + r.pages, 0),
    method: pipelined ? 'pipeline' : 'lua',
    fallbackReason: results.find((r) => r.fallbackReason)?.fallbackReason,
    complete: results.every((r) => r.complete),
    ms: performance.now() - started,
  };
}

/** "connection lost" alone does not say what was lost: name the walk and how far it got. */
function lostDuringWalk(error: unknown, source: string, keys: number): unknown {
  if (!(error instanceof InputError) || error instanceof RedisReplyError || error.where !== source) return error;
  const where = `during the key scan, after ${keys} keys`;
  if (/^connection lost/.test(error.message)) return new InputError(`connection lost ${where}`, source);
  if (/no reply in time/.test(error.message)) return new InputError(`no reply in time ${where} (server busy or frozen)`, source);
  return error;
}

const half = (limit: number | undefined) => (limit === undefined ? undefined : Math.ceil(limit / 2));
