import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { envoyParser } from '../../src/parsers/envoy.js';
import { detects, parseFixture, parseText } from '../support/parse.js';

describe('envoy parser: YAML static config', () => {
  const affinities = parseFixture(envoyParser, 'fixtures/parsers/envoy/envoy.yaml');
  const byPool = (pool: string) => affinities.filter((a) => a.pool === pool);

  it('finds hash policies on hashing clusters, stateful sessions and tcp_proxy hashing', () => {
    expect(affinities.map((a) => ({ mechanism: a.mechanism, pool: a.pool, line: a.location.line }))).toEqual([
      { mechanism: 'lb-cookie', pool: 'route /cart -> cluster cart', line: 31 },
      { mechanism: 'header', pool: 'route /api -> cluster api', line: 43 },
      { mechanism: 'client-ip', pool: 'route /api -> cluster api', line: 46 },
      { mechanism: 'query', pool: 'route /search -> cluster search', line: 52 },
      { mechanism: 'app-cookie', pool: 'route /app -> clusters app_blue, app_green', line: 63 },
      { mechanism: 'lb-cookie', pool: 'route / -> cluster edge_cds', line: 88 },
      { mechanism: 'lb-cookie', pool: 'virtual_host local_service', line: 116 },
      { mechanism: 'header', pool: 'route /session -> cluster service1', line: 150 },
      { mechanism: 'client-ip', pool: 'tcp_proxy postgres_tcp -> cluster pg_replicas', line: 186 },
    ]);
    expect(affinities.every((a) => a.format === 'envoy')).toBe(true);
  });

  it('names the hash policy and the cluster lb policy that makes it count', () => {
    expect(affinities.map((a) => a.detail)).toEqual([
      'hash_policy cookie cart-affinity ttl 3600s (cluster cart: RING_HASH)',
      'hash_policy header x-session-id (cluster api: MAGLEV)',
      'hash_policy connection_properties source_ip (cluster api: MAGLEV)',
      'hash_policy query_parameter sid (cluster search: RingHash)',
      'hash_policy cookie JSESSIONID (cluster app_green: RING_HASH)',
      'hash_policy cookie edge ttl 0s (cluster edge_cds not in this file: lb policy unknown)',
      'stateful_session cookie global-session-cookie',
      'stateful_session header session-header',
      'hash_policy source_ip (cluster pg_replicas: MAGLEV)',
    ]);
  });

  it('locates the policy key and quotes its line', () => {
    expect(affinities[0].location).toEqual({ file: 'fixtures/parsers/envoy/envoy.yaml', line: 31, column: 21 });
    expect(affinities[0].evidence).toBe('- cookie:');
    expect(affinities[6].evidence).toBe('- name: envoy.filters.http.stateful_session');
    expect(affinities[8].evidence).toBe('- source_ip: {}');
  });

  it('describes generated cookies: HttpOnly always, Secure from attributes, ttl 0 = session cookie', () => {
    expect(affinities[0].cookie).toEqual({
      name: 'cart-affinity',
      httpOnly: true,
      secure: true,
      maxAgeSeconds: 3600,
      lifetimeText: 'ttl 3600s',
    });
    expect(affinities[5].cookie).toEqual({
      name: 'edge',
      httpOnly: true,
      maxAgeSeconds: null,
      lifetimeText: 'ttl 0s (session cookie)',
    });
    expect(affinities[6].cookie).toEqual({
      name: 'global-session-cookie',
      httpOnly: true,
      maxAgeSeconds: 120,
      lifetimeText: 'ttl 120s',
    });
  });

  it('treats a cookie hash without ttl as the application cookie', () => {
    expect(affinities[4].cookie).toEqual({ name: 'JSESSIONID' });
  });

  it('ignores inert hash policies: round-robin clusters, source_ip false, filter_state, a disabled filter', () => {
    expect(byPool('route /static -> cluster static')).toEqual([]);
    expect(byPool('route /reports -> cluster cart')).toEqual([]);
    expect(affinities.some((a) => a.detail.includes('unused-cookie'))).toBe(false);
    expect(affinities.some((a) => a.pool === 'virtual_host api_service')).toBe(false);
  });

  it('treats a missing ttl on the stateful session cookie as a session cookie', () => {
    const found = parseText(
      envoyParser,
      'envoy.yaml',
      [
        'static_resources:',
        '  listeners:',
        '  - name: l',
        '    filter_chains:',
        '    - filters:',
        '      - name: envoy.filters.network.http_connection_manager',
        '        typed_config:',
        '          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        '          rds: { route_config_name: r }',
        '          http_filters:',
        '          - name: stateful',
        '            typed_config:',
        '              "@type": type.googleapis.com/envoy.extensions.filters.http.stateful_session.v3.StatefulSession',
        '              session_state:',
        '                name: envoy.http.stateful_session.cookie',
        '                typed_config:',
        '                  "@type": type.googleapis.com/envoy.extensions.http.stateful_session.cookie.v3.CookieBasedSessionState',
        '                  cookie: { name: s }',
      ].join('\n'),
    );
    expect(found.map((a) => [a.mechanism, a.pool, a.location.line])).toEqual([['lb-cookie', 'listener l', 11]]);
    expect(found[0].cookie).toEqual({ name: 's', httpOnly: true, maxAgeSeconds: null, lifetimeText: 'session cookie (no ttl)' });
  });
});

