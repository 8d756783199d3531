import { describe, expect, it } from 'vitest';
import { recogniseKey, isAspNetCacheHash } from '../../src/stores/frameworks.js';
import { namespaceOf } from '../../src/stores/namespaces.js';
import { TtlStats } from '../../src/stores/ttl-stats.js';

describe('session key recognition', () => {
  const cases: Array<[string, string | undefined, string?]> = [
    ['sess:lxAMrFtBhNVu3Lp9ZwYJkx3PrVg1Km4q', 'connect-redis'],
    ['spring:session:sessions:2c5e6e1a-7c9b-4a6f-9a3e-4b1f1f0a9d11', 'spring-session', 'session'],
    ['spring:session:sessions:expires:2c5e6e1a-7c9b-4a6f-9a3e-4b1f1f0a9d11', 'spring-session', 'expiry'],
    ['spring:session:expirations:1764201600000', 'spring-session', 'expiry'],
    ['spring:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:alice', 'spring-session', 'index'],
    ['PHPREDIS_SESSION:9k2h3j4k5l6m7n8b9v0c1x2z3a', 'phpredis'],
    ['laravel_database_laravel_cache_:Wq3yTb9dHc2kL0pX7mN4vR8sF1gJ6eZ5aB2cD3eF', 'laravel'],
    ['sf_s5p0u0b7ndq9g2k1a8m3c4e6f1', 'symfony'],
    [':1:django.contrib.sessions.cachez0p4q8r2t6v1x5y9a3c7e1g5i9k3m', 'django'],
    [':1:django.contrib.sessions.cached_dbz0p4q8r2t6v1x5y9a3c7e1g5i9k3m', 'django'],
    ['rack:session:2::2fd3f5a6c1e0b9d8', 'rails'],
    ['_session_id:5f2b1c9e8d7a6b5c4d3e2f1a', 'rails'],
    ['session:7c3e1b9a-5d2f-4e8a-b6c4-1f0e9d8c7b6a', 'flask-session'],
    ['session_MTYzMzQ1Njc4OXxEdi1CQkFFQ180SUFBUkFCRUFB', 'redistore'],
    ['cache:product:42', undefined],
    ['sessions_total', undefined],
  ];
  for (const [key, framework, role] of cases) {
    it(`${key} -> ${framework ?? 'none'}`, () => {
      expect(recogniseKey(key)?.id).toBe(framework);
      if (role) expect(recogniseKey(key)?.role).toBe(role);
    });
  }

  it('recognises ASP.NET Core distributed cache hashes by their fields', () => {
    expect(isAspNetCacheHash(['absexp', 'sldexp', 'data'])).toBe(true);
    expect(isAspNetCacheHash(['data'])).toBe(false);
  });
});

describe('namespaces of other keys', () => {
  it('folds identifiers to *', () => {
    expect(namespaceOf('user:1042:cart')).toBe('user:*:cart');
    expect(namespaceOf('cache:product:9f86d081884c7d659a2feaa0c55ad015')).toBe('cache:product:*');
    expect(namespaceOf('ratelimit:2c5e6e1a-7c9b-4a6f-9a3e-4b1f1f0a9d11')).toBe('ratelimit:*');
    expect(namespaceOf('feature-flags')).toBe('feature-flags');
    // The denylist of `token revoke`: user names and short jtis are not id-shaped, yet one namespace.
    expect(namespaceOf('revoked:sub:alice')).toBe('revoked:sub:*');
    expect(namespaceOf('revoked:jti:j-123')).toBe('revoked:jti:*');
    expect(namespaceOf('a:b:c:d:e:f')).toBe('a:b:c:d:*');
    expect(namespaceOf('jobs:42:7')).toBe('jobs:*');
  });
});

describe('TTL statistics', () => {
  it('counts buckets, keys without TTL, and percentiles within 1%', () => {
    const stats = new TtlStats();
    for (let i = 1; i <= 1000; i++) stats.add(i * 60_000); // 1 min .. 1000 min
    for (let i = 0; i < 500; i++) stats.add(-1);
    stats.add(-2); // vanished between SCAN and PTTL: not counted
    const summary = stats.summary();
    expect(summary.keys).toBe(1500);
    expect(summary.withoutTtl).toBe(500);
    expect(summary.min).toBe(60);
    expect(summary.max).toBe(60_000);
    expect(Math.abs(summary.p50! - 30_000) / 30_000).toBeLessThan(0.011);
    expect(Math.abs(summary.p95! - 57_000) / 57_000).toBeLessThan(0.011);
    expect(summary.buckets).toEqual({ none: 500, '<1h': 59, '1h-24h': 941, '1d-7d': 0, '7d-30d': 0, '>30d': 0 });
  });

  it('says null for a namespace without any TTL', () => {
    const stats = new TtlStats();
    stats.add(-1);
    expect(stats.summary()).toMatchObject({ keys: 1, withoutTtl: 1, min: null, p50: null, max: null });
  });
});
