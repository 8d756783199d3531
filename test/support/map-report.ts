import type { Finding, SessionMap } from '../../src/model/index.js';
import type { ScanLikeReport } from '../../src/reporters/types.js';
import type { StoreReport } from '../../src/stores/store-report.js';

export const HOSTILE = '<script>alert(1)</script>';

/**
 * A small system by hand: nginx with two upstreams that both reach one app (so it is printed
 * twice), a second app, a Redis store, a pool no proxy leads to and an app nothing routes to.
 * One name carries markup and one carries quotes: they come from config files.
 */
export function sampleMap(): SessionMap {
  return {
    nodes: [
      { id: 'proxy:deploy/nginx.conf:nginx', kind: 'proxy', name: 'nginx', file: 'deploy/nginx.conf', line: 1, facts: [], severity: null },
      {
        id: 'pool:deploy/nginx.conf:upstream shop_backend',
        kind: 'pool',
        name: 'upstream shop_backend',
        file: 'deploy/nginx.conf',
        line: 10,
        facts: ['ip_hash: client IP'],
        severity: 'medium',
        affinity: 'ip_hash',
      },
      { id: 'pool:deploy/nginx.conf:upstream admin', kind: 'pool', name: 'upstream admin', file: 'deploy/nginx.conf', line: 20, facts: [], severity: null, affinity: null },
      {
        id: 'app:api',
        kind: 'app',
        name: `api ${HOSTILE}`,
        file: 'compose.yml',
        line: 5,
        facts: ['2 replicas', 'sessions: MemoryStore (per node)'],
        severity: 'high',
        replicas: 2,
        storage: 'memory',
      },
      { id: 'app:web', kind: 'app', name: 'web "quoted" app', file: 'compose.yml', line: 12, facts: [], severity: 'low', replicas: 3, storage: 'redis' },
      {
        id: 'store:redis://redis:6379',
        kind: 'store',
        name: 'redis:6379',
        file: null,
        line: null,
        facts: ['maxmemory-policy allkeys-lru', '12 session keys without TTL', 'no persistence'],
        severity: 'critical',
        source: 'redis://redis:6379',
      },
      { id: 'pool:k8s/legacy.yaml:Service shop/legacy', kind: 'pool', name: 'Service shop/legacy', file: 'k8s/legacy.yaml', line: 3, facts: ['sessionAffinity: ClientIP'], severity: 'info' },
      { id: 'app:legacy', kind: 'app', name: 'legacy', file: null, line: null, facts: [], severity: null, replicas: null },
      { id: 'app:cron', kind: 'app', name: 'cron', file: 'compose.yml', line: 30, facts: ['1 replica'], severity: null },
    ],
    edges: [
      { from: 'proxy:deploy/nginx.conf:nginx', to: 'pool:deploy/nginx.conf:upstream shop_backend' },
      { from: 'proxy:deploy/nginx.conf:nginx', to: 'pool:deploy/nginx.conf:upstream admin' },
      { from: 'pool:deploy/nginx.conf:upstream shop_backend', to: 'app:api' },
      { from: 'pool:deploy/nginx.conf:upstream shop_backend', to: 'app:web' },
      { from: 'pool:deploy/nginx.conf:upstream admin', to: 'app:api' },
      { from: 'app:api', to: 'store:redis://redis:6379' },
      { from: 'app:web', to: 'store:redis://redis:6379' },
      { from: 'pool:k8s/legacy.yaml:Service shop/legacy', to: 'app:legacy' },
    ],
    unlinked: [
      { node: 'app:cron', reason: 'no pool routes to it' },
      { node: 'cache:11211', reason: 'no app names this host' },
    ],
  };
}

function finding(overrides: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'message'>): Finding {
  return {
    category: 'session-store',
    file: null,
    line: null,
    column: null,
    source: null,
    evidence: null,
    fix: 'Keep sessions in a shared store.',
    resource: overrides.ruleId,
    fingerprint: `fp-${overrides.ruleId}`,
    ...overrides,
  };
}

export function sampleFindings(): Finding[] {
  return [
    finding({
      ruleId: 'session-key-no-ttl',
      severity: 'critical',
      category: 'session-ttl',
      message: '12 session keys "sess:*" have no TTL',
      source: 'redis://redis:6379',
      evidence: 'sess:abc (no TTL)',
      fix: 'Set a TTL on every session key.',
    }),
    finding({
      ruleId: 'in-memory-sessions',
      severity: 'high',
      message: `app api ${HOSTILE} keeps sessions in memory behind 2 replicas`,
      file: 'compose.yml',
      line: 5,
      column: 3,
      evidence: `name: "${HOSTILE}"`,
      fix: 'Use connect-redis & a shared store <b>now</b>.',
    }),
    finding({
      ruleId: 'sticky-session',
      severity: 'medium',
      category: 'sticky-session',
      message: 'upstream shop_backend pins clients by ip_hash',
      file: 'deploy/nginx.conf',
      line: 10,
      column: 9,
      evidence: 'ip_hash;',
    }),
  ];
}

