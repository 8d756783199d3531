import { sessionCount } from './support/store-counts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'store-shared-with-cache',
  category: 'session-store',
  severity: 'medium',
  appliesTo: ['store'],
  docs: {
    summary: 'Sessions share their Redis with cache keys, under a policy that evicts keys with a TTL.',
    rationale:
      'Caches are meant to fill memory; sessions are not meant to be dropped. In one instance with a volatile-* or ' +
      'allkeys-* policy, a cache that grows makes Redis evict sessions (they carry a TTL too), and users are logged ' +
      'out at random whenever the cache is busy.',
    fix:
      'Give sessions their own Redis (or logical separation with its own maxmemory: a separate instance, not a db ' +
      'number) with maxmemory-policy noeviction, and leave the evicting policy to the cache instance.',
  },
  check(store, ctx) {
    const policy = store.maxmemoryPolicy;
    if (store.store.kind !== 'redis' || !policy || store.sessionKeys === 0 || store.otherKeysWithTtl === 0) return;
    if (!policy.startsWith('allkeys-') && !policy.startsWith('volatile-')) return;
    if (store.maxmemoryBytes === 0 && (store.evictedKeys ?? 0) === 0) return; // no memory limit: nothing is evicted
    const estimated = store.keysEstimated ? 'about ' : '';
    ctx.report({
      node: store,
      message: `${sessionCount(store, 'session keys')} share this Redis with ${estimated}${store.otherKeysWithTtl} cache keys under maxmemory-policy ${policy}: a growing cache evicts sessions`,
      evidence: `maxmemory-policy ${policy}`,
    });
  },
});
