import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pool, Workload } from '../../src/model/index.js';
import { composeParser } from '../../src/parsers/compose.js';
import { readEnvFile } from '../../src/parsers/env-file.js';
import { haproxyParser } from '../../src/parsers/haproxy.js';
import { kubernetesParser } from '../../src/parsers/kubernetes.js';
import { nginxParser } from '../../src/parsers/nginx.js';
import { sourceFromText } from '../../src/parsers/source.js';
import { traefikParser } from '../../src/parsers/traefik.js';
import type { ConfigParser, ModelFragment } from '../../src/parsers/types.js';
import { repoRoot } from '../support/parse.js';

/** The whole fragment of a fixture (path relative to the repo root), asserting the parser detects it. */
function fragment(parser: ConfigParser, relativePath: string): ModelFragment {
  const absPath = path.join(repoRoot, relativePath);
  const input = sourceFromText(relativePath, readFileSync(absPath, 'utf8'), absPath);
  if (!parser.detect(input)) throw new Error(`${relativePath} is not detected as ${parser.format}`);
  return parser.parse(input);
}

function fragmentOf(parser: ConfigParser, fileName: string, text: string): ModelFragment {
  return parser.parse(sourceFromText(fileName, text, path.join(repoRoot, 'fixtures', fileName)));
}

/** Name, line and members: what the session map links on. */
const brief = (pools: Pool[] | undefined) => (pools ?? []).map((p) => ({ name: p.name, line: p.location.line, members: p.members }));
const byName = (pools: Pool[] | undefined, name: string) => {
  const pool = (pools ?? []).find((p) => p.name === name);
  if (!pool) throw new Error(`no pool "${name}" in ${JSON.stringify((pools ?? []).map((p) => p.name))}`);
  return pool;
};
const workload = (workloads: Workload[] | undefined, name: string) => {
  const found = (workloads ?? []).find((w) => w.name === name);
  if (!found) throw new Error(`no workload "${name}" in ${JSON.stringify((workloads ?? []).map((w) => w.name))}`);
  return found;
};
const env = (w: Workload) => w.env.map((e) => ({ name: e.name, value: e.value, at: `${e.location.file}:${e.location.line}:${e.location.column}` }));

