/**
 * `--sample N`: walk only about N keys and scale up. The keys of a SCAN prefix are a uniform
 * random sample WITHOUT replacement (SCAN follows hash buckets, and the hash is unrelated to key
 * names), so a namespace's share of the sample estimates its share of the keyspace with the
 * hypergeometric error: 95% margin = 1.96 * total * sqrt(p(1-p)/n * (total-n)/(total-1)).
 * A namespace absent from the sample may still exist: up to 3/n of the keyspace (rule of three).
 */
export interface CountEstimate {
  /** Estimated number of keys in the keyspace with the property. */
  estimate: number;
  /** 95% margin of error, in keys (0 when the whole keyspace was walked). */
  margin95: number;
  /** true when found == scanned == total: exact. */
  exact: boolean;
}

/**
 * @param found keys in the sample with the property (a namespace, "no TTL"...)
 * @param scanned keys in the sample
 * @param total keys on the node (DBSIZE when the walk started)
 */
export function estimateCount(found: number, scanned: number, total: number): CountEstimate {
  if (scanned <= 0) return { estimate: 0, margin95: total, exact: false };
  if (scanned >= total) return { estimate: found, margin95: 0, exact: true };
  const p = found / scanned;
  const finite = (total - scanned) / Math.max(1, total - 1);
  const margin = found === 0 ? (3 / scanned) * total : 1.96 * total * Math.sqrt(((p * (1 - p)) / scanned) * finite);
  return { estimate: Math.round(p * total), margin95: Math.ceil(margin), exact: false };
}

/** Split a sample budget over cluster masters in proportion to their key counts (each gets >= 1). */
export function allocateSample(budget: number, sizes: number[]): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total === 0) return sizes.map(() => 1);
  return sizes.map((size) => Math.max(1, Math.round((budget * size) / total)));
}

export function formatEstimate(e: CountEstimate): string {
  return e.exact ? String(e.estimate) : `~${e.estimate} ±${e.margin95} (95%)`;
}
