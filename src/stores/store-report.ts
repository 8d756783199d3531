import type { Namespace, StoreFacts } from '../model/index.js';

/** What scanning one store gives: namespaces and facts for the rules, and its section of the report. */
export interface StoreScan {
  namespaces: Namespace[];
  facts: StoreFacts;
  report: StoreReport;
}

/** One store as the JSON report's `stores` section shows it (DESIGN.md, issue #3). */
export interface StoreReport {
  kind: 'redis' | 'memcached';
  source: string;
  mode: 'standalone' | 'cluster' | 'sentinel';
  /** Keys walked, over all nodes; with `sample`, how many of `total` were looked at. */
  keysScanned: number;
  sample: { sampled: number; total: number } | null;
  durationMs: number;
  /** Redis: lua (read-only script per page) or pipeline (the fallback), per node. */
  method: string | null;
  /** Cluster: slots served by the masters scanned, and masters that could not be. */
  slotsCovered: number | null;
  unreachable: string[];
  settings: Omit<StoreFacts, 'kind' | 'store' | 'unchecked'>;
  unchecked: string[];
  namespaces: Array<Omit<Namespace, 'kind' | 'store' | 'examplesWithoutTtl' | 'examplesLongestTtl'> & { withoutTtl: number }>;
}

export function storeReportOf(
  facts: StoreFacts,
  namespaces: Namespace[],
  walk: Pick<StoreReport, 'keysScanned' | 'sample' | 'durationMs' | 'method' | 'slotsCovered' | 'unreachable'>,
): StoreReport {
  const { kind: _kind, store, unchecked, ...settings } = facts;
  return {
    kind: store.kind,
    source: store.source,
    mode: store.mode,
    ...walk,
    settings,
    unchecked,
    namespaces: namespaces.map(({ kind: _k, store: _s, examplesWithoutTtl: _w, examplesLongestTtl: _l, ...namespace }) => ({
      ...namespace,
      withoutTtl: namespace.ttl.withoutTtl,
    })),
  };
}
