import { describe, expect, it } from 'vitest';
import type { SessionMap } from '../../src/model/index.js';
import { renderMapTree } from '../../src/reporters/map-tree.js';
import { tableReporter } from '../../src/reporters/table.js';
import { sampleMap, sampleReport } from '../support/map-report.js';

const TREE = `Session map
nginx  deploy/nginx.conf:1
├─ upstream shop_backend [ip_hash: client IP]  deploy/nginx.conf:10
│  ├─ api <script>alert(1)</script> [2 replicas · sessions: MemoryStore (per node)]  compose.yml:5
│  │  └─ redis:6379 [maxmemory-policy allkeys-lru · 12 session keys without TTL · no persistence]
│  └─ web "quoted" app [3 replicas · sessions: Redis]  compose.yml:12
│     └─ redis:6379 [maxmemory-policy allkeys-lru · 12 session keys without TTL · no persistence]
└─ upstream admin [no affinity]  deploy/nginx.conf:20
   └─ api <script>alert(1)</script> [2 replicas · sessions: MemoryStore (per node)]  compose.yml:5
      └─ redis:6379 [maxmemory-policy allkeys-lru · 12 session keys without TTL · no persistence]
not behind any proxy found
├─ Service shop/legacy [sessionAffinity: ClientIP]  k8s/legacy.yaml:3
│  └─ legacy
└─ cron [1 replica]  compose.yml:30`;

describe('renderMapTree', () => {
  it('prints proxies, pools, apps and stores as a tree; a node behind two pools under both', () => {
    expect(renderMapTree(sampleMap(), { color: false })).toBe(TREE);
  });

  it('lists what could not be linked only when verbose', () => {
    expect(renderMapTree(sampleMap(), { color: false, verbose: true })).toBe(
      `${TREE}\nnot linked\n├─ cron: no pool routes to it  compose.yml:30\n└─ cache:11211: no app names this host`,
    );
  });

  it('does not repeat the name when the reason starts with it, nor an entry given twice', () => {
    const map = sampleMap();
    map.unlinked = [
      { node: 'app:cron', reason: 'cron: no proxy routes to it' },
      { node: 'app:cron', reason: 'cron: no proxy routes to it' },
    ];
    expect(renderMapTree(map, { color: false, verbose: true }).split('\n').slice(-2)).toEqual(['not linked', '└─ cron: no proxy routes to it  compose.yml:30']);
  });

  it('colours by severity only when asked', () => {
    const plain = renderMapTree(sampleMap(), { color: false });
    expect(plain).not.toMatch(/\u001b\[/);
    const coloured = renderMapTree(sampleMap(), { color: true });
    expect(coloured).toContain('\u001b[31mapi <script>alert(1)</script> [2 replicas'); // high: red
    expect(coloured).toContain('\u001b[33mupstream shop_backend [ip_hash: client IP]'); // medium: yellow
    expect(coloured).toContain('\u001b[2mcompose.yml:5\u001b[22m'); // file:line dim
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('derives facts from typed fields when the map builder gave none', () => {
    const map: SessionMap = {
      nodes: [
        { id: 'p', kind: 'proxy', name: 'HAProxy', file: null, line: null, facts: [], severity: null },
        { id: 'b', kind: 'pool', name: 'backend web', file: 'haproxy.cfg', line: 7, facts: [], severity: null, affinity: 'stick-table' },
        { id: 'a', kind: 'app', name: 'web', file: null, line: null, facts: [], severity: null, replicas: 1, storage: 'file' },
      ],
      edges: [
        { from: 'p', to: 'b' },
        { from: 'b', to: 'a' },
      ],
      unlinked: [],
    };
    expect(renderMapTree(map, { color: false })).toBe(
      'Session map\nHAProxy\n└─ backend web [stick-table]  haproxy.cfg:7\n   └─ web [1 replica · sessions: files (per node)]',
    );
  });

  it('cuts cycles, and still prints nodes only a cycle leads to', () => {
    const node = (id: string, kind: 'proxy' | 'pool' | 'app') => ({ id, kind, name: id, file: null, line: null, facts: ['x'], severity: null });
    const map: SessionMap = {
      nodes: [node('front', 'proxy'), node('loop-pool', 'pool'), node('loop-app', 'app'), node('island-pool', 'pool'), node('island-app', 'app')],
      edges: [
        { from: 'front', to: 'loop-pool' },
        { from: 'loop-pool', to: 'loop-app' },
        { from: 'loop-app', to: 'loop-pool' },
        { from: 'island-pool', to: 'island-app' },
        { from: 'island-app', to: 'island-pool' },
        { from: 'front', to: 'missing-node' },
      ],
      unlinked: [],
    };
    expect(renderMapTree(map, { color: false })).toBe(
      [
        'Session map',
        'front [x]',
        '└─ loop-pool [x]',
        '   └─ loop-app [x]',
        '      └─ loop-pool [x] (cycle)',
        'not behind any proxy found',
        '└─ island-pool [x]',
        '   └─ island-app [x]',
        '      └─ island-pool [x] (cycle)',
      ].join('\n'),
    );
  });

  it('prints a proxy in front of another proxy under it, not twice as a root', () => {
    const map: SessionMap = {
      nodes: [
        { id: 'cdn', kind: 'proxy', name: 'cdn', file: null, line: null, facts: [], severity: null },
        { id: 'nginx', kind: 'proxy', name: 'nginx', file: null, line: null, facts: [], severity: null },
      ],
      edges: [{ from: 'cdn', to: 'nginx' }],
      unlinked: [],
    };
    expect(renderMapTree(map, { color: false })).toBe('Session map\ncdn\n└─ nginx');
  });
});

describe('table reporter', () => {
  it('prints the map tree before the stores and findings', () => {
    const text = tableReporter(sampleReport(), { color: false });
    expect(text.startsWith(`${TREE}\n\n`)).toBe(true);
    expect(text.indexOf('redis://redis:6379 (redis standalone')).toBeGreaterThan(TREE.length);
    expect(text).toMatch(/│ critical │ session-key-no-ttl/);
    expect(tableReporter(sampleReport(), { color: false, verbose: true })).toContain('not linked\n├─ cron: no pool routes to it');
  });

  it('prints no map when the report has none (check) or it is empty', () => {
    expect(tableReporter(sampleReport({ map: null }), { color: false })).not.toContain('Session map');
    expect(tableReporter(sampleReport({ map: { nodes: [], edges: [], unlinked: [] } }), { color: false })).not.toContain('Session map');
  });
});