describe('envoy parser: JSON static config', () => {
  it('reads proto3 JSON field names (lowerCamelCase)', () => {
    const affinities = parseFixture(envoyParser, 'fixtures/parsers/envoy/envoy.json');
    expect(affinities.map((a) => [a.mechanism, a.pool, a.location.line, a.location.column])).toEqual([
      ['lb-cookie', 'route / -> cluster db', 27, 35],
      ['client-ip', 'route / -> cluster db', 28, 35],
    ]);
    expect(affinities[0].cookie).toEqual({ name: 'chocolate-chip', httpOnly: true, maxAgeSeconds: 172800, lifetimeText: 'ttl 172800s' });
    expect(affinities[1].evidence).toBe('{ "connectionProperties": { "sourceIp": true } }');
  });
});

describe('envoy parser: detection', () => {
  it('claims Envoy bootstrap files by their top-level static_resources', () => {
    expect(detects(envoyParser, 'envoy.yaml', 'admin:\n  address: {}\nstatic_resources:\n  listeners: []\n')).toBe(true);
    expect(detects(envoyParser, 'proxy/front.yml', 'static_resources:\n  clusters: []\n')).toBe(true);
    expect(detects(envoyParser, 'envoy.json', '{\n  "static_resources": {"clusters": []}\n}')).toBe(true);
    expect(detects(envoyParser, 'bootstrap.yaml', '{"staticResources": {}}')).toBe(true);
  });

  it('does not claim other formats', () => {
    expect(
      detects(
        envoyParser,
        'configmap.yaml',
        'apiVersion: v1\nkind: ConfigMap\ndata:\n  envoy.yaml: |\n    static_resources:\n      clusters: []\n',
      ),
    ).toBe(false);
    expect(detects(envoyParser, 'envoy.yaml', 'dynamic_resources:\n  ads_config: {}\n')).toBe(false);
    expect(detects(envoyParser, 'docker-compose.yml', 'services:\n  envoy:\n    image: envoyproxy/envoy\n')).toBe(false);
    expect(detects(envoyParser, 'dynamic.yml', 'http:\n  services: {}\n')).toBe(false);
    expect(detects(envoyParser, 'envoy.toml', 'static_resources = 1\n')).toBe(false);
    expect(detects(envoyParser, 'k8s.json', '{"apiVersion": "v1", "kind": "ConfigMap", "static_resources": {}}')).toBe(false);
  });
});

describe('envoy parser: errors', () => {
  it('reports YAML syntax errors with a location', () => {
    let caught: unknown;
    try {
      parseText(envoyParser, 'envoy.yaml', 'static_resources:\n  clusters:\n  - name: "a\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect(caught).toMatchObject({ file: 'envoy.yaml' });
    expect((caught as ParseError).line).toBeGreaterThanOrEqual(3);
  });

  it('reports JSON syntax errors with a location', () => {
    let caught: unknown;
    try {
      parseText(envoyParser, 'envoy.json', '{\n  "static_resources": {\n    "clusters": [,]\n  }\n}\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect(caught).toMatchObject({ file: 'envoy.json', line: 3 });
  });
});
