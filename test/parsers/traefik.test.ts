import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { traefikParser } from '../../src/parsers/traefik.js';
import { detects, parseFixture, parseText, parseErrorOf } from '../support/parse.js';

const summary = (affinities: ReturnType<typeof parseFixture>) =>
  affinities.map((a) => ({ mechanism: a.mechanism, pool: a.pool, detail: a.detail, line: a.location.line }));

const parseError = (fileName: string, text: string): ParseError => parseErrorOf(traefikParser, fileName, text);

describe('traefik parser: YAML dynamic configuration (v2/v3)', () => {
  const affinities = parseFixture(traefikParser, 'fixtures/parsers/traefik/dynamic.yml');

  it('finds sticky cookies, weighted stickiness, hrw strategy and highestRandomWeight services', () => {
    expect(summary(affinities)).toEqual([
      { mechanism: 'lb-cookie', pool: 'service shop', detail: 'loadBalancer.sticky.cookie', line: 21 },
      { mechanism: 'lb-cookie', pool: 'service legacy', detail: 'loadBalancer.sticky.cookie', line: 33 },
      { mechanism: 'lb-cookie', pool: 'service wrr1 (weighted)', detail: 'weighted.sticky.cookie', line: 41 },
      { mechanism: 'lb-cookie', pool: 'service whoami1', detail: 'loadBalancer.sticky.cookie', line: 52 },
      { mechanism: 'client-ip', pool: 'service api', detail: 'loadBalancer.strategy hrw', line: 62 },
      { mechanism: 'client-ip', pool: 'service canary (highestRandomWeight)', detail: 'highestRandomWeight', line: 69 },
    ]);
  });

  it('locates the cookie key and quotes its line', () => {
    const shop = affinities[0];
    expect(shop.format).toBe('traefik');
    expect(shop.location).toEqual({ file: 'fixtures/parsers/traefik/dynamic.yml', line: 21, column: 11 });
    expect(shop.evidence).toBe('cookie:');
    expect(affinities[1].evidence).toBe('cookie: {}');
    expect(affinities[4].evidence).toBe('strategy: "hrw"');
  });

  it('reads the cookie options and applies the documented defaults', () => {
    expect(affinities[0].cookie).toEqual({
      name: 'my_sticky_cookie_name',
      secure: true,
      httpOnly: true,
      maxAgeSeconds: 3600,
      lifetimeText: 'maxAge 3600',
    });
    // Defaults: no Secure / HttpOnly, maxAge 0 = never expires; the default name is a sha1 abbreviation.
    expect(affinities[1].cookie).toEqual({
      secure: false,
      httpOnly: false,
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (no maxAge)',
    });
    expect(affinities[2].cookie?.name).toBe('lvl1');
    // A negative maxAge expires the cookie immediately.
    expect(affinities[3].cookie).toMatchObject({ name: 'lvl2', maxAgeSeconds: 0, lifetimeText: 'maxAge -1 (expires immediately)' });
    expect(affinities[4].cookie).toBeUndefined();
  });

  it('ignores p2c, commented-out stickiness and a sticky block without a cookie', () => {
    const pools = affinities.map((a) => a.pool);
    expect(pools).not.toContain('service search');
    expect(pools).not.toContain('service static');
    expect(pools).not.toContain('service cdn');
  });

  it('matches option names case-insensitively and honours maxAge 0 and cookie: false', () => {
    const found = parseText(
      traefikParser,
      'dynamic.yml',
      [
        'http:',
        '  services:',
        '    a:',
        '      loadbalancer:',
        '        Sticky:',
        '          COOKIE:',
        '            HTTPONLY: "true"',
        '            maxage: 0',
        '    b:',
        '      loadBalancer:',
        '        sticky:',
        '          cookie: false',
        '    c:',
        '      loadBalancer:',
        '        sticky:',
        '          cookie:',
      ].join('\n'),
    );
    expect(found.map((a) => [a.pool, a.detail, a.location.line])).toEqual([
      ['service a', 'loadbalancer.Sticky.COOKIE', 6],
      ['service c', 'loadBalancer.sticky.cookie', 16],
    ]);
    expect(found[0].cookie).toEqual({ secure: false, httpOnly: true, maxAgeSeconds: null, lifetimeText: 'maxAge 0 (session cookie)' });
  });

  it('follows YAML anchors and merge keys', () => {
    const found = parseText(
      traefikParser,
      'dynamic.yml',
      [
        'x-sticky: &sticky',
        '  sticky:',
        '    cookie:',
        '      secure: true',
        'http:',
        '  services:',
        '    a:',
        '      loadBalancer:',
        '        <<: *sticky',
        '        servers: []',
      ].join('\n'),
    );
    expect(found.map((a) => [a.pool, a.location.line, a.cookie?.secure])).toEqual([['service a', 3, true]]);
  });
});

