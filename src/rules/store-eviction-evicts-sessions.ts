import { sessionCount } from './support/store-counts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'store-eviction-evicts-sessions',
  category: 'session-store',
  severity: 'medium',
  appliesTo: ['store'],
  docs: {
    summary: 'The store evicts keys under memory pressure, and sessions are among the keys it may evict.',
    rationale:
      'With an allkeys-* policy Redis may evict any key, sessions included; with volatile-* it evicts keys that have a ' +
      'TTL, which is every session when cache keys share the instance. Memcached evicts least-recently-used items ' +
      'unless started with -M. An evicted session is a user logged out at random; evicted_keys > 0 says it already happens.',
    fix:
      'Keep sessions in their own Redis (or database) with maxmemory-policy noeviction and memory headroom, separate ' +
      'from caches; alert on evicted_keys.',
  },
  check(store, ctx) {
    const policy = store.maxmemoryPolicy;
    if (!policy || store.sessionKeys === 0) return;
    const evicts =
      policy.startsWith('allkeys-') || policy === 'lru' || (policy.startsWith('volatile-') && store.otherKeysWithTtl > 0);
    if (!evicts) return;
    const evicted = store.evictedKeys ?? 0;
    // Redis with maxmemory 0 (no limit on 64-bit) never evicts, whatever the policy says.
    if (store.store.kind === 'redis' && store.maxmemoryBytes === 0 && evicted === 0) return;
    const setting =
      store.store.kind === 'memcached' ? 'memcached evicts least-recently-used items when full, so it' : `maxmemory-policy ${policy}`;
    const shared = policy.startsWith('volatile-') ? `, shared with ${store.otherKeysWithTtl} cache keys that carry a TTL` : '';
    ctx.report({
      node: store,
      severity: evicted > 0 ? 'high' : 'medium',
      message: `${setting} may evict the ${sessionCount(store, 'session keys')}${shared}${evicted > 0 ? `; ${evicted} keys evicted since start` : ''}`,
      evidence: store.store.kind === 'memcached' ? `evictions ${evicted}` : `maxmemory-policy ${policy}; evicted_keys ${evicted}`,
    });
  },
});
