/**
 * One SCAN page with its metadata, in columns (typed arrays, no object per key): a 1M-key walk
 * streams ~1000 of these and keeps none, so memory stays flat in the keyspace size.
 */
export interface KeyPage {
  /** The node the page came from (redacted URL). */
  source: string;
  keys: string[];
  /** PTTL per key in ms: -1 never expires; -2 gone between SCAN and PTTL (pipelined path only). */
  pttl: Float64Array;
  /** TYPE / OBJECT IDLETIME (/ MEMORY USAGE) for keys[0], keys[every], keys[2*every]... */
  detail?: KeyDetail;
}

export interface KeyDetail {
  every: number;
  /** `string`, `hash`, ... or `none` when the key vanished. */
  type: string[];
  /** Seconds since last access; -1 when not tracked (an LFU maxmemory-policy) or refused. */
  idle: Float64Array;
  /** Bytes (MEMORY USAGE); -1 when refused; absent unless asked for. */
  memory?: Float64Array;
}

export interface PageRequest {
  cursor: string;
  count: number;
  match?: string;
  /** Fetch detail for every Nth key of the page (1 = all; 0 = none). */
  detailEvery: number;
  memory: boolean;
  /** First half of a split walk: stop at the middle of the cursor space (scan-split.ts). */
  stopAtMiddle?: boolean;
}

/** Indexes of the keys that get detail in a page of `n` keys. */
export function detailIndexes(n: number, every: number): number[] {
  const indexes: number[] = [];
  if (every > 0) for (let i = 0; i < n; i += every) indexes.push(i);
  return indexes;
}
