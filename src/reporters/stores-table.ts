import type { ChalkInstance } from 'chalk';
import type { StoreReport } from '../stores/store-report.js';
import { formatDuration } from '../util/duration.js';
import { renderBoxTable } from './box-table.js';

const count = (value: number) => value.toLocaleString('en-US');
const seconds = (value: number | null) => (value === null ? '-' : formatDuration(value));
const bytes = (value: number | null) =>
  value === null ? '-' : value < 1024 ? `${value} B` : value < 1024 * 1024 ? `${(value / 1024).toFixed(0)} KiB` : `${(value / 1048576).toFixed(1)} MiB`;

/** Each store: one line about the walk, then its namespaces, largest first. */
export function renderStores(stores: StoreReport[], chalk: ChalkInstance, width: number): string {
  return stores
    .map((store) => {
      const sample = store.sample ? `, sampled ${count(store.sample.sampled)} of ${count(store.sample.total)} keys` : '';
      const method = store.method ? `, ${store.method}` : '';
      const slots = store.slotsCovered !== null ? `, ${count(store.slotsCovered)}/16384 slots` : '';
      const head = `${chalk.bold(store.source)} (${store.kind} ${store.mode}: ${count(store.keysScanned)} keys in ${(store.durationMs / 1000).toFixed(1)} s${sample}${method}${slots})`;
      const lines = [head];
      if (store.namespaces.length > 0) {
        const rows = store.namespaces.slice(0, 30).map((namespace) => [
          namespace.pattern,
          namespace.frameworkName ?? '',
          `${namespace.errorMargin ? '~' : ''}${count(namespace.keys)}${namespace.errorMargin ? ` ±${count(namespace.errorMargin)}` : ''}`,
          namespace.withoutTtl > 0 && namespace.role === 'session'
            ? [{ text: count(namespace.withoutTtl), style: (line: string) => chalk.red(line) }]
            : count(namespace.withoutTtl),
          `${seconds(namespace.ttl.p50)} / ${seconds(namespace.ttl.p95)} / ${seconds(namespace.ttl.max)}`,
          seconds(namespace.idle?.p50 ?? null),
          bytes(namespace.memoryBytes),
        ]);
        const fixed = [20, 10, 26, 10, 12];
        const pattern = Math.max(18, Math.min(50, width - fixed.reduce((a, b) => a + b, 0) - 24 - 8));
        lines.push(
          renderBoxTable(rows, {
            widths: [pattern, 24, ...fixed],
            head: ['Namespace', 'Framework', 'Keys', 'No TTL', 'TTL p50/p95/max', 'Idle p50', 'Memory'],
            headStyle: (text) => chalk.bold(text),
            borderStyle: (text) => chalk.gray(text),
          }),
        );
        if (store.namespaces.length > 30) lines.push(chalk.dim(`… and ${store.namespaces.length - 30} smaller namespaces (--format json lists them all)`));
      }
      for (const note of [...store.unchecked, ...store.unreachable.map((node) => `unreachable cluster master: ${node}`)]) {
        lines.push(chalk.yellow(`  not checked: ${note}`));
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
