import type { LogBurst, LogUpstream } from '../model/index.js';
import { own } from '../util/own-string.js';
import type { LogRecord } from './record.js';

/**
 * Per-node, per-minute counters with a bounded number of buckets: buckets start one minute wide and
 * double (merging neighbours) whenever the span of the logs would need more than `maxBuckets`, so a
 * week of logs ends in 8-minute buckets. Nodes are capped too (the rest count as "(other)").
 *
 * The same buckets, all nodes together, carry what logout-storm needs: requests, lost sessions (401,
 * session-not-found...), a capped set of the clients that lost them, and the first such line.
 */

export const NO_NODE = '(none)';
export const OTHER_NODES = '(other)';

interface NodeBucket {
  requests: number;
  failures: number;
}

interface NodeSeries {
  name: string;
  buckets: Map<number, NodeBucket>;
  requests: number;
  authFailures: number;
  first: number;
  last: number;
  firstLine: { file: string; line: number };
  firstFailure: { file: string; line: number } | null;
}

interface GlobalBucket {
  requests: number;
  lost: number;
  clients: string[];
  clientsCapped: boolean;
  firstLost: { file: string; line: number; time: number } | null;
}

export interface TimelineSeries {
  name: string;
  requests: number[];
  failures: number[];
}

/** The `logs.timeline` section of the report: dense arrays, one value per bucket from `start`. */
export interface Timeline {
  /** ms since the epoch of the first bucket; null when no line had a time. */
  start: number | null;
  bucketSeconds: number;
  buckets: number;
  /** Per node (busiest first, at most TIMELINE_NODES; the rest merged into "(other)"); `failures` are auth failures (401/403, invalid-token, session-not-found). */
  nodes: TimelineSeries[];
  total: TimelineSeries;
}

const MINUTE = 60_000;
const CLIENT_CAP = 32;
/** Series shown in the report; the rest are merged. */
export const TIMELINE_NODES = 24;

export interface TimelineOptions {
  maxBuckets?: number;
  maxNodes?: number;
}

export class NodeTimeline {
  private width = MINUTE;
  private readonly maxBuckets: number;
  private readonly maxNodes: number;
  private readonly nodes = new Map<string, NodeSeries>();
  private global = new Map<number, GlobalBucket>();
  private minBucket = Number.POSITIVE_INFINITY;
  private maxBucket = Number.NEGATIVE_INFINITY;
  private firstTime = Number.POSITIVE_INFINITY;
  private lastTime = Number.NEGATIVE_INFINITY;
  // The last node and bucket touched: consecutive lines mostly share both.
  private lastName: string | undefined = undefined;
  private lastSeries: NodeSeries | undefined = undefined;
  private lastKey = Number.NaN;
  private lastNodeBucket: NodeBucket | undefined = undefined;
  private lastGlobal: GlobalBucket | undefined = undefined;

  constructor(options: TimelineOptions = {}) {
    this.maxBuckets = options.maxBuckets ?? 1440;
    this.maxNodes = options.maxNodes ?? 256;
  }

  get bucketSeconds(): number {
    return this.width / 1000;
  }

  /** Buckets held (global), for the memory-bound tests. */
  get bucketCount(): number {
    return this.global.size;
  }

  add(record: LogRecord, time: number, authFailure: boolean, lost: boolean): void {
    const name = record.node === undefined || record.node === '' || record.node === '-' ? NO_NODE : record.node;
    let series = this.lastSeries;
    if (name !== this.lastName || series === undefined) {
      series = this.seriesOf(name, record, time);
      this.lastName = name;
      this.lastSeries = series;
      this.lastKey = Number.NaN;
    }
    series.requests++;
    if (authFailure) {
      series.authFailures++;
      if (series.firstFailure === null) series.firstFailure = { file: record.file, line: record.line };
    }
    if (time < series.first) series.first = time;
    if (time > series.last) series.last = time;
    if (!Number.isFinite(time)) return;
    if (time < this.firstTime) this.firstTime = time;
    if (time > this.lastTime) this.lastTime = time;

    let key = Math.floor(time / this.width);
    let nodeBucket = this.lastNodeBucket;
    let global = this.lastGlobal;
    if (key !== this.lastKey || nodeBucket === undefined || global === undefined) {
      if (key < this.minBucket || key > this.maxBucket) {
        this.widen(key);
        key = Math.floor(time / this.width);
      }
      nodeBucket = series.buckets.get(key);
      if (nodeBucket === undefined) series.buckets.set(key, (nodeBucket = { requests: 0, failures: 0 }));
      global = this.global.get(key);
      if (global === undefined) this.global.set(key, (global = { requests: 0, lost: 0, clients: [], clientsCapped: false, firstLost: null }));
      this.lastKey = key;
      this.lastNodeBucket = nodeBucket;
      this.lastGlobal = global;
    }
    nodeBucket.requests++;
    if (authFailure) nodeBucket.failures++;
    global.requests++;
    if (lost) {
      global.lost++;
      if (global.firstLost === null || time < global.firstLost.time) global.firstLost = { file: record.file, line: record.line, time };
      const client = record.user || record.session || record.ip;
      if (client !== undefined && client !== '-') {
        const clients = global.clients;
        if (!clients.includes(client)) {
          if (clients.length < CLIENT_CAP) clients.push(own(client));
          else global.clientsCapped = true;
        }
      }
    }
  }

