import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { kubernetesParser } from '../../src/parsers/kubernetes.js';
import { detects, parseFixture, parseText, repoRoot } from '../support/parse.js';

const FIXTURES = 'fixtures/parsers/kubernetes';

/** The fields a test pins down, in file order. */
function summary(affinities: Affinity[]) {
  return affinities.map((a) => ({ line: a.location.line, column: a.location.column, mechanism: a.mechanism, pool: a.pool }));
}

function find(affinities: Affinity[], pool: string): Affinity {
  const found = affinities.find((a) => a.pool === pool);
  if (!found) throw new Error(`no affinity for ${pool}; pools: ${affinities.map((a) => a.pool).join(' | ')}`);
  return found;
}

describe('kubernetes detect', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinity: ClientIP\n';

  it('claims YAML and JSON manifests by name and top-level apiVersion + kind', () => {
    expect(detects(kubernetesParser, 'deploy/web.yaml', service)).toBe(true);
    expect(detects(kubernetesParser, 'deploy/web.YML', `---\n${service}`)).toBe(true);
    expect(detects(kubernetesParser, 'deploy/web.json', '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}')).toBe(true);
    expect(detects(kubernetesParser, 'kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n')).toBe(true);
  });

  it('does not claim other file names or other YAML formats', () => {
    expect(detects(kubernetesParser, 'web.conf', service)).toBe(false);
    expect(detects(kubernetesParser, 'README.md', service)).toBe(false);
    // docker compose: no apiVersion
    expect(detects(kubernetesParser, 'docker-compose.yml', 'services:\n  web:\n    image: nginx\n    labels:\n      kind: web\n')).toBe(false);
    // Helm Chart.yaml: apiVersion without kind
    expect(detects(kubernetesParser, 'Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 1.0.0\n')).toBe(false);
    // nested keys are not top-level ones
    expect(detects(kubernetesParser, 'values.yaml', 'ingress:\n  apiVersion: networking.k8s.io/v1\n  kind: Ingress\n')).toBe(false);
    // Envoy / Traefik static configuration
    expect(detects(kubernetesParser, 'envoy.yaml', 'static_resources:\n  listeners: []\n  clusters: []\n')).toBe(false);
    expect(detects(kubernetesParser, 'traefik.yml', 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  kubernetesCRD: {}\n')).toBe(false);
    // JSON keys in a YAML file body do not count, nor YAML-looking text in a JSON file
    expect(detects(kubernetesParser, 'web.json', service)).toBe(false);
  });

  it('does not claim CloudFormation templates that embed manifests', () => {
    const cfn =
      'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Manifest:\n    Type: AWSQS::Kubernetes::Resource\n    Properties:\n      Manifest: |\napiVersion: v1\nkind: Service\n';
    expect(detects(kubernetesParser, 'stack.yaml', cfn)).toBe(false);
    const sam = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\napiVersion: x\nkind: y\n';
    expect(detects(kubernetesParser, 'template.yaml', sam)).toBe(false);
    const json = '{"Resources": {"Svc": {"Type": "AWS::EKS::Cluster", "Properties": {"apiVersion": "v1", "kind": "Service"}}}}';
    expect(detects(kubernetesParser, 'stack.json', json)).toBe(false);
  });

  it('skips Helm templates that do not parse as YAML, and reads those that do', () => {
    const template = readFileSync(path.join(repoRoot, FIXTURES, 'helm/templates/ingress.yaml'), 'utf8');
    expect(detects(kubernetesParser, 'chart/templates/ingress.yaml', template)).toBe(false);
    expect(detects(kubernetesParser, 'chart/templates/x.yaml', `apiVersion: v1\nkind: Service\n{{- if .Values.sticky }}\nspec: {}\n{{- end }}\n`)).toBe(false);
    // markers only inside quoted strings, or in comments: still a manifest
    expect(parseFixture(kubernetesParser, `${FIXTURES}/helm/templates/service.yaml`).map((a) => a.pool)).toEqual([
      'Service default/{{ .Release.Name }}-web',
    ]);
    expect(detects(kubernetesParser, 'x.yaml', `# rendered from {{ .Chart.Name }}\n${service}`)).toBe(true);
  });
});

describe('kubernetes: Services, Ingresses and controller annotations', () => {
  const affinities = parseFixture(kubernetesParser, `${FIXTURES}/ingress-controllers.yaml`);

  it('finds each switch at its key, and nothing for the negatives', () => {
    expect(summary(affinities)).toEqual([
      { line: 21, column: 3, mechanism: 'client-ip', pool: 'Service shop/cart' },
      { line: 40, column: 5, mechanism: 'lb-cookie', pool: 'Ingress shop/web' },
      { line: 68, column: 5, mechanism: 'client-ip', pool: 'Ingress shop/api' },
      { line: 100, column: 5, mechanism: 'lb-cookie', pool: 'Ingress default/cafe-ingress-with-session-persistence -> Service coffee-svc' },
      { line: 100, column: 5, mechanism: 'lb-cookie', pool: 'Ingress default/cafe-ingress-with-session-persistence -> Service tea-svc' },
      { line: 101, column: 5, mechanism: 'client-ip', pool: 'Ingress default/cafe-ingress-with-session-persistence' },
      { line: 123, column: 5, mechanism: 'lb-cookie', pool: 'Service apps/whoami' },
      { line: 161, column: 5, mechanism: 'lb-cookie', pool: 'Service default/legacy' },
      { line: 179, column: 5, mechanism: 'lb-cookie', pool: 'Ingress default/ingress' },
      { line: 195, column: 5, mechanism: 'app-cookie', pool: 'Service shop/checkout' },
      { line: 209, column: 5, mechanism: 'client-ip', pool: 'Service default/mqtt' },
    ]);
    // Service catalog (None), Ingress images ($request_uri, session-cookie-* without affinity, commented out),
    // Ingress apps/whoami (Traefik reads service.* from Services only), Service batch (stickiness.enabled=false).
    for (const pool of ['Service default/catalog', 'Ingress shop/images', 'Ingress apps/whoami', 'Service default/batch']) {
      expect(affinities.some((a) => a.pool === pool)).toBe(false);
    }
  });

  it('Service sessionAffinity: ClientIP with the documented default timeout', () => {
    const cart = find(affinities, 'Service shop/cart');
    expect(cart).toMatchObject({
      kind: 'affinity',
      format: 'kubernetes',
      detail: 'sessionAffinity: ClientIP, timeoutSeconds 10800 (default)',
      evidence: 'sessionAffinity: ClientIP',
      location: { file: `${FIXTURES}/ingress-controllers.yaml`, line: 21, column: 3 },
    });
    expect(cart.cookie).toBeUndefined();
  });

  it('ingress-nginx cookie affinity: name, expires, secure, always HttpOnly; upstream-hash-by loses to it', () => {
    const web = find(affinities, 'Ingress shop/web');
    expect(web.detail).toBe('affinity: cookie, affinity-mode persistent, samesite Strict');
    expect(web.evidence).toBe('nginx.ingress.kubernetes.io/affinity: "cookie"');
    expect(web.cookie).toEqual({ name: 'route', maxAgeSeconds: 172800, lifetimeText: 'session-cookie-expires 172800', secure: true, httpOnly: true });
    expect(affinities.filter((a) => a.pool === 'Ingress shop/web')).toHaveLength(1);
    expect(find(affinities, 'Ingress shop/api').detail).toBe('upstream-hash-by: $binary_remote_addr');
  });

  it('NGINX Inc sticky-cookie-services: one pool per service, flags as written; lb-method ip_hash', () => {
    const coffee = find(affinities, 'Ingress default/cafe-ingress-with-session-persistence -> Service coffee-svc');
    expect(coffee.detail).toBe('sticky cookie srv_id expires=1h path=/coffee');
    expect(coffee.cookie).toEqual({ name: 'srv_id', maxAgeSeconds: 3600, lifetimeText: 'expires=1h', secure: false, httpOnly: false });
    const tea = find(affinities, 'Ingress default/cafe-ingress-with-session-persistence -> Service tea-svc');
    expect(tea.cookie).toEqual({ name: 'srv_id', maxAgeSeconds: 7200, lifetimeText: 'expires=2h', secure: true, httpOnly: true });
    expect(find(affinities, 'Ingress default/cafe-ingress-with-session-persistence').detail).toBe('lb-method: ip_hash');
  });

  it('Traefik Service annotations: defaults are no Secure, no HttpOnly, never expires', () => {
    const whoami = find(affinities, 'Service apps/whoami');
    expect(whoami.detail).toBe('service.sticky.cookie my-sticky-cookie, samesite none');
    expect(whoami.cookie).toEqual({
      name: 'my-sticky-cookie',
      maxAgeSeconds: null,
      lifetimeText: 'no maxage: never expires',
      secure: false,
      httpOnly: true,
    });
    const legacy = find(affinities, 'Service default/legacy');
    expect(legacy.detail).toBe('affinity: true (Traefik 1.x)');
    expect(legacy.cookie).toEqual({ name: 'traefik-cookie' });
  });

  it('AWS target-group attributes: lb_cookie AWSALB, app_cookie, source_ip; suppressions carried', () => {
    const alb = find(affinities, 'Ingress default/ingress');
    expect(alb.detail).toBe(
      'target-group-attributes stickiness.enabled=true,stickiness.lb_cookie.duration_seconds=60 (stickiness.type lb_cookie by default)',
    );
    expect(alb.cookie).toEqual({ name: 'AWSALB', maxAgeSeconds: 60, lifetimeText: 'stickiness.lb_cookie.duration_seconds=60' });
    expect(alb.ignoredRules).toEqual(['sticky-cookie-lifetime', 'sticky-cookie-insecure']);
    expect(find(affinities, 'Service shop/checkout').cookie).toEqual({
      name: 'JSESSIONID',
      maxAgeSeconds: 3600,
      lifetimeText: 'stickiness.app_cookie.duration_seconds=3600',
    });
    expect(find(affinities, 'Service default/mqtt').detail).toBe('target-group-attributes stickiness.enabled=true,stickiness.type=source_ip');
    expect(affinities.filter((a) => a.ignoredRules).map((a) => a.pool)).toEqual(['Ingress default/ingress']);
  });
});

describe('kubernetes: Gateway API and Envoy Gateway', () => {
  const affinities = parseFixture(kubernetesParser, `${FIXTURES}/gateway-api.yaml`);

  it('finds sessionPersistence per rule and per policy target', () => {
    expect(summary(affinities)).toEqual([
      { line: 27, column: 5, mechanism: 'lb-cookie', pool: 'HTTPRoute shop/web rule 1' },
      {
        line: 44,
        column: 5,
        mechanism: 'lb-cookie',
        pool: 'GRPCRoute gateway-conformance-infra/grpcroute-session-persistence-cookie-permanent-lifetime rule 0',
      },
      { line: 62, column: 5, mechanism: 'header', pool: 'HTTPRoute shop/api rule 0' },
      { line: 79, column: 3, mechanism: 'lb-cookie', pool: 'BackendLBPolicy foo-ns/lb-policy -> service foo' },
      { line: 97, column: 3, mechanism: 'lb-cookie', pool: 'BackendLBPolicy production/api-lb-policy -> Service api-service' },
      { line: 114, column: 3, mechanism: 'lb-cookie', pool: 'XBackendTrafficPolicy shop/reviews -> Service reviews' },
      { line: 114, column: 3, mechanism: 'lb-cookie', pool: 'XBackendTrafficPolicy shop/reviews -> Service ratings' },
      { line: 129, column: 7, mechanism: 'lb-cookie', pool: 'BackendTrafficPolicy default/cookie-lb-policy -> HTTPRoute cookie-lb-route' },
      { line: 149, column: 7, mechanism: 'client-ip', pool: 'BackendTrafficPolicy default/source-ip-lb-policy -> HTTPRoute source-ip-lb-route' },
    ]);
  });

  it('cookie lifetimes: Session is unbounded unless absoluteTimeout bounds it; Permanent lasts absoluteTimeout', () => {
    expect(find(affinities, 'HTTPRoute shop/web rule 1')).toMatchObject({
      detail: 'sessionPersistence: Cookie shop-session',
      evidence: 'sessionPersistence:',
      cookie: { name: 'shop-session', maxAgeSeconds: null, lifetimeText: 'session cookie, idleTimeout 30m' },
    });
    const grpc = affinities[1];
    expect(grpc.cookie).toEqual({ maxAgeSeconds: 3600, lifetimeText: 'lifetimeType Permanent, absoluteTimeout 1h' });
    expect(find(affinities, 'BackendLBPolicy foo-ns/lb-policy -> service foo').cookie).toEqual({
      name: 'foo-session',
      maxAgeSeconds: 3600,
      lifetimeText: 'session cookie, absoluteTimeout 1h, idleTimeout 30m',
    });
    // The API cannot set Secure or HttpOnly: neither is claimed either way.
    for (const affinity of affinities.filter((a) => a.detail.startsWith('sessionPersistence: Cookie'))) {
      expect(affinity.cookie?.secure).toBeUndefined();
      expect(affinity.cookie?.httpOnly).toBeUndefined();
    }
    expect(find(affinities, 'HTTPRoute shop/api rule 0')).toMatchObject({ detail: 'sessionPersistence: Header x-session' });
    expect(find(affinities, 'HTTPRoute shop/api rule 0').cookie).toBeUndefined();
  });

  it('Envoy Gateway consistent hash on a generated cookie: TTL, Secure from attributes, HttpOnly by Envoy', () => {
    expect(find(affinities, 'BackendTrafficPolicy default/cookie-lb-policy -> HTTPRoute cookie-lb-route')).toMatchObject({
      detail: 'consistentHash Cookie Lb-Test-Cookie, SameSite Strict',
      evidence: 'type: Cookie',
      cookie: { name: 'Lb-Test-Cookie', maxAgeSeconds: 60, lifetimeText: 'ttl 60s', secure: false, httpOnly: true },
    });
    expect(affinities.some((a) => a.pool.includes('least-request'))).toBe(false);
  });
});

describe('kubernetes: Istio DestinationRule', () => {
  const affinities = parseFixture(kubernetesParser, `${FIXTURES}/istio.yaml`);

  it('reads trafficPolicy, portLevelSettings and subsets; ringHash / maglev alone and useSourceIp: false are nothing', () => {
    expect(summary(affinities)).toEqual([
      { line: 14, column: 9, mechanism: 'lb-cookie', pool: 'DestinationRule prod/bookinfo-ratings (host ratings.prod.svc.cluster.local)' },
      { line: 33, column: 11, mechanism: 'header', pool: 'DestinationRule prod/reviews (host reviews.prod.svc.cluster.local, port 9080)' },
      { line: 41, column: 11, mechanism: 'client-ip', pool: 'DestinationRule prod/reviews (host reviews.prod.svc.cluster.local, subset v1)' },
      { line: 59, column: 9, mechanism: 'app-cookie', pool: 'DestinationRule default/details (host details)' },
      { line: 73, column: 9, mechanism: 'query', pool: 'DestinationRule default/search (host search)' },
    ]);
  });

  it('httpCookie: a zero TTL generates a session cookie; no TTL hashes the application cookie', () => {
    expect(affinities[0]).toMatchObject({
      detail: 'consistentHash httpCookie user ttl 0s',
      evidence: 'httpCookie:',
      cookie: { name: 'user', maxAgeSeconds: null, lifetimeText: 'ttl 0s', httpOnly: true },
    });
    expect(affinities[0].cookie?.secure).toBeUndefined();
    expect(affinities[3].cookie).toEqual({ name: 'JSESSIONID' });
    expect(affinities[2].detail).toBe('consistentHash useSourceIp');
  });
});

describe('kubernetes: Traefik CRDs', () => {
  const affinities = parseFixture(kubernetesParser, `${FIXTURES}/traefik-crds.yaml`);

  it('IngressRoute services and TraefikService levels; `sticky: {}` without cookie is nothing', () => {
    expect(summary(affinities)).toEqual([
      { line: 23, column: 7, mechanism: 'lb-cookie', pool: 'IngressRoute apps/test-name -> Service foo' },
      { line: 47, column: 7, mechanism: 'lb-cookie', pool: 'IngressRoute default/legacy -> Service legacy' },
      { line: 61, column: 9, mechanism: 'lb-cookie', pool: 'TraefikService default/wrr2 -> Service s1' },
      { line: 69, column: 5, mechanism: 'lb-cookie', pool: 'TraefikService default/wrr2' },
    ]);
  });

  it('cookie attributes as written, Traefik defaults otherwise', () => {
    expect(affinities[0].cookie).toEqual({ name: 'cookie', maxAgeSeconds: 3600, lifetimeText: 'maxAge 3600', secure: true, httpOnly: true });
    expect(affinities[1].cookie).toEqual({ maxAgeSeconds: null, lifetimeText: 'no maxAge: never expires', secure: false, httpOnly: false });
    expect(affinities[2]).toMatchObject({ detail: 'sticky.cookie lvl2, sameSite lax', cookie: { maxAgeSeconds: 604800 } });
    expect(affinities[3]).toMatchObject({ detail: 'sticky.cookie lvl1, sameSite none', evidence: 'sticky:' });
  });
});

describe('kubernetes: VirtualServer, BackendConfig, ConfigMap, List, anchors', () => {
  it('NGINX VirtualServer sessionCookie and lb-method; GKE BackendConfig; ingress-nginx ConfigMap', () => {
    const affinities = parseFixture(kubernetesParser, `${FIXTURES}/misc.yaml`);
    expect(summary(affinities)).toEqual([
      { line: 16, column: 5, mechanism: 'lb-cookie', pool: 'VirtualServer default/cafe upstream tea -> Service tea-svc' },
      { line: 27, column: 5, mechanism: 'app-cookie', pool: 'VirtualServer default/cafe upstream coffee -> Service coffee-svc' },
      { line: 43, column: 5, mechanism: 'lb-cookie', pool: 'BackendConfig default/my-backendconfig' },
      { line: 52, column: 5, mechanism: 'client-ip', pool: 'BackendConfig default/client-ip-backendconfig' },
      { line: 60, column: 3, mechanism: 'header', pool: 'ConfigMap ingress-nginx/ingress-nginx-controller (ingress-nginx, every Ingress)' },
    ]);
    expect(affinities[0].cookie).toEqual({ name: 'srv_id', maxAgeSeconds: 3600, lifetimeText: 'expires=1h', secure: true, httpOnly: false });
    expect(affinities[1].detail).toBe('lb-method: hash $cookie_session consistent');
    expect(affinities[2].cookie).toEqual({ name: 'GCLB', maxAgeSeconds: 50, lifetimeText: 'affinityCookieTtlSec 50' });
    expect(affinities[4].detail).toBe('upstream-hash-by: $http_x_session_id');
  });

  it('JSON `kind: List` items, with positions', () => {
    const affinities = parseFixture(kubernetesParser, `${FIXTURES}/list.json`);
    expect(summary(affinities)).toEqual([
      { line: 11, column: 9, mechanism: 'client-ip', pool: 'Service shop/cart' },
      { line: 21, column: 26, mechanism: 'lb-cookie', pool: 'Ingress shop/web' },
    ]);
    expect(affinities[0].detail).toBe('sessionAffinity: ClientIP, timeoutSeconds 600');
    expect(affinities[1].cookie).toEqual({
      name: 'INGRESSCOOKIE',
      maxAgeSeconds: null,
      lifetimeText: 'no session-cookie-max-age or session-cookie-expires: a session cookie',
      httpOnly: true,
    });
  });

  it('an alias reads as its anchor within a document, not across documents', () => {
    const affinities = parseFixture(kubernetesParser, `${FIXTURES}/anchors.yaml`);
    expect(summary(affinities)).toEqual([
      { line: 11, column: 7, mechanism: 'lb-cookie', pool: 'Ingress default/a' },
      { line: 11, column: 7, mechanism: 'lb-cookie', pool: 'Ingress default/b' },
    ]);
    expect(affinities[1].cookie?.maxAgeSeconds).toBe(3600);
  });
});

describe('kubernetes: inline cases', () => {
  const ingress = (annotations: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n${annotations}spec: {}\n`;

  it('judges upstream-hash-by keys the way nginx hash keys are judged', () => {
    const mechanism = (key: string) =>
      parseText(kubernetesParser, 'x.yaml', ingress(`    nginx.ingress.kubernetes.io/upstream-hash-by: "${key}"\n`)).map((a) => a.mechanism);
    expect(mechanism('$remote_addr')).toEqual(['client-ip']);
    expect(mechanism('$http_x_forwarded_for')).toEqual(['client-ip']);
    expect(mechanism('$cookie_JSESSIONID')).toEqual(['app-cookie']);
    expect(mechanism('$http_x_user')).toEqual(['header']);
    expect(mechanism('$arg_session')).toEqual(['query']);
    expect(mechanism('${host}$arg_session')).toEqual(['query']);
    expect(mechanism('$request_uri')).toEqual([]);
    expect(mechanism('$remote_addr$request_uri')).toEqual([]);
    expect(mechanism('static')).toEqual([]);
  });

  it('other affinity values, non-Service kinds and non-Kubernetes documents produce nothing', () => {
    expect(parseText(kubernetesParser, 'x.yaml', ingress('    nginx.ingress.kubernetes.io/affinity: "none"\n'))).toEqual([]);
    // Knative Service is not a core Service
    expect(parseText(kubernetesParser, 'x.yaml', 'apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  sessionAffinity: ClientIP\n')).toEqual([]);
    expect(parseText(kubernetesParser, 'x.yaml', 'name: web\nspec:\n  sessionAffinity: ClientIP\n---\n- a\n---\n42\n')).toEqual([]);
    expect(parseText(kubernetesParser, 'x.yaml', '')).toEqual([]);
  });

  it('namespaces default to `default`, and ignore annotations accept commas and spaces', () => {
    const [affinity] = parseText(
      kubernetesParser,
      'x.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    session-audit.io/ignore: "client-ip-affinity sticky-session,  all"\nspec:\n  sessionAffinity: ClientIP\n',
    );
    expect(affinity.pool).toBe('Service default/web');
    expect(affinity.ignoredRules).toEqual(['client-ip-affinity', 'sticky-session', 'all']);
  });
});

describe('kubernetes: errors', () => {
  const parseError = (text: string, file = 'deploy/web.yaml'): ParseError => {
    try {
      parseText(kubernetesParser, file, text);
    } catch (error) {
      if (error instanceof ParseError) return error;
      throw error;
    }
    throw new Error('no ParseError');
  };

  it('reports YAML syntax errors with file, line and column', () => {
    const tab = parseError('apiVersion: v1\nkind: Service\nspec:\n\tsessionAffinity: ClientIP\n');
    expect(tab).toMatchObject({ file: 'deploy/web.yaml', line: 4, column: 1 });
    expect(tab.message).toMatch(/^invalid YAML: Tabs are not allowed/);
    const compact = parseError('apiVersion: v1\nkind: Service\nspec:\n  sessionAffinity: ClientIP\n   ports: 1\n');
    expect(compact).toMatchObject({ line: 4, column: 20 });
    const json = parseError('{"apiVersion": "v1", "kind": "Service",\n "spec": {"sessionAffinity": "ClientIP",}\n', 'web.json');
    expect(json).toMatchObject({ file: 'web.json', line: 2, column: 41 });
    expect(json.message).toBe('invalid JSON: property name expected');
  });

  it('throws nothing but ParseError on random or mutated input', () => {
    const seeds = ['ingress-controllers.yaml', 'gateway-api.yaml', 'istio.yaml', 'traefik-crds.yaml', 'misc.yaml', 'list.json'].map((name) =>
      readFileSync(path.join(repoRoot, FIXTURES, name), 'utf8'),
    );
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
      .map(([text, at, length, insert]) => {
        const start = at % (text.length + 1);
        return text.slice(0, start) + insert + text.slice(start + (length % 40));
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 200 })), (text) => {
        const name = text.trimStart().startsWith('{') ? 'fuzz.json' : 'fuzz.yaml';
        try {
          detects(kubernetesParser, name, text);
          parseText(kubernetesParser, name, text);
        } catch (error) {
          if (!(error instanceof ParseError)) throw error;
        }
      }),
      { numRuns: 400 },
    );
  });
});
