import { Chalk } from 'chalk';
import type { LogsSection } from '../logs/analyse.js';
import { compactCount, formatBucket } from './svg-chart.js';

/**
 * The terminal chart of `session-audit logs`: one row per upstream node, requests per time bucket as a
 * sparkline, and under it the buckets with auth failures (401/403, invalid-token, session-not-found):
 * "." some, "x" at least 5% of the bucket's requests, "X" at least 25%. Buckets are summed to fit the
 * width. Plain characters carry the meaning; colour (red failures) only adds to it on a terminal.
 */
const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function renderTimelineText(logs: LogsSection, options: { color: boolean; width: number }): string {
  const timeline = logs.timeline;
  if (timeline.start === null || timeline.buckets === 0 || timeline.nodes.length === 0) return '';
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const rows = timeline.nodes.length === 1 && timeline.nodes[0].name === '(none)' ? [{ ...timeline.nodes[0], name: 'all requests' }] : timeline.nodes;
  const nameWidth = Math.min(24, Math.max(...rows.map((row) => row.name.length)));
  const tails = rows.map((row) => {
    const requests = row.requests.reduce((a, b) => a + b, 0);
    const failures = row.failures.reduce((a, b) => a + b, 0);
    return `${compactCount(requests)} req${failures > 0 ? `, ${compactCount(failures)} auth fail` : ''}`;
  });
  const tailWidth = Math.max(...tails.map((tail) => tail.length));
  const plot = Math.max(10, Math.min(timeline.buckets, options.width - nameWidth - tailWidth - 6));
  const merge = Math.ceil(timeline.buckets / plot);
  const columns = Math.ceil(timeline.buckets / merge);
  const sums = (values: number[]) =>
    Array.from({ length: columns }, (_, column) => {
      let total = 0;
      for (let index = column * merge; index < Math.min(values.length, (column + 1) * merge); index++) total += values[index];
      return total;
    });
  const bucketSeconds = timeline.bucketSeconds * merge;
  const startIso = new Date(timeline.start).toISOString();
  const endIso = new Date(timeline.start + timeline.buckets * timeline.bucketSeconds * 1000).toISOString();
  const sameDay = startIso.slice(0, 10) === endIso.slice(0, 10);
  const lines = [
    chalk.bold(`Requests per node, one column = ${formatBucket(bucketSeconds)}, ${startIso.slice(0, 16).replace('T', ' ')} to ${sameDay ? endIso.slice(11, 16) : endIso.slice(0, 16).replace('T', ' ')} UTC`),
  ];
  const pad = (text: string) => (text.length > nameWidth ? `${text.slice(0, nameWidth - 1)}…` : text.padEnd(nameWidth));
  rows.forEach((row, index) => {
    const requests = sums(row.requests);
    const failures = sums(row.failures);
    const max = Math.max(1, ...requests);
    const spark = requests.map((value) => (value === 0 ? ' ' : SPARK[Math.min(7, Math.floor((value / max) * 7.999))])).join('');
    lines.push(`${pad(row.name)} │${spark}│ ${tails[index]}`);
    if (failures.some((value) => value > 0)) {
      const marks = failures.map((value, column) => {
        if (value === 0) return ' ';
        const rate = value / Math.max(1, requests[column]);
        return rate >= 0.25 ? 'X' : rate >= 0.05 ? 'x' : '.';
      });
      lines.push(`${' '.repeat(nameWidth)} │${chalk.red(marks.join(''))}│ auth failures`);
    }
  });
  if (rows.some((row) => row.failures.some((value) => value > 0))) {
    lines.push(chalk.dim(`${' '.repeat(nameWidth)}  auth failures: . some, x ≥5%, X ≥25% of the column's requests`));
  }
  return lines.join('\n');
}