  private seriesOf(name: string, record: LogRecord, time: number): NodeSeries {
    let series = this.nodes.get(name);
    if (series === undefined) {
      // Full: the rest go to "(other)", which (like "(none)") is made past the cap, else this would recurse forever.
      if (this.nodes.size >= this.maxNodes && name !== NO_NODE && name !== OTHER_NODES) return this.seriesOf(OTHER_NODES, record, time);
      series = {
        name: own(name),
        buckets: new Map(),
        requests: 0,
        authFailures: 0,
        first: Number.POSITIVE_INFINITY,
        last: Number.NEGATIVE_INFINITY,
        firstLine: { file: record.file, line: record.line },
        firstFailure: null,
      };
      this.nodes.set(series.name, series);
    }
    return series;
  }

  /** Take in a bucket key outside the span, doubling the bucket width while the span is too long. */
  private widen(key: number): void {
    let min = Math.min(this.minBucket, key);
    let max = Math.max(this.maxBucket, key);
    let factor = 1;
    while (max - min + 1 > this.maxBuckets) {
      factor *= 2;
      min = Math.floor(min / 2);
      max = Math.floor(max / 2);
    }
    if (factor > 1) {
      this.width *= factor;
      for (const series of this.nodes.values()) series.buckets = mergeBuckets(series.buckets, factor, (into, from) => {
        into.requests += from.requests;
        into.failures += from.failures;
      });
      this.global = mergeBuckets(this.global, factor, (into, from) => {
        into.requests += from.requests;
        into.lost += from.lost;
        for (const client of from.clients) {
          if (into.clients.includes(client)) continue;
          if (into.clients.length < CLIENT_CAP) into.clients.push(client);
          else into.clientsCapped = true;
        }
        into.clientsCapped ||= from.clientsCapped;
        if (from.firstLost && (!into.firstLost || from.firstLost.time < into.firstLost.time)) into.firstLost = from.firstLost;
      });
    }
    this.minBucket = min;
    this.maxBucket = max;
    this.lastKey = Number.NaN;
    this.lastNodeBucket = undefined;
    this.lastGlobal = undefined;
  }

  /** One log-node per upstream node, when the logs name at least two. */
  upstreamNodes(): LogUpstream[] {
    const named = [...this.nodes.values()].filter((series) => series.name !== NO_NODE && series.name !== OTHER_NODES);
    if (named.length < 2) return [];
    const totalRequests = named.reduce((sum, series) => sum + series.requests, 0);
    const totalFailures = named.reduce((sum, series) => sum + series.authFailures, 0);
    return named.map((series) => ({
      kind: 'log-node',
      location: { ...(series.firstFailure ?? series.firstLine), column: 1 },
      name: series.name,
      requests: series.requests,
      authFailures: series.authFailures,
      othersRequests: totalRequests - series.requests,
      othersAuthFailures: totalFailures - series.authFailures,
      nodes: named.length,
      firstTime: Number.isFinite(series.first) ? series.first : Number.NaN,
      lastTime: Number.isFinite(series.last) ? series.last : Number.NaN,
    }));
  }

