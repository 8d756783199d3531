// The live table must fit the terminal: a line as wide as the terminal or wider is wrapped (by
// InPlace or the terminal), and a block taller than the screen cannot be redrawn in place.
import { describe, expect, it } from 'vitest';
import type { WatchInterval } from '../../src/commands/watch.js';
import { InPlace, renderTable } from '../../src/watch/render.js';

const row = (pattern: string, framework: string | null, alive: number, margin = 0) => ({
  pattern,
  framework,
  role: framework ? ('session' as const) : null,
  session: framework !== null,
  counts: { created: 31, expired: 12, deleted: 0, evicted: 118 },
  perSecond: { created: 31, expired: 12, deleted: 0, evicted: 118 },
  alive,
  aliveMargin: margin,
});

const report: WatchInterval = {
  time: '2026-11-28T14:02:07.000Z',
  source: 'redis://10.0.0.5:6379',
  mode: 'notifications',
  notice: null,
  seconds: 1,
  elapsedSeconds: 42,
  alive: 'counted',
  created: 'new-key events',
  namespaces: [row('sess:*', 'connect-redis', 48211), row('spring:session:sessions:*', 'spring-session', 2904), row('cache:item:*', null, 1_234_567, 12_345)],
  server: { keys: 171492, expires: 51115, expiredPerSecond: 15, evictedPerSecond: 158 },
  notes: [],
};

describe('watch table width', () => {
  for (const width of [60, 80, 90, 100, 120, 200]) {
    it(`${width} columns: the table lines are shorter than the terminal`, () => {
      // 60 columns cannot hold an 18-character estimate as well: a counted number there.
      const shown = width > 60 ? report : { ...report, namespaces: [...report.namespaces.slice(0, 2), row('cache:item:*', null, 120377)] };
      const lines = renderTable(shown, { width }).split('\n');
      const table = lines.slice(lines.findIndex((l) => l.startsWith('NAMESPACE')), lines.findIndex((l) => l.startsWith('cache:')) + 1);
      expect(table).toHaveLength(4);
      for (const line of table) expect(line.length, line).toBeLessThan(width);
      if (width > 60) expect(table[3]).toContain('~1,234,567 ±12,345');
    });
  }

  it('80 columns keeps the framework column; 60 drops it', () => {
    const counted = { ...report, namespaces: report.namespaces.slice(0, 2) };
    expect(renderTable(counted, { width: 80 })).toMatch(/sess:\*\s+connect-redis\s+31\.0/);
    expect(renderTable(report, { width: 60 })).not.toContain('FRAMEWORK');
  });

  it('InPlace cuts a block to the screen height, so the next redraw goes back up over all of it', () => {
    const out: string[] = [];
    const screen = new InPlace((text) => out.push(text), () => 80, () => 5);
    screen.show('1\n2\n3\n4\n5\n6\n7\n');
    expect(out[0]).toBe('1\n2\n3\n4\n');
    screen.show('x\n');
    expect(out[1].startsWith('\x1b[4F\x1b[J')).toBe(true);
  });
});