describe('nginx pools', () => {
  const FILE = 'fixtures/parsers/nginx/pools/nginx.conf';
  const { pools } = fragment(nginxParser, FILE);

  it('makes a pool of every upstream and of every pass directive to a host that is not an upstream, in file order', () => {
    expect(brief(pools)).toEqual([
      {
        name: 'upstream backend',
        line: 12,
        members: [
          { host: 'backend1.example.com' },
          { host: 'backend2.example.com', port: 8080 },
          { host: 'unix:/tmp/backend3' },
          { host: '::1', port: 8081 },
          { host: 'backup1.example.com', port: 8080 },
        ],
      },
      { name: 'upstream grpcservers', line: 22, members: [{ host: '127.0.0.1', port: 50051 }] },
      // `proxy_pass http://api:3000/v1/` and `http://api:3000` are one target: one pool, at the first.
      { name: 'proxy_pass http://api:3000', line: 39, members: [{ host: 'api', port: 3000 }] },
      { name: 'fastcgi_pass 127.0.0.1:9000', line: 47, members: [{ host: '127.0.0.1', port: 9000 }] },
      { name: 'fastcgi_pass unix:/run/php/php8.2-fpm.sock', line: 51, members: [{ host: 'unix:/run/php/php8.2-fpm.sock' }] },
      { name: 'grpc_pass grpcs://grpc.internal:443', line: 59, members: [{ host: 'grpc.internal', port: 443 }] },
      { name: 'uwsgi_pass uwsgi://django:8001', line: 63, members: [{ host: 'django', port: 8001 }] },
      { name: 'proxy_pass http://unix:/tmp/backend.socket', line: 67, members: [{ host: 'unix:/tmp/backend.socket' }] },
      // Only a commented-out proxy_pass uses it, but the config declares it: still a pool.
      { name: 'upstream legacy_only', line: 81, members: [{ host: '10.0.0.9', port: 8080 }] },
      {
        name: 'upstream dns',
        line: 87,
        members: [
          { host: '192.168.0.1', port: 53535 },
          { host: 'dns.example.com', port: 53 },
        ],
      },
      // stream proxy_pass takes an address without a scheme.
      { name: 'proxy_pass 127.0.0.1:12345', line: 99, members: [{ host: '127.0.0.1', port: 12345 }] },
    ]);
  });

  it('locates an upstream pool at its `upstream` word, owned by nginx', () => {
    expect(byName(pools, 'upstream backend')).toEqual({
      kind: 'pool',
      format: 'nginx',
      name: 'upstream backend',
      proxy: 'nginx',
      location: { file: FILE, line: 12, column: 5 },
      members: expect.any(Array),
    });
    expect(byName(pools, 'proxy_pass http://api:3000').location).toEqual({ file: FILE, line: 39, column: 13 });
  });

  it('gives no pool for an upstream name (any case), a variable target, or a grpc_pass to an upstream', () => {
    const names = (pools ?? []).map((p) => p.name);
    expect(names.filter((name) => /^proxy_pass http:\/\/backend/i.test(name))).toEqual([]);
    expect(names.some((name) => name.includes('$'))).toBe(false);
    expect(names).not.toContain('grpc_pass grpc://grpcservers');
    expect(names).not.toContain('proxy_pass dns');
  });

  it('locates pools read through an include in the included file, once each', () => {
    const main = fragment(nginxParser, 'fixtures/parsers/nginx/nginx.conf');
    const shared = byName(main.pools, 'upstream shared');
    expect(shared.location).toEqual({ file: 'fixtures/parsers/nginx/snippets/shared-upstream.conf', line: 1, column: 1 });
    expect(shared.members).toEqual([{ host: '10.0.1.1' }]);
    expect(main.pools?.filter((p) => p.name === 'upstream shared')).toHaveLength(1);
    // `proxy_pass http://shared` names the upstream from the snippet: no pool of its own.
    expect(main.pools?.some((p) => p.name.startsWith('proxy_pass'))).toBe(false);
  });

  it('reads inline configs: a proxy_pass to a compose service', () => {
    const { pools: inline } = fragmentOf(
      nginxParser,
      'default.conf',
      'server {\n  listen 80;\n  location / { proxy_pass http://app:8000; }\n  location /v { proxy_pass http://$upstream_host; }\n}\n',
    );
    expect(brief(inline)).toEqual([{ name: 'proxy_pass http://app:8000', line: 3, members: [{ host: 'app', port: 8000 }] }]);
  });
});

describe('HAProxy pools', () => {
  const FILE = 'fixtures/parsers/haproxy/pools.cfg';
  const { pools, affinities } = fragment(haproxyParser, FILE);

  it('makes a pool of every backend and of every listen section with servers', () => {
    expect(brief(pools)).toEqual([
      {
        name: 'backend app',
        line: 17,
        members: [
          { host: '10.0.0.1', port: 8080 },
          { host: 'app2.internal', port: 8080 },
          { host: '2001:db8::10', port: 8080 },
          { host: '2001:db8::11', port: 8080 },
          { host: '10.0.0.5' },
          { host: 'web.service.consul', port: 80 },
          { host: '/var/run/app.sock' },
          { host: '10.0.0.6' },
        ],
      },
      { name: 'backend runtime', line: 29, members: [] },
      {
        name: 'listen mysql',
        line: 38,
        members: [
          { host: '10.0.1.1', port: 3306 },
          { host: 'db2.internal', port: 3306 },
        ],
      },
    ]);
    expect(pools?.every((p) => p.format === 'haproxy' && p.proxy === 'HAProxy' && p.location.column === 1)).toBe(true);
  });

  it('names a pool as its affinity names it', () => {
    expect(affinities.map((a) => a.pool)).toEqual(['backend runtime']);
  });
});