export function sampleStore(): StoreReport {
  const buckets = { none: 12, '<1h': 0, '1h-24h': 340, '1d-7d': 1200, '7d-30d': 45, '>30d': 3 };
  const ttl = { keys: 1600, withoutTtl: 12, min: 60, p50: 86400, p95: 604800, max: 3000000, buckets };
  return {
    kind: 'redis',
    source: 'redis://redis:6379',
    mode: 'standalone',
    keysScanned: 1700,
    sample: null,
    durationMs: 420,
    method: 'lua',
    slotsCovered: null,
    unreachable: [],
    settings: {
      version: '7.2.4',
      uptimeSeconds: 3600,
      maxmemoryBytes: 268435456,
      usedMemoryBytes: 10485760,
      maxmemoryPolicy: 'allkeys-lru',
      evictedKeys: 17,
      rdbEnabled: false,
      aofEnabled: false,
      lastBgsaveOk: true,
      aofLastWriteOk: true,
      replicas: 0,
      defaultUserWithoutPassword: true,
      protectedMode: false,
      keyspaceEvents: '',
      tls: false,
      loopback: false,
      sessionKeys: 1600,
      keysEstimated: false,
      otherKeysWithTtl: 100,
      frameworks: ['connect-redis'],
      frameworksWithBookkeeping: [],
    },
    unchecked: ['CONFIG GET refused by ACL'],
    namespaces: [
      {
        pattern: `sess:* ${HOSTILE}`,
        framework: 'connect-redis',
        frameworkName: 'connect-redis',
        role: 'session',
        keys: 1600,
        errorMargin: null,
        ttl,
        idle: null,
        memoryBytes: 204800,
        staleIndex: null,
        withoutTtl: 12,
      },
      {
        pattern: 'cache:*',
        framework: null,
        frameworkName: null,
        role: null,
        keys: 100,
        errorMargin: null,
        ttl: { keys: 100, withoutTtl: 0, min: 10, p50: 300, p95: 600, max: 900, buckets: { none: 0, '<1h': 100, '1h-24h': 0, '1d-7d': 0, '7d-30d': 0, '>30d': 0 } },
        idle: null,
        memoryBytes: 4096,
        staleIndex: null,
        withoutTtl: 0,
      },
    ],
  };
}

/** `scan`'s report for the sample system: findings, the map and one store. */
export function sampleReport(parts: { map?: SessionMap | null; stores?: StoreReport[] } = {}): ScanLikeReport {
  const findings = sampleFindings();
  const bySeverity: ScanLikeReport['summary']['bySeverity'] = {};
  for (const { severity } of findings) bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
  return {
    tool: { name: 'session-audit', version: '0.1.0' },
    findings,
    summary: { files: 3, findings: findings.length, bySeverity, suppressed: 0, baselined: 0, errors: 0 },
    errors: [],
    ...(parts.map === null ? {} : { map: parts.map ?? sampleMap() }),
    stores: parts.stores ?? [sampleStore()],
  };
}

/** A bigger system, to check the layout: 3 proxies, 9 pools, 14 apps (some behind two pools), 4 stores, long names. */
export function largeMap(): SessionMap {
  const nodes: SessionMap['nodes'] = [];
  const edges: SessionMap['edges'] = [];
  const severities = ['critical', 'high', 'medium', 'low', 'info', null, null, null] as const;
  const add = (kind: 'proxy' | 'pool' | 'app' | 'store', index: number, facts: string[]) =>
    nodes.push({ id: `${kind}:${index}`, kind, name: `${kind} number ${index} with a rather long name`, file: `deploy/${kind}.conf`, line: index + 1, facts, severity: severities[(index * 7) % 8] });
  for (let i = 0; i < 3; i++) add('proxy', i, ['nginx']);
  for (let i = 0; i < 9; i++) {
    add('pool', i, i % 2 ? ['ip_hash (client IP)', '3 members'] : ['no affinity']);
    edges.push({ from: `proxy:${(i * 5) % 3}`, to: `pool:${i}` });
  }
  for (let i = 0; i < 14; i++) {
    add('app', i, ['2 replicas', 'sessions: MemoryStore (per node), with a long explanation']);
    edges.push({ from: `pool:${(i * 4) % 9}`, to: `app:${i}` });
    if (i % 3 === 0) edges.push({ from: `pool:${(i + 2) % 9}`, to: `app:${i}` });
  }
  for (let i = 0; i < 4; i++) add('store', i, ['redis']);
  for (let i = 0; i < 14; i++) edges.push({ from: `app:${i}`, to: `store:${i % 4}` });
  edges.push({ from: 'proxy:0', to: 'proxy:1' });
  return { nodes, edges, unlinked: [] };
}
