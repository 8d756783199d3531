import { esc } from './html-escape.js';

/**
 * Small inline SVG charts for the HTML report (no script, no external files): a bar chart with counts
 * over the bars (scan's keys by TTL) and a time series with one row per series (logs' requests and
 * auth failures per node per minute). Every label is escaped: names come from configs, stores and logs.
 */

/** 1,234 below 100,000; then 123k, 1.2M: a label has to fit over its bar. */
export function compactCount(value: number): string {
  if (value < 100_000) return value.toLocaleString('en-US');
  if (value < 1_000_000) return `${Math.round(value / 1000)}k`;
  if (value < 10_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  return `${Math.round(value / 1_000_000)}M`;
}

export interface Bar {
  /** data-bucket value and what the bar stands for. */
  key: string;
  label: string;
  count: number;
  color: string;
  /** Draw the count in the alarm colour. */
  bad?: boolean;
  /** The tooltip. */
  title: string;
}

export interface BarChartOptions {
  className: string;
  ariaLabel: string;
  width?: number;
  height?: number;
  /** Prefix of every count ("~" for estimates). */
  approx?: string;
}

/** Bars side by side with their count above and their label below. */
export function svgBarChart(bars: Bar[], options: BarChartOptions): string {
  const width = options.width ?? 372;
  const height = options.height ?? 170;
  const padX = 12;
  const top = 22;
  const bottom = 30;
  const pitch = (width - 2 * padX) / Math.max(1, bars.length);
  const bar = Math.min(38, pitch * 0.8);
  const plot = height - top - bottom;
  const max = Math.max(1, ...bars.map((one) => one.count));
  const approx = options.approx ?? '';
  const out = [
    `<svg class="${esc(options.className)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.ariaLabel)}">`,
    `<line x1="${padX}" y1="${top + plot}" x2="${width - padX}" y2="${top + plot}" stroke="#cbd5e1"/>`,
  ];
  bars.forEach((one, index) => {
    const barHeight = one.count === 0 ? 0 : Math.max(2, Math.round((one.count / max) * plot));
    const x = padX + index * pitch + (pitch - bar) / 2;
    const middle = padX + index * pitch + pitch / 2;
    out.push(
      `<g class="bar" data-bucket="${esc(one.key)}" data-count="${one.count}">`,
      `<title>${esc(one.title)}</title>`,
      `<rect x="${x.toFixed(1)}" y="${top + plot - barHeight}" width="${bar.toFixed(1).replace(/\.0$/, '')}" height="${barHeight}" rx="3" fill="${esc(one.color)}"/>`,
      `<text class="bar-count${one.bad ? ' bad' : ''}" x="${middle.toFixed(1)}" y="${top + plot - barHeight - 5}" text-anchor="middle">${esc(approx + compactCount(one.count))}</text>`,
      `<text class="bar-label" x="${middle.toFixed(1)}" y="${height - bottom + 17}" text-anchor="middle">${esc(one.label)}</text>`,
      '</g>',
    );
  });
  out.push('</svg>');
  return out.join('');
}

export interface TimeSeries {
  name: string;
  /** One value per bucket. */
  values: number[];
  /** Drawn over `values` in the alarm colour (e.g. failures among requests). */
  alarms?: number[];
}

export interface TimeSeriesOptions {
  className: string;
  ariaLabel: string;
  /** ms since the epoch of the first bucket, and bucket width in seconds: for the axis labels. */
  start: number;
  bucketSeconds: number;
  width?: number;
  rowHeight?: number;
  /** What a value counts, for tooltips: "requests". */
  unit: string;
  alarmUnit?: string;
}

const TIME_FORMAT = (ms: number, withDate: boolean) => {
  const iso = new Date(ms).toISOString();
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
};

/**
 * One row per series, all on the same time axis: the values as an area, the alarms as red columns over
 * it, each row scaled to its own maximum (written at its right), with a UTC time axis under the rows.
 * Buckets are merged (summed) when there are more than the plot has pixels for.
 */
export function svgTimeSeries(series: TimeSeries[], options: TimeSeriesOptions): string {
  const width = options.width ?? 1000;
  const rowHeight = options.rowHeight ?? 46;
  const left = 150;
  const right = 64;
  const top = 8;
  const axis = 26;
  const plotWidth = width - left - right;
  const length = Math.max(0, ...series.map((one) => one.values.length));
  const merge = Math.max(1, Math.ceil(length / plotWidth));
  const columns = Math.ceil(length / merge);
  const step = plotWidth / Math.max(1, columns);
  const height = top + series.length * rowHeight + axis;
  const bucketMs = options.bucketSeconds * 1000 * merge;
  const multiDay = length * options.bucketSeconds > 86400 || new Date(options.start).getUTCDate() !== new Date(options.start + length * options.bucketSeconds * 1000).getUTCDate();
  const sum = (values: number[] | undefined, column: number) => {
    let total = 0;
    if (!values) return 0;
    for (let index = column * merge; index < Math.min(values.length, (column + 1) * merge); index++) total += values[index];
    return total;
  };
  const out = [
    `<svg class="${esc(options.className)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.ariaLabel)}">`,
  ];
  series.forEach((one, row) => {
    const y0 = top + row * rowHeight;
    const base = y0 + rowHeight - 6;
    const plot = rowHeight - 14;
    const values = Array.from({ length: columns }, (_, column) => sum(one.values, column));
    const alarms = Array.from({ length: columns }, (_, column) => sum(one.alarms, column));
    const max = Math.max(1, ...values);
    const y = (value: number) => base - (value / max) * plot;
    const points = values.map((value, column) => `${(left + (column + 0.5) * step).toFixed(1)},${y(value).toFixed(1)}`);
    const area = columns > 0 ? `M${left.toFixed(1)},${base} L${points.join(' L')} L${(left + columns * step).toFixed(1)},${base} Z` : '';
    const totalValues = values.reduce((a, b) => a + b, 0);
    const totalAlarms = alarms.reduce((a, b) => a + b, 0);
    out.push(
      `<g class="series" data-name="${esc(one.name)}" data-total="${totalValues}" data-alarms="${totalAlarms}">`,
      `<title>${esc(`${one.name}: ${totalValues.toLocaleString('en-US')} ${options.unit}${options.alarmUnit ? `, ${totalAlarms.toLocaleString('en-US')} ${options.alarmUnit}` : ''}`)}</title>`,
      `<text class="series-name" x="${left - 8}" y="${(base - plot / 2 + 4).toFixed(1)}" text-anchor="end">${esc(one.name.length > 22 ? `${one.name.slice(0, 21)}…` : one.name)}</text>`,
      `<line x1="${left}" y1="${base}" x2="${left + plotWidth}" y2="${base}" stroke="#e2e8f0"/>`,
      area ? `<path class="area" d="${area}" fill="#bfdbfe" stroke="#2563eb" stroke-width="1"/>` : '',
    );
    alarms.forEach((alarm, column) => {
      if (alarm === 0) return;
      const top = y(Math.min(max, alarm));
      const when = options.start + column * bucketMs;
      out.push(
        `<rect class="alarm" x="${(left + column * step).toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, step).toFixed(1)}" height="${Math.max(1, base - top).toFixed(1)}" fill="#dc2626">` +
          `<title>${esc(`${one.name} ${TIME_FORMAT(when, true)} UTC: ${alarm.toLocaleString('en-US')} ${options.alarmUnit ?? ''} of ${values[column].toLocaleString('en-US')} ${options.unit}`)}</title></rect>`,
      );
    });
    out.push(`<text class="series-max" x="${left + plotWidth + 6}" y="${(base - plot + 8).toFixed(1)}">${esc(`${compactCount(max)}/${formatBucket(options.bucketSeconds * merge)}`)}</text>`, '</g>');
  });
  // Time axis: about one label per 120 px.
  const axisY = top + series.length * rowHeight + 16;
  const labels = Math.max(1, Math.min(columns, Math.floor(plotWidth / 120)));
  for (let label = 0; label <= labels; label++) {
    const column = Math.round((label / labels) * columns);
    const x = left + column * step;
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${axisY - 14}" x2="${x.toFixed(1)}" y2="${axisY - 10}" stroke="#94a3b8"/>`,
      `<text class="axis-label" x="${x.toFixed(1)}" y="${axisY}" text-anchor="${label === 0 ? 'start' : label === labels ? 'end' : 'middle'}">${esc(TIME_FORMAT(options.start + column * bucketMs, multiDay))}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}

/** "1m", "8m", "2h": the width of a bucket, for labels. */
export function formatBucket(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
