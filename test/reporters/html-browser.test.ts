import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionMap } from '../../src/model/index.js';
import { htmlReporter } from '../../src/reporters/html.js';
import { largeMap, sampleMap, sampleReport } from '../support/map-report.js';
import { repoRoot } from '../support/parse.js';

// The HTML report as a user sees it: Debian's chromium, driven by playwright-core (no browser download).
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(repoRoot, 'test-results/report.png');

let browser: Browser;
let dir: string;

/** Fails (never skips) each test when the browser is not installed. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report is checked in a real browser. Install it with: apt-get install chromium`);
  }
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return; // each test fails with the install hint
  dir = mkdtempSync(path.join(tmpdir(), 'session-audit-html-'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], timeout: 8000 });
}, 10_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Open the report from a file: URL, failing on any console error, page error, dialog or request that leaves the file. */
async function open(name: string, map: SessionMap): Promise<{ page: Page; problems: string[] }> {
  requireChromium();
  const file = path.join(dir, name);
  writeFileSync(file, htmlReporter(sampleReport({ map }), { color: false }));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

/** Every map node drawn, visible, with a real box inside the SVG. */
async function expectNodesVisible(page: Page, map: SessionMap): Promise<void> {
  const svg = await page.locator('svg.session-map').boundingBox();
  expect(svg).not.toBeNull();
  const nodes = page.locator('svg.session-map g.node');
  expect(await nodes.count()).toBe(map.nodes.length);
  const ids = await nodes.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-id')));
  expect(ids.sort()).toEqual(map.nodes.map((node) => node.id).sort());
  for (const node of await nodes.all()) {
    await expect.poll(() => node.isVisible()).toBe(true);
    const box = (await node.boundingBox())!;
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
    expect(box.x).toBeGreaterThanOrEqual(svg!.x - 1);
    expect(box.y).toBeGreaterThanOrEqual(svg!.y - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(svg!.x + svg!.width + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(svg!.y + svg!.height + 1);
  }
}

describe('html report in a browser', () => {
  it('renders without errors, shows every map node and the TTL chart, and runs nothing', async () => {
    const map = sampleMap();
    const { page, problems } = await open('report.html', map);
    try {
      await expectNodesVisible(page, map);
      expect(await page.locator('script').count()).toBe(0);
      // The hostile name is shown as text.
      await expect.poll(() => page.locator('svg.session-map g.node[data-id="app:api"] text.node-name').textContent()).toContain('api <script>');
      expect(await page.locator('.finding').count()).toBe(3);
      const chart = page.locator('svg.ttl-chart');
      expect(await chart.count()).toBe(1);
      expect((await chart.boundingBox())!.height).toBeGreaterThan(50);
      expect(await chart.locator('g.bar').count()).toBe(6);
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 10_000);

  it('lays out a bigger map with every node visible', async () => {
    const map = largeMap();
    const { page, problems } = await open('large.html', map);
    try {
      await expectNodesVisible(page, map);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 10_000);
});