describe('Kubernetes pools and workloads', () => {
  const FILE = 'fixtures/parsers/kubernetes/workloads.yaml';
  const { pools, workloads, affinities } = fragment(kubernetesParser, FILE);

  it('makes a pool of each Service, Ingress and route rule', () => {
    expect(brief(pools)).toEqual([
      { name: 'Service shop/web', line: 183, members: [] },
      { name: 'Service shop/legacy-db', line: 196, members: [] },
      { name: 'Service shop/payments', line: 207, members: [{ host: 'payments.example.com' }] },
      {
        name: 'Ingress shop/web',
        line: 216,
        // A named port (`port.name: http`) gives a member without a port.
        members: [{ host: 'web', port: 80 }, { host: 'api', port: 8080 }, { host: 'web' }],
      },
      { name: 'Ingress shop/legacy', line: 247, members: [{ host: 'legacy', port: 8080 }] },
      {
        name: 'HTTPRoute shop/store rule 0',
        line: 271,
        members: [
          { host: 'cart', port: 8080 },
          { host: 'cart-canary.canary', port: 8080 },
        ],
      },
      // A backendRef of another kind is not a Service: left out.
      { name: 'HTTPRoute shop/store rule 1', line: 283, members: [{ host: 'web', port: 80 }] },
    ]);
    expect(pools?.map((p) => p.proxy)).toEqual(['Service', 'Service', 'Service', 'Ingress', 'Ingress', 'Gateway', 'Gateway']);
    expect(pools?.every((p) => p.format === 'kubernetes' && p.namespace === 'shop')).toBe(true);
  });

  it('keeps a Service selector; a Service without one (endpoints by hand) has none', () => {
    expect(byName(pools, 'Service shop/web').selector).toEqual({ app: 'web' });
    expect(byName(pools, 'Service shop/legacy-db').selector).toBeUndefined();
    expect(byName(pools, 'Service shop/legacy-db')).not.toHaveProperty('selector');
    expect(byName(pools, 'Service shop/web').location).toEqual({ file: FILE, line: 183, column: 1 });
    expect(affinities.map((a) => a.pool)).toEqual(['Service shop/web']);
  });

  it('reads Deployment, StatefulSet, DaemonSet, Pod, ReplicaSet; not CronJobs', () => {
    expect(
      workloads?.map((w) => ({ name: w.name, line: w.location.line, replicas: w.replicas, labels: w.labels, namespace: w.namespace, image: w.image })),
    ).toEqual([
      // No `replicas`: the API default, 1.
      { name: 'Deployment shop/web', line: 16, replicas: 1, labels: { app: 'web', tier: 'frontend' }, namespace: 'shop', image: 'registry.example.com/shop/web:1.4.2' },
      { name: 'StatefulSet shop/db', line: 67, replicas: 3, labels: { app: 'db' }, namespace: 'shop', image: 'postgres:16' },
      // One per node.
      { name: 'DaemonSet kube-system/node-agent', line: 87, replicas: null, labels: { name: 'node-agent' }, namespace: 'kube-system', image: 'example/agent:2' },
      { name: 'Pod default/debug', line: 105, replicas: 1, labels: { app: 'debug' }, namespace: 'default', image: 'busybox:1.36' },
      // `replicas: 2`, but a HorizontalPodAutoscaler in the file scales it.
      { name: 'Deployment shop/api', line: 116, replicas: null, labels: { app: 'api' }, namespace: 'shop', image: 'registry.example.com/shop/api:2.0.0' },
      {
        name: 'ReplicaSet shop/frontend',
        line: 148,
        replicas: 2,
        labels: { tier: 'frontend' },
        namespace: 'shop',
        image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5',
      },
    ]);
    expect(workloads?.every((w) => w.format === 'kubernetes' && w.kind === 'workload' && w.hostnames.length === 0 && w.codeRoot === undefined)).toBe(true);
  });

  it('reads literal env values and ConfigMaps of the same file, env winning over envFrom', () => {
    expect(env(workload(workloads, 'Deployment shop/web'))).toEqual([
      // envFrom web-config: its data line. GREETING is then set from a Secret (unknown): left out.
      { name: 'REDIS_HOST', value: 'sessions', at: `${FILE}:13:15` },
      { name: 'NODE_ENV', value: 'production', at: `${FILE}:42:22` },
      { name: 'SESSION_DRIVER', value: 'cookie', at: `${FILE}:44:22` },
      // configMapKeyRef: the ConfigMap's data line.
      { name: 'CACHE_HOST', value: 'sessions', at: `${FILE}:13:15` },
      // every container's env
      { name: 'STATSD_PORT', value: '9125', at: `${FILE}:65:22` },
    ]);
    const names = workload(workloads, 'Deployment shop/web').env.map((e) => e.name);
    // `$(REDIS_HOST)` is expanded by the kubelet; fieldRef and a ConfigMap in another file are not known.
    expect(names).not.toContain('REDIS_URL');
    expect(names).not.toContain('POD_IP');
    expect(names.some((name) => name.startsWith('OTHER_'))).toBe(false);
  });

  it('names pools for affinities on routes, CRDs and policies as the affinities do', () => {
    const ingress = fragment(kubernetesParser, 'fixtures/parsers/kubernetes/ingress-controllers.yaml');
    // NGINX Inc sticky-cookie-services: one pool per sticky Service, its members those of the Ingress.
    expect(byName(ingress.pools, 'Ingress default/cafe-ingress-with-session-persistence -> Service tea-svc').members).toEqual([{ host: 'tea-svc', port: 80 }]);
    const istio = fragment(kubernetesParser, 'fixtures/parsers/kubernetes/istio.yaml');
    expect(byName(istio.pools, 'DestinationRule prod/reviews (host reviews.prod.svc.cluster.local, port 9080)')).toMatchObject({
      proxy: 'Istio',
      members: [{ host: 'reviews.prod.svc.cluster.local', port: 9080 }],
    });
    const traefik = fragment(kubernetesParser, 'fixtures/parsers/kubernetes/traefik-crds.yaml');
    expect(byName(traefik.pools, 'IngressRoute apps/test-name -> Service foo')).toMatchObject({ proxy: 'Traefik', members: [{ host: 'foo', port: 80 }] });
    expect(byName(traefik.pools, 'TraefikService default/wrr2').members).toEqual([
      { host: 's1', port: 80 },
      { host: 's3', port: 80 },
    ]);
    const misc = fragment(kubernetesParser, 'fixtures/parsers/kubernetes/misc.yaml');
    expect(byName(misc.pools, 'VirtualServer default/cafe upstream tea -> Service tea-svc').members).toEqual([{ host: 'tea-svc', port: 80 }]);
    const gateway = fragment(kubernetesParser, 'fixtures/parsers/kubernetes/gateway-api.yaml');
    expect(byName(gateway.pools, 'BackendLBPolicy production/api-lb-policy -> Service api-service').members).toEqual([{ host: 'api-service' }]);
  });
});

