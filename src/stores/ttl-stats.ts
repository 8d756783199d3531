/**
 * TTL distribution of one namespace in fixed memory, whatever the keyspace size: bucket counts,
 * exact min/max, and percentiles from a logarithmic histogram (bins 1% apart, so p50/p95 are within
 * 1% of the true value).
 */
import type { TtlBucket, TtlSummary } from '../model/index.js';

const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Bins up to ~10^10 s (300 years): TTLs beyond that land in the last bin. */
const BINS = Math.ceil(Math.log(1e10) / LOG_GROWTH) + 2;

export class TtlStats {
  private keys = 0;
  private withoutTtl = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;
  private readonly histogram = new Uint32Array(BINS);
  private readonly buckets: Record<TtlBucket, number> = { none: 0, '<1h': 0, '1h-24h': 0, '1d-7d': 0, '7d-30d': 0, '>30d': 0 };

  /** `pttlMs` as PTTL returns it: -1 no expiry; -2 gone since it was listed (not counted). */
  add(pttlMs: number): void {
    if (pttlMs === -2) return;
    this.keys++;
    if (pttlMs < 0) {
      this.withoutTtl++;
      this.buckets.none++;
      return;
    }
    const seconds = pttlMs / 1000;
    this.min = Math.min(this.min, seconds);
    this.max = Math.max(this.max, seconds);
    this.histogram[binOf(seconds)]++;
    this.buckets[bucketOf(seconds)]++;
  }

  summary(): TtlSummary {
    const withTtl = this.keys - this.withoutTtl;
    return {
      keys: this.keys,
      withoutTtl: this.withoutTtl,
      min: withTtl ? round(this.min) : null,
      p50: withTtl ? this.percentile(0.5, withTtl) : null,
      p95: withTtl ? this.percentile(0.95, withTtl) : null,
      max: withTtl ? round(this.max) : null,
      buckets: { ...this.buckets },
    };
  }

  private percentile(fraction: number, count: number): number {
    const rank = Math.ceil(fraction * count);
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += this.histogram[bin];
      // The bin's upper edge, clamped to what was really seen.
      if (seen >= rank) return round(Math.min(Math.max(bin === 0 ? 1 : GROWTH ** bin, this.min), this.max));
    }
    return round(this.max);
  }
}

function binOf(seconds: number): number {
  if (seconds <= 1) return 0;
  return Math.min(BINS - 1, Math.ceil(Math.log(seconds) / LOG_GROWTH));
}

function bucketOf(seconds: number): TtlBucket {
  if (seconds < 3600) return '<1h';
  if (seconds < 86400) return '1h-24h';
  if (seconds < 7 * 86400) return '1d-7d';
  if (seconds <= 30 * 86400) return '7d-30d';
  return '>30d';
}

const round = (seconds: number) => Math.round(seconds);
