import { defineRule } from './types.js';

export default defineRule({
  id: 'memcached-session-no-expiry',
  category: 'session-ttl',
  severity: 'high',
  appliesTo: ['namespace'],
  docs: {
    summary: 'Session items in memcached stored with no expiry (exp=-1 in lru_crawler metadump).',
    rationale:
      'An item stored with exptime 0 never expires: the session stays valid until memcached happens to evict it under ' +
      'memory pressure, which is both too long (a stolen cookie keeps working) and unpredictable (users are logged out ' +
      'whenever the cache fills).',
    fix: 'Store sessions with an expiry (PHP memcached: session.gc_maxlifetime; Django: SESSION_COOKIE_AGE), and let old items age out.',
  },
  check(namespace, ctx) {
    if (namespace.store.kind !== 'memcached' || namespace.role !== 'session' || namespace.ttl.withoutTtl === 0) return;
    ctx.report({
      node: namespace,
      message: `${namespace.ttl.withoutTtl} of ${namespace.keys} session items (${namespace.pattern}) never expire`,
      evidence: namespace.examplesWithoutTtl.join(' '),
    });
  },
});
