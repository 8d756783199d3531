import { describe, expect, it } from 'vitest';
import { TTL_BUCKETS, type SessionMap } from '../../src/model/index.js';
import { htmlReporter } from '../../src/reporters/html.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { HOSTILE, largeMap, sampleMap, sampleReport, sampleStore } from '../support/map-report.js';

const html = (parts?: Parameters<typeof sampleReport>[0]) => htmlReporter(sampleReport(parts), { color: false });
const attributes = (text: string, name: string) => [...text.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((match) => match[1]);
const unescape = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('html reporter', () => {
  it('is registered as --format html', () => {
    expect(REPORTERS.html).toBe(htmlReporter);
  });

  it('is one self-contained page: no script, no link, nothing fetched', () => {
    const page = html();
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link/i);
    expect(page).not.toMatch(/<(img|iframe|object|embed|image|use)\b/i);
    expect(page).not.toMatch(/\s(src|href|xlink:href)=/i);
    expect(page).not.toMatch(/@import|@font-face/i);
    expect(page).not.toMatch(/https?:\/\//i);
    // The only url() is the arrowhead marker, inside the page.
    expect([...page.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1])).toEqual(expect.arrayContaining(['#map-arrow']));
    expect([...page.matchAll(/url\(([^)]*)\)/g)].every((match) => match[1].startsWith('#'))).toBe(true);
  });

  it('escapes every name and message: markup from config files is inert text', () => {
    const page = html();
    expect(page).not.toContain(HOSTILE);
    expect(page).not.toContain('<b>now</b>');
    expect(page).toContain('api &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Use connect-redis &amp; a shared store &lt;b&gt;now&lt;/b&gt;.');
    expect(page).toContain('web &quot;quoted&quot; app');
    expect(page).toContain('<code>sess:* &lt;script&gt;alert(1)&lt;/script&gt;</code>');
  });

  it('escapes attribute values too', () => {
    const map: SessionMap = {
      nodes: [{ id: `app:"><script>alert(1)</script>`, kind: 'app', name: `x' onmouseover='alert(1)`, file: null, line: null, facts: [], severity: 'high' }],
      edges: [],
      unlinked: [],
    };
    const page = html({ map });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain("x' onmouseover");
    expect(attributes(page, 'data-id').map(unescape)).toEqual([`app:"><script>alert(1)</script>`]);
  });

  it('draws one node group per map node, with its id, kind and a hover title', () => {
    const map = sampleMap();
    const page = html();
    const groups = [...page.matchAll(/<g class="node" data-id="([^"]*)" data-kind="([^"]*)"[^>]*><title>([^<]*)<\/title>/g)];
    expect(groups).toHaveLength(map.nodes.length);
    expect(groups.map((group) => unescape(group[1]))).toEqual(expect.arrayContaining(map.nodes.map((node) => node.id)));
    expect(new Set(groups.map((group) => group[2]))).toEqual(new Set(['proxy', 'pool', 'app', 'store']));
    const api = groups.find((group) => unescape(group[1]) === 'app:api')!;
    expect(unescape(api[3])).toBe(`api ${HOSTILE} (app)\n2 replicas\nsessions: MemoryStore (per node)\ncompose.yml:5\nworst finding: high`);
    expect(page.match(/<path class="edge"/g)).toHaveLength(map.edges.length);
    const [width, height] = /<svg class="session-map" viewBox="0 0 (\d+) (\d+)"/.exec(page)!.slice(1).map(Number);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    for (const [x, y, w, h] of [...page.matchAll(/<g class="node"[^>]*><title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number))) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(width);
      expect(y + h).toBeLessThanOrEqual(height);
    }
  });

  it('lays a bigger map out in columns by kind, without overlapping boxes', () => {
    const map = largeMap();
    const page = html({ map });
    const boxes = [...page.matchAll(/<g class="node" data-id="[^"]*" data-kind="([^"]*)"[^>]*><title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map(
      (match) => ({ kind: match[1], x: Number(match[2]), y: Number(match[3]), w: Number(match[4]), h: Number(match[5]) }),
    );
    expect(boxes).toHaveLength(map.nodes.length);
    const columns = ['proxy', 'pool', 'app', 'store'].map((kind) => new Set(boxes.filter((box) => box.kind === kind).map((box) => box.x)));
    expect(columns.map((xs) => xs.size)).toEqual([1, 1, 1, 1]);
    expect(columns.map((xs) => [...xs][0])).toEqual([...columns.map((xs) => [...xs][0])].sort((a, b) => a - b));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b || a.x !== b.x) continue;
        expect(a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
      }
    }
  });

  it('has a header with counts by severity and the findings grouped by severity', () => {
    const page = html();
    expect(page).toContain('<li class="sev-critical"><span class="n">1</span><span class="label">Critical</span></li>');
    expect(page).toContain('<li class="sev-low zero"><span class="n">0</span><span class="label">Low</span></li>');
    const order = ['session-key-no-ttl', 'in-memory-sessions', 'sticky-session'].map((rule) => page.indexOf(`<code class="rule">${rule}</code>`));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain('<code class="where">deploy/nginx.conf:10</code>');
    expect(page).toContain('<code class="where">redis://redis:6379</code>');
    expect(page).toContain('<pre><code>ip_hash;</code></pre>');
    expect(page).toContain('<p class="fix"><strong>Fix:</strong> Set a TTL on every session key.</p>');
  });

  it('charts each session namespace by TTL bucket, with counts, and tables every namespace', () => {
    const store = sampleStore();
    const page = html();
    expect(page.match(/<svg class="ttl-chart"/g)).toHaveLength(1); // cache:* is not a session namespace
    const bars = [...page.matchAll(/<g class="bar" data-bucket="([^"]*)" data-count="(\d+)">/g)].map((match) => [unescape(match[1]), Number(match[2])]);
    expect(bars).toEqual(TTL_BUCKETS.map((bucket) => [bucket, store.namespaces[0].ttl.buckets[bucket]]));
    const labels = [...page.matchAll(/<text class="bar-count[^"]*"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    expect(labels).toEqual(['12', '0', '340', '1,200', '45', '3']);
    expect(page).toContain('<td><code>cache:*</code></td>');
    expect(page).toContain('<td class="num bad">12</td>');
    expect(page).toContain('<td class="num">1d / 7d</td>');
    expect(page).toContain('not checked: CONFIG GET refused by ACL');
  });

  it('leaves out the map and the stores when the report has neither (check)', () => {
    const page = htmlReporter({ ...sampleReport({ map: null }), stores: undefined }, { color: false });
    expect(page).not.toContain('<svg class="session-map"');
    expect(page).not.toContain('<svg class="ttl-chart"');
    expect(page).not.toContain('<h2>Session map</h2>');
    expect(page).not.toContain('<h2>Stores</h2>');
    expect(page).toContain('<h2>Findings</h2>');
  });
});

describe('json reporter', () => {
  it('includes the map and the stores when present', () => {
    const report = JSON.parse(jsonReporter(sampleReport(), { color: false }));
    expect(report.map).toEqual(sampleMap());
    expect(report.stores).toHaveLength(1);
  });
});
