import { describe, expect, it } from 'vitest';
import type { LogsSection } from '../../src/logs/analyse.js';
import { svgTimeSeries } from '../../src/reporters/svg-chart.js';
import { renderTimelineText } from '../../src/reporters/timeline-text.js';
import { ttlChart } from '../../src/reporters/ttl-chart.js';

const START = Date.UTC(2026, 0, 5, 10, 0, 0);

function section(buckets: number, nodes: { name: string; requests: (index: number) => number; failures: (index: number) => number }[]): LogsSection {
  const series = nodes.map((node) => ({
    name: node.name,
    requests: Array.from({ length: buckets }, (_, index) => node.requests(index)),
    failures: Array.from({ length: buckets }, (_, index) => node.failures(index)),
  }));
  return {
    inputs: [],
    requests: 0,
    from: null,
    to: null,
    tracking: { sessions: 0, jtis: 0, capacity: 100_000, evicted: 0, logouts: 0 },
    timeline: { start: START, bucketSeconds: 60, buckets, nodes: series, total: { name: 'all', requests: [], failures: [] } },
  };
}

describe('terminal timeline', () => {
  const logs = section(30, [
    { name: 'app1', requests: () => 10, failures: () => 0 },
    { name: 'app2', requests: (index) => 10 + index, failures: (index) => (index === 20 ? 8 : index === 5 ? 1 : 0) },
  ]);

  it('draws one sparkline per node and marks auth failures with plain characters', () => {
    const text = renderTimelineText(logs, { color: false, width: 120 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Requests per node, one column = 1m, 2026-01-05 10:00 to 10:30 UTC');
    expect(lines[1]).toMatch(/^app1 │█{30}│ 300 req$/);
    expect(lines[2]).toMatch(/^app2 │▃.*█│ 735 req, 9 auth fail$/);
    const marks = lines[3].slice(lines[3].indexOf('│') + 1, lines[3].lastIndexOf('│'));
    expect(marks).toHaveLength(30);
    expect(marks[5]).toBe('x'); // 1 of 15: at least 5%
    expect(marks[20]).toBe('X');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('fits a narrow terminal by summing buckets, and colours only when asked', () => {
    const wide = section(600, [{ name: 'app1', requests: () => 1, failures: () => 0 }]);
    const text = renderTimelineText(wide, { color: false, width: 80 });
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/one column = 10m/);
    expect(renderTimelineText(logs, { color: true, width: 120 })).toMatch(/\u001b\[31m/);
  });

  it('prints nothing without times', () => {
    expect(renderTimelineText({ ...logs, timeline: { ...logs.timeline, start: null, buckets: 0, nodes: [] } }, { color: false, width: 100 })).toBe('');
  });
});

describe('SVG time series', () => {
  it('draws a row per series with alarms, escaped names, and merges buckets past the plot width', () => {
    const svg = svgTimeSeries(
      [
        { name: 'a<b>"c"', values: Array.from({ length: 2000 }, () => 2), alarms: Array.from({ length: 2000 }, (_, index) => (index === 10 ? 1 : 0)) },
        { name: 'app2', values: Array.from({ length: 2000 }, () => 1) },
      ],
      { className: 'timeline-chart', ariaLabel: 'x', start: START, bucketSeconds: 60, unit: 'requests', alarmUnit: 'auth failures' },
    );
    expect(svg).toContain('data-name="a&lt;b&gt;&quot;c&quot;"');
    expect(svg).not.toContain('a<b>');
    expect(svg.match(/<g class="series"/g)).toHaveLength(2);
    expect(svg.match(/<rect class="alarm"/g)).toHaveLength(1);
    expect(svg).toContain('data-total="4000" data-alarms="1"');
    expect(svg).toMatch(/\/3m<\/text>/); // 2000 buckets on 786 px: three a column
  });

  it('still draws the TTL bar chart the same way (shared helper)', () => {
    const svg = ttlChart({ pattern: 'sess:*', ttl: { buckets: { none: 5, '<1h': 1, '1h-24h': 0, '1d-7d': 0, '7d-30d': 0, '>30d': 2 } } });
    expect(svg).toContain('<svg class="ttl-chart"');
    expect(svg.match(/<g class="bar" data-bucket/g)).toHaveLength(6);
    expect(svg).toContain('<text class="bar-count bad"');
  });
});