describe('compose workloads and Traefik pools', () => {
  const DIR = 'fixtures/parsers/compose/workloads';
  const FILE = `${DIR}/docker-compose.yml`;
  const { pools, workloads, affinities } = fragment(composeParser, FILE);

  it('makes a workload of every service', () => {
    expect(
      workloads?.map((w) => ({ name: w.name, line: w.location.line, replicas: w.replicas, hostnames: w.hostnames, image: w.image, codeRoot: w.codeRoot })),
    ).toEqual([
      { name: 'proxy', line: 6, replicas: 1, hostnames: ['proxy'], image: 'traefik:v3.1', codeRoot: undefined },
      {
        name: 'web',
        line: 13,
        replicas: 3,
        hostnames: ['web', 'shop-web', 'web-host', 'shop', 'www.shop.internal'],
        image: undefined,
        codeRoot: `${DIR}/web`,
      },
      { name: 'api', line: 42, replicas: 2, hostnames: ['api'], image: undefined, codeRoot: `${DIR}/services/api` },
      // A Git URL context is no folder here.
      { name: 'legacy', line: 56, replicas: 1, hostnames: ['legacy'], image: 'example/legacy:0.9', codeRoot: undefined },
      // deploy.mode: global runs one per node.
      { name: 'worker', line: 64, replicas: null, hostnames: ['worker'], image: 'example/worker:1', codeRoot: undefined },
      { name: 'sessions', line: 71, replicas: 1, hostnames: ['sessions'], image: 'redis:7.2', codeRoot: undefined },
    ]);
    expect(workload(workloads, 'web').location).toEqual({ file: FILE, line: 13, column: 3 });
    expect(workloads?.every((w) => w.format === 'compose' && w.namespace === undefined && w.labels === undefined)).toBe(true);
  });

  it('reads env_file then environment, literal values only, with where each is written', () => {
    expect(env(workload(workloads, 'web'))).toEqual([
      { name: 'SESSION_DRIVER', value: 'redis', at: `${DIR}/web.env:2:16` },
      { name: 'QUOTED', value: 'hello world', at: `${DIR}/web.env:5:8` },
      { name: 'COMMENTED', value: 'value', at: `${DIR}/web.env:6:11` },
      // single quotes are literal
      { name: 'SINGLE', value: '${NOT_INTERPOLATED}', at: `${DIR}/web.env:7:8` },
      { name: 'EXPORTED', value: 'yes', at: `${DIR}/web.env:9:17` },
      { name: 'NODE_ENV', value: 'production', at: `${FILE}:30:17` },
      // `$$` is a literal `$`
      { name: 'PRICE', value: '$5', at: `${FILE}:32:14` },
      // environment wins over env_file
      { name: 'OVERRIDDEN', value: 'from-environment', at: `${FILE}:33:19` },
    ]);
    const names = workload(workloads, 'web').env.map((e) => e.name);
    // `${VAR}` is interpolated (in environment, and in an env file); `FROM_SHELL:` comes from the shell; and an
    // interpolated environment entry hides the env file's literal value for that name.
    for (const name of ['SESSION_SECRET', 'FROM_HOME', 'FROM_SHELL', 'INTERPOLATED', 'BARE_NAME']) expect(names).not.toContain(name);
  });

  it('reads list-form environment; `${VAR}` values and bare names are left out', () => {
    expect(env(workload(workloads, 'api'))).toEqual([
      { name: 'REDIS_URL', value: 'redis://sessions:6379/0', at: `${FILE}:48:19` },
      { name: 'SESSION_STORE', value: 'redis', at: `${FILE}:49:24` },
    ]);
  });

  it('makes a pool of each Traefik service on a service, named as its affinity', () => {
    expect(pools?.map((p) => ({ name: p.name, line: p.location.line, members: p.members, workload: p.workload }))).toEqual([
      { name: 'compose service web (traefik service web-svc)', line: 39, members: [{ host: 'web', port: 3000 }], workload: 'web' },
      // traefik.enable=true and no service label: the service Traefik makes for the container.
      { name: 'compose service api (traefik service api)', line: 53, members: [{ host: 'api' }], workload: 'api' },
      { name: 'compose service legacy (traefik backend legacy-backend)', line: 61, members: [{ host: 'legacy', port: 8080 }], workload: 'legacy' },
    ]);
    expect(pools?.every((p) => p.format === 'compose' && p.proxy === 'Traefik')).toBe(true);
    expect(affinities.map((a) => a.pool)).toEqual(['compose service web (traefik service web-svc)']);
  });

  it('gives no pool for depends_on or for a container Traefik ignores', () => {
    const { pools: inline } = fragmentOf(
      composeParser,
      'compose.yaml',
      [
        'services:',
        '  app:',
        '    image: example/app',
        '    depends_on: [db]',
        '    labels:',
        '      - traefik.enable=false',
        '      - traefik.http.services.app.loadbalancer.server.port=80',
        '  db:',
        '    image: postgres:16',
        '',
      ].join('\n'),
    );
    expect(inline).toEqual([]);
  });

  it('reads the existing Traefik-label fixture: swarm deploy.labels and merged services', () => {
    const { pools: labelled } = fragment(composeParser, 'fixtures/parsers/compose/docker-compose.yml');
    expect(byName(labelled, 'compose service api (traefik service api)').members).toEqual([{ host: 'api', port: 8000 }]);
    expect(byName(labelled, 'compose service worker-2 (traefik service worker)')).toMatchObject({ members: [{ host: 'worker-2' }], workload: 'worker-2' });
    expect(labelled?.some((p) => p.workload === 'admin')).toBe(false); // traefik.enable=false
  });
});

