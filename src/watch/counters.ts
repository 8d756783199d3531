/**
 * Per-namespace counters for `watch`: events in the current interval (created, expired, deleted,
 * evicted) and the number of keys alive. Keys are grouped exactly as scan groups them
 * (namespaceFor: --session-pattern, then the frameworks' key shapes, then the folded key shape).
 *
 * Alive = a base (a SCAN at start: exact when it saw every key, else scaled up from the sample with
 * a 95% margin) plus the events since (created - expired - deleted - evicted). Without `new` events,
 * a SET/HSET is a creation only for a key not alive before: that needs the set of alive keys, kept
 * here when the start SCAN was complete (bounded by KNOWN_MAX keys).
 */
import type { SessionFramework } from '../stores/frameworks.js';
import { namespaceFor } from '../stores/namespaces.js';
import { estimateCount } from '../stores/redis/sample.js';
import { EVENT_KINDS, type CreatedSource, type EventKind } from './notify-classes.js';
import type { WatchEventKind } from './subscribe.js';

export interface NamespaceRow {
  pattern: string;
  /** The framework whose key shape this is (`custom` for --session-pattern), or null. */
  framework: string | null;
  /** `session`, or a framework's bookkeeping (`expiry`, `index`), or null for other keys. */
  role: SessionFramework['role'] | null;
  session: boolean;
  /** Events in the interval; null when this kind cannot be observed (missing class, partial sample). */
  counts: Record<EventKind, number | null>;
  perSecond: Record<EventKind, number | null>;
  alive: number;
  /** 95% margin of `alive` when it is estimated from a sample; 0 when counted. */
  aliveMargin: number;
}

interface Accumulator {
  pattern: string;
  framework: SessionFramework | undefined;
  interval: Record<EventKind, number>;
  /** The counts of the interval cut() ended, until take() reports them. */
  closed: Record<EventKind, number>;
  /** Alive at the last rebase (scaled when from a sample). */
  base: number;
  margin: number;
  /** created - gone since the last rebase. */
  net: number;
}

/** Keyspaces with millions of distinct shapes stay in bounded memory: the rest is "(other)", as in scan. */
const MAX_NAMESPACES = 500;
/** Alive keys remembered to tell a new key from an update when the server sends no `new` events. */
export const KNOWN_MAX = 1_000_000;
/** Keys remembered while a rebase SCAN runs (beyond that, later keys are taken as the SCAN saw them). */
const PENDING_MAX = 100_000;

export interface CountersOptions {
  /** --session-pattern shapes. */
  custom?: readonly SessionFramework[];
  /** --namespace filter: keys it rejects are not counted at all. */
  keep?: (key: string) => boolean;
  /** How creations are seen; null: they are not (then `created` is null). */
  created: CreatedSource;
}

export interface SampleBase {
  /** The keys seen (a map's keys: a KeySample's key -> expiry map). */
  keys: Iterable<string> | ReadonlyMap<string, unknown>;
  /** Keys the SCAN looked at (before --namespace filtering) and the keys on the nodes. */
  scanned: number;
  total: number;
  complete: boolean;
}

const zero = (): Record<EventKind, number> => ({ created: 0, expired: 0, deleted: 0, evicted: 0 });

export class WatchCounters {
  private readonly byPattern = new Map<string, Accumulator>();
  private readonly keep: (key: string) => boolean;
  private known: Set<string> | null = null;
  private sawNew = false;
  /**
   * Keys that had an event while a SCAN for rebase ran -> alive after their last one. The SCAN may
   * have passed such a key before or after its event, so its view of that key is not to be trusted.
   */
  private pending: Map<string, boolean> | null = null;
  /** cut() was called: take() reports the closed counts and leaves the running ones alone. */
  private isCut = false;

  constructor(private readonly options: CountersOptions) {
    this.keep = options.keep ?? (() => true);
  }

  /**
   * Call before taking the SCAN given to rebase(): events from here on are remembered per key, so a
   * key created or deleted while the SCAN ran is counted as it is after the SCAN, not as the SCAN
   * happened to see it (else alive drifts by those keys for the rest of the run).
   */
  beginRebase(): void {
    this.pending = new Map();
  }

  /** Start alive counts again from a sample. `trackKnown`: remember the keys (to tell new keys from updates). */
  rebase(sample: SampleBase, trackKnown: boolean): void {
    const pending = sample.complete ? this.pending : null; // a partial sample is scaled: key-level fixes do not apply
    this.pending = null;
    for (const acc of this.byPattern.values()) {
      acc.base = 0;
      acc.margin = 0;
      acc.net = 0;
    }
    const found = new Map<Accumulator, number>();
    const kept: string[] = [];
    const add = (key: string) => {
      kept.push(key);
      const acc = this.accumulatorFor(key);
      found.set(acc, (found.get(acc) ?? 0) + 1);
    };
    for (const key of sample.keys instanceof Map ? sample.keys.keys() : (sample.keys as Iterable<string>)) {
      if (!this.keep(key)) continue;
      if (pending?.has(key)) continue; // counted below, as its last event left it
      add(key);
    }
    if (pending) for (const [key, alive] of pending) if (alive) add(key);
    for (const [acc, count] of found) {
      if (sample.complete) acc.base = count;
      else {
        const estimate = estimateCount(count, sample.scanned, sample.total);
        acc.base = estimate.estimate;
        acc.margin = estimate.margin95;
      }
    }
    this.known = trackKnown && sample.complete && this.options.created !== 'new' && kept.length <= KNOWN_MAX ? new Set(kept) : null;
  }

