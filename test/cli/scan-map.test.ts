// `session-audit scan PATH`: the session map of the bundled demo, end to end through the built CLI,
// in every report format, and linked to a live Redis the test starts (never the machine's own).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapNode, SessionMap } from '../../src/model/index.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';
import { admin, loadKeys } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';

let redis: RedisProcess;

beforeAll(async () => {
  redis = await startRedis({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'volatile-lru'] });
  const client = admin(redis.port);
  await loadKeys(client, 'sess:', 300, 0, 3_600_000);
  await loadKeys(client, 'cache:page:', 200, 0, 60_000);
  await client.quit();
}, 60_000);

afterAll(async () => {
  await redis?.stop();
});

const byName = (map: SessionMap, name: string): MapNode | undefined => map.nodes.find((node) => node.name === name);
const edgeNames = (map: SessionMap) => map.edges.map((edge) => `${map.nodes.find((n) => n.id === edge.from)!.name} -> ${map.nodes.find((n) => n.id === edge.to)!.name}`);

describe('session-audit scan fixtures/demo', () => {
  it('maps proxy -> pool -> app -> store in JSON, with the random-logout risk of the in-memory app', () => {
    const run = runCli(['scan', 'fixtures/demo', '--format', 'json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const map: SessionMap = report.map;
    expect(edgeNames(map)).toEqual(expect.arrayContaining([
      'nginx -> upstream shop_backend',
      'upstream shop_backend -> shop',
      'nginx -> upstream account_backend',
      'upstream account_backend -> account',
      'account -> sessions',
      'Ingress shop/shop-api -> Service shop/shop-api',
      'Service shop/shop-api -> Deployment shop/shop-api',
    ]));
    expect(byName(map, 'shop')).toMatchObject({ kind: 'app', replicas: 3, storage: 'memory', severity: 'high', file: 'fixtures/demo/docker-compose.yml' });
    expect(byName(map, 'upstream shop_backend')).toMatchObject({ kind: 'pool', affinity: null, severity: 'critical', line: 15 });
    expect(byName(map, 'upstream account_backend')).toMatchObject({ kind: 'pool', affinity: 'client-ip' });
    expect(byName(map, 'sessions')).toMatchObject({ kind: 'store', source: null });
    // The compose services that are infrastructure (the nginx edge, the Redis) are not drawn as apps.
    expect(map.nodes.filter((node) => node.kind === 'app').map((node) => node.name).sort()).toEqual(['Deployment shop/shop-api', 'account', 'shop']);
    // What cannot be linked is listed with why, never guessed.
    expect(map.unlinked).toContainEqual({
      node: expect.stringContaining('Deployment shop/shop-api'),
      reason: 'Deployment shop/shop-api: sessions unknown: it runs image registry.example.com/shop-api:1.14.2 whose code is not among the files scanned',
    });
    const rules = report.findings.map((finding: { ruleId: string }) => finding.ruleId);
    expect(rules[0]).toBe('random-logout-risk'); // worst first
    expect(rules).toEqual(expect.arrayContaining(['in-memory-session-store', 'sticky-session-unneeded', 'sticky-session']));
  });

  it('prints the map as a tree before the findings, and the unlinked parts with --verbose', () => {
    const plain = runCli(['scan', 'fixtures/demo']).stdout;
    // Worst first: the proxy whose part of the map holds the critical finding opens the tree.
    expect(plain).toMatch(/^Session map\nnginx  fixtures\/demo\/deploy\/nginx\/conf\.d\/shop\.conf\n/);
    expect(plain).toContain('├─ upstream shop_backend [no affinity · 1 server]  fixtures/demo/deploy/nginx/conf.d/shop.conf:15');
    expect(plain).toContain('│  └─ shop [3 replicas · sessions: express-session MemoryStore (no store option) (per node)]  fixtures/demo/docker-compose.yml:15');
    expect(plain.indexOf('Session map')).toBeLessThan(plain.indexOf('random-logout-risk'));
    expect(plain).not.toContain('not linked');
    const verbose = runCli(['scan', 'fixtures/demo', '--verbose']).stdout;
    expect(verbose).toContain('assets-1.internal:8080: no compose service or Kubernetes Service named assets-1.internal in the files scanned');
  });

  it('scans the current folder when given no path', () => {
    const run = runCli(['scan', '--format', 'json'], { cwd: path.join(repoRoot, 'fixtures/demo') });
    const report = JSON.parse(run.stdout);
    expect(report.map.nodes.map((node: MapNode) => node.name)).toContain('shop');
    expect(report.findings.find((finding: { ruleId: string }) => finding.ruleId === 'random-logout-risk').file).toBe('deploy/nginx/conf.d/shop.conf');
  });

  it('writes Markdown with a Mermaid diagram, and one self-contained HTML file', () => {
    const markdown = runCli(['scan', 'fixtures/demo', '--format', 'markdown']).stdout;
    expect(markdown).toMatch(/### Session map\n\n```mermaid\nflowchart LR\n/);
    expect(markdown).toContain('random-logout-risk');
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'session-audit-html-')), 'report.html');
    const run = runCli(['scan', 'fixtures/demo', '--format', 'html', '--output', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html.match(/<g class="node"/g)?.length).toBe(JSON.parse(runCli(['scan', 'fixtures/demo', '--format', 'json']).stdout).map.nodes.length);
    expect(html).not.toMatch(/<script src|<link |https?:\/\//);
  });
});

describe('session-audit scan PATH --redis NAME=URL', () => {
  it('links the scanned store to the app that names it, and judges it', async () => {
    const source = `redis://127.0.0.1:${redis.port}`;
    const run = await runCliAsync(['scan', 'fixtures/demo', '--redis', `sessions=${source}`, '--format', 'json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const store = report.map.nodes.find((node: MapNode) => node.kind === 'store');
    expect(store).toMatchObject({ id: `store:${source}`, name: source, source, file: 'fixtures/demo/docker-compose.yml' });
    expect(store.facts).toEqual(['redis', '300 session keys', 'eviction: volatile-lru', 'not persistent']);
    expect(store.severity).toBe('medium');
    expect(edgeNames(report.map)).toContain(`account -> ${source}`);
    expect(report.findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('store-shared-with-cache');
  });

  it('shows a store no app names as unlinked, saying how to link it', async () => {
    const source = `redis://127.0.0.1:${redis.port}`;
    const run = await runCliAsync(['scan', 'fixtures/demo', '--redis', source, '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.map.unlinked).toContainEqual({
      node: `store:${source}`,
      reason: `${source}: no app config in the files scanned names host 127.0.0.1 (give --redis NAME=URL for the name the apps use)`,
    });
    expect(edgeNames(report.map)).toContain('account -> sessions');
  });
});