describe('env file reader', () => {
  it('follows the Compose env file syntax', () => {
    const text = ['# comment', 'A=1', 'B = two words ', "C='it\\'s'", 'D="line\\nbreak"', 'E="multi', 'line"', 'F=x#y', 'G', 'H=$OTHER', ''].join('\n');
    expect(readEnvFile(text).map(({ name, value, literal, line }) => ({ name, value, literal, line }))).toEqual([
      { name: 'A', value: '1', literal: true, line: 2 },
      { name: 'B', value: 'two words', literal: true, line: 3 },
      { name: 'C', value: "it's", literal: true, line: 4 },
      { name: 'D', value: 'line\nbreak', literal: true, line: 5 },
      { name: 'E', value: 'multi\nline', literal: true, line: 6 },
      { name: 'F', value: 'x#y', literal: true, line: 8 },
      { name: 'H', value: '$OTHER', literal: false, line: 10 },
    ]);
  });
});

describe('Traefik file provider pools', () => {
  it('makes a pool of each service, members from server URLs or the services it sends to', () => {
    const { pools } = fragment(traefikParser, 'fixtures/parsers/traefik/dynamic.yml');
    expect(brief(pools)).toEqual([
      {
        name: 'service shop',
        line: 15,
        members: [
          { host: '10.0.0.11', port: 8080 },
          { host: '10.0.0.12', port: 8080 },
        ],
      },
      { name: 'service legacy', line: 30, members: [{ host: '10.0.0.21' }] },
      { name: 'service wrr1 (weighted)', line: 38, members: [{ host: 'whoami1' }, { host: 'whoami2' }] },
      {
        name: 'service whoami1',
        line: 49,
        members: [
          { host: '127.0.0.1', port: 8081 },
          { host: '127.0.0.1', port: 8082 },
        ],
      },
      { name: 'service api', line: 60, members: [{ host: 'private-ip-server-1' }, { host: 'private-ip-server-2' }] },
      { name: 'service canary (highestRandomWeight)', line: 68, members: [{ host: 'appv1' }, { host: 'appv2' }] },
      { name: 'service search', line: 77, members: [{ host: 'private-ip-server-3' }] },
      { name: 'service static', line: 82, members: [{ host: 'private-ip-server-4' }] },
      { name: 'service cdn', line: 88, members: [{ host: 'private-ip-server-5' }] },
    ]);
    expect(pools?.every((p) => p.format === 'traefik' && p.proxy === 'Traefik')).toBe(true);
  });

  it('reads TOML servers, mirroring and failover; v1 backends', () => {
    const FILE = 'fixtures/parsers/traefik/services.toml';
    const { pools } = fragment(traefikParser, FILE);
    expect(brief(pools)).toEqual([
      {
        name: 'service appv1',
        line: 5,
        // userinfo dropped; an IPv6 host without brackets
        members: [{ host: 'private-ip-server-1' }, { host: '10.0.0.2', port: 8080 }, { host: '2001:db8::1', port: 8443 }],
      },
      { name: 'service appv2', line: 13, members: [{ host: 'private-ip-server-2' }] },
      { name: 'service mirrored-api', line: 17, members: [{ host: 'appv1' }, { host: 'appv2' }] },
      { name: 'service app', line: 24, members: [{ host: 'main' }, { host: 'backup' }] },
    ]);
    expect(byName(pools, 'service appv1').location).toEqual({ file: FILE, line: 5, column: 18 });
    const v1 = fragment(traefikParser, 'fixtures/parsers/traefik/traefik-v1.toml');
    expect(byName(v1.pools, 'backend backend1').members).toEqual([{ host: '172.17.0.2', port: 80 }]);
  });
});

