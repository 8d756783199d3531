import { TTL_BUCKETS, type TtlBucket } from '../model/index.js';
import { esc } from './html-escape.js';

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

const WIDTH = 372;
const HEIGHT = 170;
const PAD_X = 12;
const TOP = 22;
const BOTTOM = 30;
const PITCH = (WIDTH - 2 * PAD_X) / TTL_BUCKETS.length;
const BAR = 38;

/** 1,234 below 100,000; then 123k, 1.2M: a label has to fit over its bar. */
export function compactCount(value: number): string {
  if (value < 100_000) return value.toLocaleString('en-US');
  if (value < 1_000_000) return `${Math.round(value / 1000)}k`;
  if (value < 10_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  return `${Math.round(value / 1_000_000)}M`;
}

/** One namespace's keys by TTL bucket (TTL_BUCKETS order), as an inline SVG bar chart with counts. */
export function ttlChart(namespace: { pattern: string; ttl: { buckets: Record<TtlBucket, number> }; errorMargin?: number | null }): string {
  const counts = TTL_BUCKETS.map((bucket) => namespace.ttl.buckets[bucket] ?? 0);
  const max = Math.max(1, ...counts);
  const plot = HEIGHT - TOP - BOTTOM;
  const approx = namespace.errorMargin ? '~' : '';
  const out = [
    `<svg class="ttl-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${esc(`Keys by TTL: ${namespace.pattern}`)}">`,
    `<line x1="${PAD_X}" y1="${TOP + plot}" x2="${WIDTH - PAD_X}" y2="${TOP + plot}" stroke="#cbd5e1"/>`,
  ];
  TTL_BUCKETS.forEach((bucket, index) => {
    const count = counts[index];
    const height = count === 0 ? 0 : Math.max(2, Math.round((count / max) * plot));
    const x = PAD_X + index * PITCH + (PITCH - BAR) / 2;
    const middle = PAD_X + index * PITCH + PITCH / 2;
    out.push(
      `<g class="bar" data-bucket="${esc(bucket)}" data-count="${count}">`,
      `<title>${esc(`${BUCKET_LABELS[bucket]}: ${approx}${count.toLocaleString('en-US')} keys`)}</title>`,
      `<rect x="${x.toFixed(1)}" y="${TOP + plot - height}" width="${BAR}" height="${height}" rx="3" fill="${BUCKET_COLORS[bucket]}"/>`,
      `<text class="bar-count${bucket === 'none' && count > 0 ? ' bad' : ''}" x="${middle.toFixed(1)}" y="${TOP + plot - height - 5}" text-anchor="middle">${esc(approx + compactCount(count))}</text>`,
      `<text class="bar-label" x="${middle.toFixed(1)}" y="${HEIGHT - BOTTOM + 17}" text-anchor="middle">${esc(BUCKET_LABELS[bucket])}</text>`,
      '</g>',
    );
  });
  out.push('</svg>');
  return out.join('');
}