describe('traefik parser: TOML dynamic configuration (v2/v3)', () => {
  const affinities = parseFixture(traefikParser, 'fixtures/parsers/traefik/dynamic.toml');

  it('finds stickiness from table headers, empty tables, dotted keys and inline tables', () => {
    expect(summary(affinities)).toEqual([
      { mechanism: 'lb-cookie', pool: 'service shop', detail: 'loadBalancer.sticky.cookie', line: 12 },
      { mechanism: 'lb-cookie', pool: 'service my-service', detail: 'loadBalancer.sticky.cookie', line: 23 },
      { mechanism: 'lb-cookie', pool: 'service wrr1 (weighted)', detail: 'weighted.sticky.cookie', line: 27 },
      { mechanism: 'lb-cookie', pool: 'service whoami1', detail: 'loadBalancer.sticky.cookie', line: 38 },
      { mechanism: 'client-ip', pool: 'service api', detail: 'loadBalancer.strategy hrw', line: 44 },
    ]);
  });

  it('points at the key in the header and quotes the header line', () => {
    expect(affinities[0].location).toEqual({ file: 'fixtures/parsers/traefik/dynamic.toml', line: 12, column: 45 });
    expect(affinities[0].evidence).toBe('[http.services.shop.loadBalancer.sticky.cookie]');
    expect(affinities[3].evidence).toBe('loadBalancer.sticky.cookie = { name = "lvl2", maxAge = 172800 }');
  });

  it('reads cookie options from the table body and from inline tables', () => {
    expect(affinities[0].cookie).toEqual({
      name: 'my_sticky_cookie_name',
      secure: true,
      httpOnly: true,
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (no maxAge)',
    });
    expect(affinities[1].cookie).toMatchObject({ secure: false, httpOnly: false, maxAgeSeconds: null });
    expect(affinities[3].cookie).toMatchObject({ name: 'lvl2', maxAgeSeconds: 172800 });
  });
});

describe('traefik parser: v1 backends', () => {
  it('finds [backends.x.loadbalancer.stickiness] and the deprecated sticky = true, not sticky = false', () => {
    const affinities = parseFixture(traefikParser, 'fixtures/parsers/traefik/traefik-v1.toml');
    expect(summary(affinities)).toEqual([
      { mechanism: 'lb-cookie', pool: 'backend backend1', detail: 'loadbalancer.stickiness', line: 8 },
      { mechanism: 'lb-cookie', pool: 'backend backend2', detail: 'loadbalancer.sticky = true', line: 17 },
    ]);
    // v1 cannot express Secure, HttpOnly or a lifetime: they stay unknown.
    expect(affinities[0].cookie).toEqual({ name: 'my_cookie' });
    expect(affinities[1].cookie).toEqual({});
    expect(affinities[1].evidence).toBe('sticky = true');
  });

  it('reads v1 backends in YAML too', () => {
    const found = parseText(
      traefikParser,
      'rules.yml',
      ['backends:', '  backend1:', '    loadBalancer:', '      stickiness:', '        cookieName: v1', 'frontends: {}'].join('\n'),
    );
    expect(found.map((a) => [a.pool, a.location.line, a.cookie?.name])).toEqual([['backend backend1', 4, 'v1']]);
  });
});

describe('traefik parser: detection', () => {
  it('claims Traefik dynamic configuration by content, whatever the name', () => {
    expect(detects(traefikParser, 'traefik.yml', 'http:\n  routers:\n    r:\n      rule: "Host(`a`)"\n')).toBe(true);
    expect(detects(traefikParser, 'conf/dynamic.yaml', '# dynamic\nhttp:\n  services:\n    s: {}\n')).toBe(true);
    expect(detects(traefikParser, 'whatever.toml', '[http.services]\n  [http.services.a.loadBalancer]\n')).toBe(true);
    expect(detects(traefikParser, 'rules.toml', '[[http.services.a.loadBalancer.servers]]\nurl = "x"\n')).toBe(true);
    expect(detects(traefikParser, 'traefik.toml', '[backends]\n  [backends.b1.servers.s1]\n  url = "x"\n[frontends]\n')).toBe(true);
  });

  it('does not claim other formats', () => {
    // static configuration, Kubernetes, compose, Envoy, CloudFormation, random TOML / YAML
    expect(detects(traefikParser, 'traefik.yml', 'entryPoints:\n  web:\n    address: ":80"\nproviders:\n  docker: {}\n')).toBe(false);
    expect(
      detects(traefikParser, 'ingressroute.yaml', 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nhttp:\n  services: {}\n'),
    ).toBe(false);
    expect(detects(traefikParser, 'docker-compose.yml', 'services:\n  web:\n    image: nginx\n')).toBe(false);
    expect(detects(traefikParser, 'envoy.yaml', 'static_resources:\n  listeners: []\n')).toBe(false);
    expect(detects(traefikParser, 'stack.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n')).toBe(false);
    expect(detects(traefikParser, 'Cargo.toml', '[package]\nname = "http"\n[dependencies]\nhttp = "1"\n')).toBe(false);
    expect(detects(traefikParser, 'config.toml', '[backends]\nlist = ["a"]\n')).toBe(false);
    expect(detects(traefikParser, 'values.yaml', 'http:\n  port: 80\n')).toBe(false);
    expect(detects(traefikParser, 'dynamic.json', '{"http": {"services": {}}}')).toBe(false);
  });
});

describe('traefik parser: errors', () => {
  it('reports TOML syntax errors at the library position', () => {
    const error = parseError('dynamic.toml', '[http.services.a]\nname = "unterminated\n');
    // the library reports where it gave up: the end of the line
    expect(error).toMatchObject({ file: 'dynamic.toml', line: 2, column: 21 });
    expect(error.message).toBe('invalid TOML: unterminated string constant');
  });

  it('reports duplicate TOML tables', () => {
    const error = parseError('dynamic.toml', '[http.services.a]\n[http.services.a]\n');
    expect(error).toMatchObject({ file: 'dynamic.toml', line: 2, column: 16 });
    expect(error.message).toMatch(/^invalid TOML: /);
  });

  it('reports YAML syntax errors with a location', () => {
    const error = parseError('dynamic.yml', 'http:\n  services:\n    a: [\n');
    expect(error.file).toBe('dynamic.yml');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^invalid YAML: /);
  });

  it('gives findings or a ParseError, never another error, for absurd nesting', () => {
    for (const text of [`a = ${'['.repeat(10000)}${']'.repeat(10000)}`, `a = ${'{b='.repeat(5000)}1${'}'.repeat(5000)}`]) {
      try {
        expect(parseText(traefikParser, 'deep.toml', text)).toEqual([]);
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
      }
    }
  });
});