  /**
   * Bursts of lost sessions: buckets with at least `min` of them from at least min(5, min) clients, at a
   * rate `factor` times the rate of the 15 minutes before (or of the whole log without the bucket, when
   * there is too little before), merged when adjacent. Nodes that started serving within 10 minutes
   * before a burst (not at the start of the logs) are named: a deploy or restart.
   */
  bursts(min: number, factor: number): LogBurst[] {
    const keys = [...this.global.keys()].sort((a, b) => a - b);
    if (keys.length === 0) return [];
    let totalRequests = 0;
    let totalLost = 0;
    for (const bucket of this.global.values()) {
      totalRequests += bucket.requests;
      totalLost += bucket.lost;
    }
    const before = Math.max(1, Math.round((15 * MINUTE) / this.width));
    const stormy = new Map<number, number>();
    for (const key of keys) {
      const bucket = this.global.get(key)!;
      const clients = bucket.clients.length;
      if (bucket.lost < min || clients < Math.min(5, min)) continue;
      let requests = 0;
      let lost = 0;
      for (let previous = key - before; previous < key; previous++) {
        const earlier = this.global.get(previous);
        if (earlier === undefined || stormy.has(previous)) continue;
        requests += earlier.requests;
        lost += earlier.lost;
      }
      if (requests < 50) {
        requests = totalRequests - bucket.requests;
        lost = totalLost - bucket.lost;
      }
      const baseline = requests > 0 ? lost / requests : 0;
      const rate = bucket.lost / Math.max(1, bucket.requests);
      if (rate >= factor * Math.max(baseline, 0.005)) stormy.set(key, baseline);
    }
    const bursts: LogBurst[] = [];
    let current: LogBurst | null = null;
    let currentEnd = Number.NaN;
    for (const key of [...stormy.keys()].sort((a, b) => a - b)) {
      const bucket = this.global.get(key)!;
      if (current !== null && key === currentEnd + 1) {
        current.end = (key + 1) * this.width;
        current.failures += bucket.lost;
        current.requests += bucket.requests;
        const seen = current.clients;
        current.clients = Math.max(seen, bucket.clients.length);
        current.clientsCapped ||= bucket.clientsCapped;
      } else {
        if (current !== null) bursts.push(current);
        const first = bucket.firstLost!;
        current = {
          kind: 'log-burst',
          location: { file: first.file, line: first.line, column: 1 },
          start: key * this.width,
          end: (key + 1) * this.width,
          bucketSeconds: this.width / 1000,
          failures: bucket.lost,
          requests: bucket.requests,
          clients: bucket.clients.length,
          clientsCapped: bucket.clientsCapped,
          baselineRate: stormy.get(key)!,
          joined: [],
        };
      }
      currentEnd = key;
    }
    if (current !== null) bursts.push(current);
    for (const burst of bursts) {
      for (const series of this.nodes.values()) {
        if (series.name === NO_NODE || series.name === OTHER_NODES) continue;
        if (series.first > this.firstTime + this.width && series.first >= burst.start - 10 * MINUTE && series.first <= burst.end) {
          burst.joined.push({ node: series.name, time: series.first });
        }
      }
    }
    return bursts;
  }

  /** The report's timeline: dense arrays, the busiest TIMELINE_NODES nodes and the rest merged. */
  timeline(): Timeline {
    const bucketSeconds = this.width / 1000;
    if (!Number.isFinite(this.minBucket)) {
      return { start: null, bucketSeconds, buckets: 0, nodes: [], total: { name: 'all', requests: [], failures: [] } };
    }
    const length = this.maxBucket - this.minBucket + 1;
    const dense = (series: NodeSeries[], name: string): TimelineSeries => {
      const requests = new Array<number>(length).fill(0);
      const failures = new Array<number>(length).fill(0);
      for (const one of series) {
        for (const [key, bucket] of one.buckets) {
          requests[key - this.minBucket] += bucket.requests;
          failures[key - this.minBucket] += bucket.failures;
        }
      }
      return { name, requests, failures };
    };
    const all = [...this.nodes.values()].sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
    const shown = all.slice(0, TIMELINE_NODES);
    const rest = all.slice(TIMELINE_NODES);
    const nodes = shown.map((series) => dense([series], series.name));
    if (rest.length > 0) nodes.push(dense(rest, OTHER_NODES));
    return { start: this.minBucket * this.width, bucketSeconds, buckets: length, nodes, total: dense(all, 'all') };
  }
}

function mergeBuckets<T>(buckets: Map<number, T>, factor: number, merge: (into: T, from: T) => void): Map<number, T> {
  const merged = new Map<number, T>();
  for (const [key, bucket] of buckets) {
    const target = Math.floor(key / factor);
    const into = merged.get(target);
    if (into === undefined) merged.set(target, bucket);
    else merge(into, bucket);
  }
  return merged;
}