// ------------------------------------------------------------------------------------------------
// The invariant the session map relies on: every affinity has a pool of the same file, format and name.

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

describe('every affinity has its pool', () => {
  const parsers = [nginxParser, haproxyParser, kubernetesParser, composeParser, traefikParser];
  const files = ['fixtures/rules', 'fixtures/parsers'].flatMap((dir) => filesUnder(path.join(repoRoot, dir))).sort();
  const checked: string[] = [];
  for (const absPath of files) {
    const file = path.relative(repoRoot, absPath).split(path.sep).join('/');
    const input = sourceFromText(file, readFileSync(absPath, 'utf8'), absPath);
    for (const parser of parsers) {
      let detected = false;
      try {
        detected = parser.detect(input);
      } catch {
        detected = false;
      }
      if (!detected) continue;
      let parsed: ModelFragment;
      try {
        parsed = parser.parse(input);
      } catch {
        continue; // the broken-syntax fixtures
      }
      if (parsed.affinities.length === 0) continue;
      checked.push(`${file} (${parser.format})`);
      it(`${file} (${parser.format})`, () => {
        const keys = new Set((parsed.pools ?? []).map((pool) => `${pool.location.file}\0${pool.format}\0${pool.name}`));
        const orphans = parsed.affinities
          .filter((affinity) => !keys.has(`${affinity.location.file}\0${affinity.format}\0${affinity.pool}`))
          .map((affinity) => `${affinity.format} "${affinity.pool}" at ${affinity.location.file}:${affinity.location.line}`);
        expect(orphans).toEqual([]);
      });
    }
  }

  it('covers fixtures of every format', () => {
    for (const format of ['nginx', 'haproxy', 'kubernetes', 'compose', 'traefik']) {
      expect(checked.filter((entry) => entry.endsWith(`(${format})`)).length, format).toBeGreaterThan(2);
    }
  });
});
