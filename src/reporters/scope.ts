/** What a report looked at, for people: "7 config files and 1 store", "2 log inputs (380 requests)". */
import type { LogsSection } from '../logs/analyse.js';
import type { ScanLikeReport } from './types.js';

const plural = (value: number, word: string) => `${value.toLocaleString('en-US')} ${word}${value === 1 ? '' : 's'}`;

export function scopeOf(report: ScanLikeReport): string {
  const { summary } = report;
  const logs = (report as { logs?: LogsSection }).logs;
  if (logs) return `${plural(summary.files, 'log input')} (${plural(logs.requests, 'request')})`;
  const stores = report.stores?.length ?? 0;
  return [summary.files > 0 || stores === 0 ? plural(summary.files, 'config file') : '', stores > 0 ? plural(stores, 'store') : ''].filter(Boolean).join(' and ');
}
