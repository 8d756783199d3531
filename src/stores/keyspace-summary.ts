import type { Namespace, StoreRef } from '../model/index.js';
import type { SessionFramework } from './frameworks.js';
import { maskKey } from './mask-key.js';
import { namespaceFor } from './namespaces.js';
import { estimateCount } from './redis/sample.js';
import { TtlStats } from './ttl-stats.js';

/** One key as a store walk reports it. Values are never read. */
export interface KeyRecord {
  key: string;
  /** PTTL: -1 never expires, -2 gone since it was listed. */
  pttlMs: number;
  idleSeconds?: number | null;
  memoryBytes?: number | null;
  /** TYPE (`hash`, `string`...) when the walk read it for this key; a few typed keys are kept per namespace. */
  type?: string | null;
  /** The node the key lives on (a cluster's keys are spread over masters), for a second look at it. */
  node?: string;
}

/** A key whose TYPE the walk read, kept as an example of its namespace. */
export interface TypedExample {
  key: string;
  type: string;
  node?: string;
}

const EXAMPLES = 5;
/** Keyspaces with millions of distinct shapes still report in bounded memory: the rest is "(other)". */
const MAX_NAMESPACES = 500;

interface Accumulator {
  pattern: string;
  framework: string | null;
  frameworkName: string | null;
  role: Namespace['role'];
  ttl: TtlStats;
  idle: TtlStats | null;
  memoryBytes: number | null;
  withoutTtl: string[];
  longest: Array<{ key: string; pttlMs: number }>;
  /** Index keys (role "index") kept for a follow-up check, up to INDEX_SAMPLE. */
  indexKeys: string[];
  /** The first few keys with a known TYPE, and the distinct types seen (value-based recognition). */
  typed: TypedExample[];
  types: Set<string>;
}

/** Spring Session principal indexes checked for stale entries after the walk. */
const INDEX_SAMPLE = 200;

/** Folds a stream of keys into namespaces with TTL, idle and memory statistics, in fixed memory. */
export class KeyspaceSummary {
  private readonly byPattern = new Map<string, Accumulator>();

  constructor(
    private readonly store: StoreRef,
    /** `--session-pattern` shapes, matched before the built-in frameworks. */
    private readonly custom: readonly SessionFramework[] = [],
  ) {}

  add(record: KeyRecord): void {
    if (record.pttlMs === -2) return;
    const acc = this.accumulatorFor(record.key);
    acc.ttl.add(record.pttlMs);
    if (record.idleSeconds !== undefined && record.idleSeconds !== null) {
      // Idle seconds fit the same fixed-memory histogram as TTLs.
      (acc.idle ??= new TtlStats()).add(record.idleSeconds * 1000);
    }
    if (record.memoryBytes !== undefined && record.memoryBytes !== null) acc.memoryBytes = (acc.memoryBytes ?? 0) + record.memoryBytes;
    if (acc.role === 'index' && acc.indexKeys.length < INDEX_SAMPLE) acc.indexKeys.push(record.key);
    if (record.type && record.type !== 'none') {
      acc.types.add(record.type);
      if (acc.typed.length < EXAMPLES) acc.typed.push({ key: record.key, type: record.type, node: record.node });
    }
    if (record.pttlMs === -1) {
      if (acc.withoutTtl.length < EXAMPLES) acc.withoutTtl.push(record.key);
    } else if (acc.longest.length < EXAMPLES || record.pttlMs > acc.longest[acc.longest.length - 1].pttlMs) {
      acc.longest.push({ key: record.key, pttlMs: record.pttlMs });
      acc.longest.sort((a, b) => b.pttlMs - a.pttlMs);
      acc.longest.length = Math.min(acc.longest.length, EXAMPLES);
    }
  }

  /**
   * The namespaces, largest first. After a sample of `sampled` keys out of `total`, counts are scaled
   * up and carry a 95% error margin (see redis/sample.ts).
   */
  namespaces(sample?: { sampled: number; total: number }): Namespace[] {
    const scale = sample && sample.sampled > 0 ? sample.total / sample.sampled : 1;
    return [...this.byPattern.values()]
      .map((acc): Namespace => {
        const ttl = acc.ttl.summary();
        const idle = acc.idle?.summary();
        const scaled = (count: number) => Math.round(count * scale);
        const margin = sample && sample.sampled > 0 ? estimateCount(ttl.keys, sample.sampled, sample.total).margin95 : null;
        return {
          kind: 'namespace',
          store: this.store,
          pattern: acc.pattern,
          framework: acc.framework,
          frameworkName: acc.frameworkName,
          role: acc.role,
          keys: scaled(ttl.keys),
          errorMargin: margin,
          ttl: {
            ...ttl,
            keys: scaled(ttl.keys),
            withoutTtl: scaled(ttl.withoutTtl),
            buckets: Object.fromEntries(Object.entries(ttl.buckets).map(([bucket, count]) => [bucket, scaled(count)])) as typeof ttl.buckets,
          },
          idle: idle ? { p50: idle.p50, max: idle.max } : null,
          memoryBytes: acc.memoryBytes === null ? null : scaled(acc.memoryBytes),
          examplesWithoutTtl: acc.withoutTtl.map(maskKey),
          examplesLongestTtl: acc.longest.map((entry) => maskKey(entry.key)),
          staleIndex: null,
        };
      })
      .sort((a, b) => b.keys - a.keys || a.pattern.localeCompare(b.pattern));
  }

  /** Index keys seen (a bounded sample per namespace), for checks that need a second look. */
  indexKeys(pattern: string): string[] {
    return this.byPattern.get(pattern)?.indexKeys ?? [];
  }

  /** Up to 5 keys of the namespace whose TYPE is known, and every type seen in it. */
  typedExamples(pattern: string): { examples: TypedExample[]; types: string[] } {
    const acc = this.byPattern.get(pattern);
    return { examples: acc?.typed ?? [], types: acc ? [...acc.types] : [] };
  }

  private accumulatorFor(key: string): Accumulator {
    const named = namespaceFor(key, this.custom);
    const framework = named.framework;
    let pattern = named.pattern;
    if (!framework && !this.byPattern.has(pattern) && this.byPattern.size >= MAX_NAMESPACES) pattern = '(other)';
    let acc = this.byPattern.get(pattern);
    if (!acc) {
      acc = {
        pattern,
        framework: framework?.id ?? null,
        frameworkName: framework?.name ?? null,
        role: framework?.role ?? null,
        ttl: new TtlStats(),
        idle: null,
        memoryBytes: null,
        withoutTtl: [],
        longest: [],
        indexKeys: [],
        typed: [],
        types: new Set(),
      };
      this.byPattern.set(pattern, acc);
    }
    return acc;
  }
}
