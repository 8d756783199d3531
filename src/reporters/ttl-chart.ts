import { TTL_BUCKETS, type TtlBucket } from '../model/index.js';
import { compactCount, svgBarChart } from './svg-chart.js';

export { compactCount };

const BUCKET_LABELS: Record<TtlBucket, string> = {
  none: 'no TTL',
  '<1h': '< 1h',
  '1h-24h': '1h–24h',
  '1d-7d': '1d–7d',
  '7d-30d': '7d–30d',
  '>30d': '> 30d',
};

/** No TTL: the keys live forever; over 30 days: close to it. */
const BUCKET_COLORS: Record<TtlBucket, string> = {
  none: '#dc2626',
  '<1h': '#2563eb',
  '1h-24h': '#2563eb',
  '1d-7d': '#2563eb',
  '7d-30d': '#2563eb',
  '>30d': '#d97706',
};

/** One namespace's keys by TTL bucket (TTL_BUCKETS order), as an inline SVG bar chart with counts. */
export function ttlChart(namespace: { pattern: string; ttl: { buckets: Record<TtlBucket, number> }; errorMargin?: number | null }): string {
  const approx = namespace.errorMargin ? '~' : '';
  const bars = TTL_BUCKETS.map((bucket) => {
    const count = namespace.ttl.buckets[bucket] ?? 0;
    return {
      key: bucket,
      label: BUCKET_LABELS[bucket],
      count,
      color: BUCKET_COLORS[bucket],
      bad: bucket === 'none' && count > 0,
      title: `${BUCKET_LABELS[bucket]}: ${approx}${count.toLocaleString('en-US')} keys`,
    };
  });
  return svgBarChart(bars, { className: 'ttl-chart', ariaLabel: `Keys by TTL: ${namespace.pattern}`, approx });
}