  /** Alive summed over every namespace watched (what INFO's key count can never be below). */
  aliveTotal(): number {
    let sum = 0;
    for (const acc of this.byPattern.values()) sum += Math.max(0, Math.round(acc.base + acc.net));
    return sum;
  }

  /** Creations can be counted: `new` events, or writes checked against the known alive keys. */
  get createdCountable(): boolean {
    return this.options.created === 'new' || this.sawNew || (this.options.created === 'writes' && this.known !== null);
  }

  /** How creations are being counted now: `new` events, or writes of keys not alive before. */
  get createdVia(): 'new' | 'writes' | null {
    if (!this.createdCountable) return null;
    return this.options.created === 'new' || this.sawNew ? 'new' : 'writes';
  }

  event(kind: WatchEventKind, key: string): void {
    if (!this.keep(key)) return;
    if (this.pending && (this.pending.size < PENDING_MAX || this.pending.has(key))) this.pending.set(key, kind === 'new' || kind === 'write');
    if (kind === 'write') {
      if (this.options.created === 'new' || this.sawNew || !this.known || this.known.has(key)) return;
      this.remember(key);
      this.count('created', key);
      return;
    }
    if (kind === 'new') {
      this.sawNew = true;
      this.known = null; // `new` events say it all: no need to remember keys
      this.count('created', key);
      return;
    }
    this.known?.delete(key);
    this.count(kind, key);
  }

  /**
   * Ends the interval now: events from here on belong to the next one. watch calls it the moment the
   * interval's time is up, because reading INFO (and a SCAN) before the report takes a while, and
   * events that arrive meanwhile are outside the interval's `seconds`.
   */
  cut(): void {
    for (const acc of this.byPattern.values()) {
      acc.closed = acc.interval;
      acc.interval = zero();
    }
    this.isCut = true;
  }

  /** The rows for an interval of `seconds` (ended by cut(), or now), then the interval counts start again. */
  take(seconds: number, observed: Record<EventKind, boolean>): NamespaceRow[] {
    const isCut = this.isCut;
    this.isCut = false;
    const can: Record<EventKind, boolean> = { ...observed, created: observed.created && this.createdCountable };
    const rows: NamespaceRow[] = [];
    for (const acc of this.byPattern.values()) {
      const counted = isCut ? acc.closed : acc.interval;
      acc.closed = zero();
      if (!isCut) acc.interval = zero();
      const counts = Object.fromEntries(EVENT_KINDS.map((kind) => [kind, can[kind] ? counted[kind] : null])) as Record<EventKind, number | null>;
      const perSecond = Object.fromEntries(
        EVENT_KINDS.map((kind) => [kind, counts[kind] === null ? null : Math.round((counts[kind]! / Math.max(0.001, seconds)) * 100) / 100]),
      ) as Record<EventKind, number | null>;
      const alive = Math.max(0, Math.round(acc.base + acc.net));
      const active = EVENT_KINDS.some((kind) => counted[kind] > 0);
      if (alive === 0 && !active) continue;
      const role = acc.framework?.role ?? null;
      rows.push({ pattern: acc.pattern, framework: acc.framework?.id ?? null, role, session: role === 'session', counts, perSecond, alive, aliveMargin: acc.margin });
    }
    return rows.sort((a, b) => Number(b.session) - Number(a.session) || b.alive - a.alive || a.pattern.localeCompare(b.pattern));
  }

  private count(kind: EventKind, key: string): void {
    const acc = this.accumulatorFor(key);
    acc.interval[kind]++;
    acc.net += kind === 'created' ? 1 : -1;
  }

  private remember(key: string): void {
    if (!this.known) return;
    this.known.add(key);
    if (this.known.size > KNOWN_MAX) this.known = null; // too many to remember: creations become uncountable
  }

  private accumulatorFor(key: string): Accumulator {
    const found = namespaceFor(key, this.options.custom);
    let pattern = found.pattern;
    if (!found.framework && !this.byPattern.has(pattern) && this.byPattern.size >= MAX_NAMESPACES) pattern = '(other)';
    let acc = this.byPattern.get(pattern);
    if (!acc) {
      acc = { pattern, framework: found.framework, interval: zero(), closed: zero(), base: 0, margin: 0, net: 0 };
      this.byPattern.set(pattern, acc);
    }
    return acc;
  }
}
