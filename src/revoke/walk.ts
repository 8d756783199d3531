/**
 * The key walk of `revoke`: plain SCAN (with MATCH when one glob covers the selection), names only.
 * Unlike scan's walk (scan-keys.ts) it fetches no TTL or idle time per key: only the few keys that
 * pass the name filters get any further command, so the walk is the server's SCAN work and little else.
 *
 * Each node is walked in two halves at once (scan-split.ts, exact: no key twice, none missed) and
 * every half keeps its next SCAN on the wire while the caller handles the page it has, so the
 * server always has a request queued. Cluster masters are walked in parallel.
 */
import type { RedisReader } from '../stores/redis/reader.js';
import { scanPage } from '../stores/redis/scan-pipeline.js';
import { FIRST_HALF_START, firstHalfDone, SECOND_HALF_START } from '../stores/redis/scan-split.js';

export interface RevokeWalkOptions {
  match?: string;
  /** SCAN COUNT. */
  count: number;
  /** Split each node's walk in two (default: when DBSIZE >= 10,000). */
  split?: boolean;
}

export const REVOKE_SCAN_COUNT = 2000;
const SPLIT_MIN_KEYS = 10_000;

export type NodePageHandler = (node: RedisReader, keys: string[]) => Promise<void> | void;

async function walkHalf(node: RedisReader, start: string, stopAtMiddle: boolean, options: RevokeWalkOptions, onPage: NodePageHandler, stop: { now: boolean }): Promise<void> {
  const request = { cursor: start, count: options.count, match: options.match, detailEvery: 0, memory: false, stopAtMiddle };
  let inFlight: Promise<[string, string[]]> | undefined = scanPage(node, request);
  try {
    while (inFlight) {
      const [cursor, keys]: [string, string[]] = await inFlight;
      const last: boolean = stopAtMiddle ? firstHalfDone(cursor) : cursor === '0';
      inFlight = last || stop.now ? undefined : scanPage(node, { ...request, cursor });
      if (keys.length > 0) await onPage(node, keys);
      if (stop.now) break;
    }
  } finally {
    inFlight?.catch(() => {});
  }
}

export async function walkNodes(nodes: readonly RedisReader[], options: RevokeWalkOptions, onPage: NodePageHandler, stop: { now: boolean }): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      const split = options.split ?? Number(await node.call('DBSIZE')) >= SPLIT_MIN_KEYS;
      const halves = split
        ? [walkHalf(node, FIRST_HALF_START, true, options, onPage, stop), walkHalf(node, SECOND_HALF_START, false, options, onPage, stop)]
        : [walkHalf(node, '0', false, options, onPage, stop)];
      // If one half fails, the other stops at its next page.
      await Promise.all(halves.map((half) => half.catch((error: unknown) => ((stop.now = true), Promise.reject(error)))));
    }),
  );
}
