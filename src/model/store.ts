/** A live session store as scan sees it: where it is, how it is set up, and what its keys look like. */
export type StoreKind = 'redis' | 'memcached';
export type StoreMode = 'standalone' | 'cluster' | 'sentinel';

export interface StoreRef {
  kind: StoreKind;
  /** The store URL or address with any password removed: shown in every finding about it. */
  source: string;
  mode: StoreMode;
}

export const TTL_BUCKETS = ['none', '<1h', '1h-24h', '1d-7d', '7d-30d', '>30d'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

export interface TtlSummary {
  keys: number;
  withoutTtl: number;
  /** Seconds; null when no key in the namespace has a TTL. */
  min: number | null;
  p50: number | null;
  p95: number | null;
  max: number | null;
  buckets: Record<TtlBucket, number>;
}

/** Keys grouped by framework shape (or by folded key segments), with their lifetimes. */
export interface Namespace {
  kind: 'namespace';
  store: StoreRef;
  pattern: string;
  /** Framework id (connect-redis, spring-session, ...) or null for other keys. */
  framework: string | null;
  frameworkName: string | null;
  /** What these keys are to the framework: sessions, or bookkeeping beside them. */
  role: 'session' | 'expiry' | 'index' | null;
  /** Exact for a full scan; an estimate with `errorMargin` (± keys, 95%) for a sample. */
  keys: number;
  errorMargin: number | null;
  ttl: TtlSummary;
  /** Seconds since last access, where the store reports it. */
  idle: { p50: number | null; max: number | null } | null;
  memoryBytes: number | null;
  /** A few keys (never values) without a TTL, and with the longest TTLs, for the findings. */
  examplesWithoutTtl: string[];
  examplesLongestTtl: string[];
  /** Spring Session principal indexes: how many sampled index entries point at sessions that are gone. */
  staleIndex: { indexesChecked: number; entries: number; stale: number; examples: string[] } | null;
}

/** Settings and health of one store (one node, or a cluster as a whole), from INFO / CONFIG GET / stats. */
export interface StoreFacts {
  kind: 'store';
  store: StoreRef;
  version: string | null;
  uptimeSeconds: number | null;
  maxmemoryBytes: number | null;
  usedMemoryBytes: number | null;
  /** Redis maxmemory-policy; for memcached "lru" (evictions on, the default) or "noeviction" (-M). */
  maxmemoryPolicy: string | null;
  evictedKeys: number | null;
  /** null: could not be checked (CONFIG refused). */
  rdbEnabled: boolean | null;
  aofEnabled: boolean | null;
  lastBgsaveOk: boolean | null;
  aofLastWriteOk: boolean | null;
  /** Replicas of the scanned master(s); null when unknown. */
  replicas: number | null;
  defaultUserWithoutPassword: boolean | null;
  protectedMode: boolean | null;
  /** Keyspace notifications flags (notify-keyspace-events), for Spring Session. */
  keyspaceEvents: string | null;
  tls: boolean;
  loopback: boolean;
  /** From the key walk: session keys, other keys that carry a TTL (cache-like), frameworks seen. */
  sessionKeys: number;
  /** true when the key counts are scaled up from a --sample. */
  keysEstimated: boolean;
  otherKeysWithTtl: number;
  frameworks: string[];
  /** Frameworks whose bookkeeping keys (expiry shadows, indexes) are present: Spring's indexed repository. */
  frameworksWithBookkeeping: string[];
  /** What the scan could not check, and why ("CONFIG GET refused by ACL"). */
  unchecked: string[];
}
