import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { composeParser } from '../../src/parsers/compose.js';
import { detects, parseFixture, parseText } from '../support/parse.js';

describe('compose parser: Traefik labels', () => {
  const affinities = parseFixture(composeParser, 'fixtures/parsers/compose/docker-compose.yml');

  it('finds one affinity per Traefik service, at the label that switches it on', () => {
    expect(affinities.map((a) => ({ mechanism: a.mechanism, pool: a.pool, line: a.location.line }))).toEqual([
      { mechanism: 'lb-cookie', pool: 'compose service whoami (traefik service whoami)', line: 24 },
      { mechanism: 'lb-cookie', pool: 'compose service shop (traefik service shop)', line: 37 },
      { mechanism: 'client-ip', pool: 'compose service api (traefik service api)', line: 48 },
      { mechanism: 'lb-cookie', pool: 'compose service legacy (traefik backend legacy-backend)', line: 57 },
      { mechanism: 'lb-cookie', pool: 'compose service worker (traefik service worker)', line: 64 },
      // worker-2 inherits worker's labels through `<<: *worker`: the finding points at the anchored text.
      { mechanism: 'lb-cookie', pool: 'compose service worker-2 (traefik service worker)', line: 64 },
    ]);
    expect(affinities.every((a) => a.format === 'compose')).toBe(true);
  });

  it('reads list-form labels, with the cookie options from the sibling labels', () => {
    const whoami = affinities[0];
    expect(whoami.location).toEqual({ file: 'fixtures/parsers/compose/docker-compose.yml', line: 24, column: 9 });
    expect(whoami.evidence).toBe('- "traefik.http.services.whoami.loadbalancer.sticky.cookie=true"');
    expect(whoami.detail).toBe('traefik.http.services.whoami.loadbalancer.sticky.cookie=true');
    expect(whoami.cookie).toEqual({
      name: 'whoami_sticky',
      secure: true,
      httpOnly: true,
      maxAgeSeconds: 3600,
      lifetimeText: 'maxAge 3600',
    });
  });

  it('reads map-form labels case-insensitively; cookie options alone switch the cookie on', () => {
    const shop = affinities[1];
    expect(shop.evidence).toBe('traefik.http.services.shop.loadBalancer.sticky.cookie.name: shop_affinity');
    expect(shop.location.column).toBe(7);
    // Traefik defaults: no Secure / HttpOnly, no maxAge = never expires.
    expect(shop.cookie).toEqual({
      name: 'shop_affinity',
      secure: false,
      httpOnly: false,
      maxAgeSeconds: null,
      lifetimeText: 'session cookie (no maxAge)',
    });
  });

  it('reads swarm deploy.labels and the hrw strategy', () => {
    expect(affinities[2].detail).toBe('traefik.http.services.api.loadbalancer.strategy=hrw');
    expect(affinities[2].cookie).toBeUndefined();
  });

  it('reads v1 labels: backend name, stickiness switch and cookie name', () => {
    expect(affinities[3].detail).toBe('traefik.backend.loadbalancer.stickiness=true');
    expect(affinities[3].cookie).toEqual({ name: 'legacy_sticky' });
  });

  it('reads the early v2 `loadbalancer.sticky=true` switch', () => {
    expect(affinities[4].detail).toBe('traefik.http.services.worker.loadbalancer.sticky=true');
    expect(affinities[4].cookie).toMatchObject({ secure: false, httpOnly: false, maxAgeSeconds: null });
  });

  it('ignores =false, commented-out labels, traefik.enable=false, v1 names without the switch, p2c', () => {
    const pools = affinities.map((a) => a.pool).join('\n');
    for (const service of ['static', 'admin', 'old', 'search', 'traefik']) {
      expect(pools).not.toContain(`compose service ${service} `);
    }
  });

  it('reads labels shared through an anchor, and legacy files without services:', () => {
    const anchored = parseText(
      composeParser,
      'docker-compose.yml',
      [
        'x-labels: &sticky',
        '  - "traefik.http.services.app.loadbalancer.sticky.cookie.secure=true"',
        'services:',
        '  app:',
        '    image: app',
        '    labels: *sticky',
      ].join('\n'),
    );
    expect(anchored.map((a) => [a.pool, a.location.line, a.cookie?.secure])).toEqual([
      ['compose service app (traefik service app)', 2, true],
    ]);
    const legacy = parseText(
      composeParser,
      'docker-compose.yml',
      ['web:', '  image: nginx', '  labels:', '    - traefik.backend.loadbalancer.sticky=true'].join('\n'),
    );
    expect(legacy.map((a) => [a.pool, a.location.line])).toEqual([['compose service web (traefik backend web)', 4]]);
  });
});

describe('compose parser: detection', () => {
  it('claims compose files by name and by content', () => {
    expect(detects(composeParser, 'docker-compose.yml', 'services:\n  web:\n    image: nginx\n')).toBe(true);
    expect(detects(composeParser, 'compose.yaml', 'services:\n  web:\n    build: .\n')).toBe(true);
    expect(detects(composeParser, 'deploy/docker-compose.prod.yml', 'version: "3.8"\nservices:\n  web:\n    image: x\n')).toBe(true);
    expect(detects(composeParser, 'stack.yml', 'version: "3.8"\nservices:\n  web:\n    image: x\n    deploy:\n      replicas: 2\n')).toBe(true);
    expect(detects(composeParser, 'docker-compose.yml', 'web:\n  image: nginx\n')).toBe(true);
  });

  it('does not claim other formats', () => {
    expect(
      detects(composeParser, 'service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinity: ClientIP\n'),
    ).toBe(false);
    expect(detects(composeParser, 'values.yaml', 'services:\n  web:\n    port: 80\n')).toBe(false);
    expect(detects(composeParser, 'dynamic.yml', 'http:\n  services:\n    web:\n      loadBalancer: {}\n')).toBe(false);
    expect(detects(composeParser, 'envoy.yaml', 'static_resources:\n  clusters: []\n')).toBe(false);
    expect(detects(composeParser, 'template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  x:\n    image: y\n')).toBe(false);
    expect(detects(composeParser, 'notes.yml', 'web:\n  image: nginx\n')).toBe(false);
    expect(detects(composeParser, 'docker-compose.json', '{"services": {"web": {"image": "nginx"}}}')).toBe(false);
  });
});

describe('compose parser: errors', () => {
  it('reports YAML syntax errors with a location', () => {
    let caught: unknown;
    try {
      parseText(composeParser, 'docker-compose.yml', 'services:\n  web:\n    image: "nginx\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect(caught).toMatchObject({ file: 'docker-compose.yml' });
    expect((caught as ParseError).line).toBeGreaterThanOrEqual(3);
  });

  it('survives alias loops and merge fan-out', () => {
    const fanOut = ['a: &a {k: v}', ...Array.from({ length: 12 }, (_, i) => `m${i + 1}: &m${i + 1} {<<: [${Array(8).fill(`*${i === 0 ? 'a' : `m${i}`}`).join(', ')}]}`)];
    const text = [...fanOut, 'services:', '  web:', '    <<: *m12', '    image: x', '    labels: *m12'].join('\n');
    expect(parseText(composeParser, 'docker-compose.yml', text)).toEqual([]);
  });
});
