/**
 * How a watch interval is shown: one JSON line (pipes, scripts, `--format json`), or a plain table
 * that a terminal redraws in place (ANSI cursor moves, only when stdout is a TTY).
 */
import type { WatchInterval } from '../commands/watch.js';
import type { NamespaceRow } from './counters.js';
import type { EventKind } from './notify-classes.js';

export function renderJsonLine(report: WatchInterval): string {
  return `${JSON.stringify(report)}\n`;
}

export interface TableStyle {
  bold: (text: string) => string;
  dim: (text: string) => string;
  session: (text: string) => string;
  warn: (text: string) => string;
}

const PLAIN: TableStyle = { bold: (t) => t, dim: (t) => t, session: (t) => t, warn: (t) => t };

const n = (value: number) => value.toLocaleString('en-US');

function rate(row: NamespaceRow, kind: EventKind): string {
  const value = row.perSecond[kind];
  return value === null ? '-' : value.toFixed(value >= 100 ? 0 : 1);
}

function alive(row: NamespaceRow): string {
  return row.aliveMargin > 0 ? `~${n(row.alive)} ±${n(row.aliveMargin)}` : n(row.alive);
}

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/**
 * @param width terminal columns; @param maxRows namespace rows that fit (the rest are summed in one line)
 */
export function renderTable(report: WatchInterval, options: { width?: number; maxRows?: number; style?: TableStyle } = {}): string {
  const style = options.style ?? PLAIN;
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  const clock = report.time.slice(11, 19);
  lines.push(`${style.bold('session-audit watch')}  ${report.source}  ${clock} UTC  (elapsed ${report.elapsedSeconds}s, interval ${report.seconds.toFixed(1)}s)`);
  lines.push(report.notice ? style.warn(report.notice) : 'keyspace notifications');
  lines.push(`alive: ${report.alive}; created: ${report.created ?? 'not seen'}`);
  for (const note of report.notes) lines.push(style.warn(note));
  lines.push('');

  const maxRows = Math.max(1, options.maxRows ?? 30);
  const shown = report.namespaces.slice(0, maxRows);
  const titles = ['CREATED/s', 'EXPIRED/s', 'DELETED/s', 'EVICTED/s', 'ALIVE'];
  const cells = shown.map((row) => [rate(row, 'created'), rate(row, 'expired'), rate(row, 'deleted'), rate(row, 'evicted'), alive(row)]);
  // Every line shorter than the terminal (a full-width line makes some terminals wrap, and the
  // in-place redraw then goes back up too few lines): the number columns first (a space narrower
  // when that keeps the framework column), then the framework and namespace share what is left; on
  // a narrow terminal the framework column goes.
  const columnsAt = (rateWidth: number) => titles.map((_, i) => Math.max(i < 4 ? rateWidth : 9, ...cells.map((c) => c[i].length)));
  const restOf = (numbers: number[]) => width - 1 - numbers.reduce((a, b) => a + b, 0) - numbers.length;
  let numbers = columnsAt(10);
  if (restOf(numbers) < 12 + 1 + 16) numbers = columnsAt(9);
  const rest = restOf(numbers);
  const frameworkWidth = Math.min(16, rest - 1 - 12);
  const withFramework = frameworkWidth >= 8;
  const nameWidth = Math.max(9, Math.min(60, withFramework ? rest - 1 - frameworkWidth : rest));
  const head = ['NAMESPACE'.padEnd(nameWidth), ...(withFramework ? ['FRAMEWORK'.padEnd(frameworkWidth)] : []), ...titles.map((h, i) => h.padStart(numbers[i]))];
  lines.push(style.bold(head.join(' ')));
  shown.forEach((row, r) => {
    const name = fit(row.pattern, nameWidth);
    const framework = fit(row.framework ? `${row.framework}${row.role && row.role !== 'session' ? ` (${row.role})` : ''}` : '', frameworkWidth);
    const padded = cells[r].map((cell, i) => cell.padStart(numbers[i]));
    lines.push([row.session ? style.session(name) : name, ...(withFramework ? [framework] : []), ...padded].join(' '));
  });
  if (report.namespaces.length === 0) lines.push(style.dim('(no keys seen yet)'));
  const hidden = report.namespaces.length - shown.length;
  if (hidden > 0) lines.push(style.dim(`… ${hidden} more namespaces (--namespace to pick, --format json for all)`));
  lines.push('');
  const s = report.server;
  lines.push(style.dim(`server (INFO): ${n(s.keys)} keys, ${n(s.expires)} with a TTL; expired ${s.expiredPerSecond.toFixed(1)}/s, evicted ${s.evictedPerSecond.toFixed(1)}/s (all databases)`));
  return `${lines.join('\n')}\n`;
}

/** Redraws a block of text in place on a terminal: the cursor goes back up over the previous block. */
export class InPlace {
  private lines = 0;

  constructor(
    private readonly write: (text: string) => void,
    /** Terminal columns. */
    private readonly columns: () => number,
    /** Terminal rows, when known. */
    private readonly rows?: () => number,
  ) {}

  show(text: string): void {
    const width = Math.max(20, this.columns());
    // Visible length: without colour escapes.
    const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');
    // Long lines are wrapped here (not by the terminal), so the count of lines to go back up is right.
    const lines = text
      .replace(/\n$/, '')
      .split('\n')
      .flatMap((line) => {
        const plain = visible(line);
        if (plain.length < width) return [line];
        const parts: string[] = [];
        for (let at = 0; at < plain.length; at += width - 1) parts.push(plain.slice(at, at + width - 1));
        return parts;
      });
    // The cursor cannot go back above the top of the screen: a block taller than the terminal would
    // leave a copy of its top lines behind at every redraw, so it is cut to the screen's height.
    const height = this.rows?.() || 0;
    if (height > 1 && lines.length > height - 1) lines.splice(height - 1);
    // Up to the first line of the previous block, then clear to the end of the screen.
    const up = this.lines > 0 ? `\x1b[${this.lines}F\x1b[J` : '';
    this.write(`${up}${lines.join('\n')}\n`);
    this.lines = lines.length;
  }
}
