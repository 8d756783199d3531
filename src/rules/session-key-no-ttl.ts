import { defineRule } from './types.js';

export default defineRule({
  id: 'session-key-no-ttl',
  category: 'session-ttl',
  severity: 'high',
  appliesTo: ['namespace'],
  docs: {
    summary: 'Session keys in Redis that never expire.',
    rationale:
      'A session key without a TTL outlives logout, password resets and the session\'s own timeout: whoever holds the ' +
      'cookie stays logged in forever, and the keys pile up until the store runs out of memory and starts evicting ' +
      '(or refusing) live sessions. It usually means the framework\'s store was configured without a TTL, or keys were ' +
      'written by hand or migrated without one.',
    fix:
      'Give the session store a TTL (connect-redis `ttl`, Spring `maxInactiveInterval`, PHP `session.gc_maxlifetime`, ' +
      'Django `SESSION_COOKIE_AGE`); expire the existing keys (`session-audit revoke --ttl-none` or EXPIRE in batches).',
  },
  check(namespace, ctx) {
    if (namespace.store.kind !== 'redis' || namespace.role !== 'session' || namespace.ttl.withoutTtl === 0) return;
    const approx = namespace.errorMargin !== null ? 'about ' : '';
    ctx.report({
      node: namespace,
      message: `${approx}${namespace.ttl.withoutTtl} of ${namespace.keys} ${namespace.frameworkName} session keys (${namespace.pattern}) never expire`,
      evidence: namespace.examplesWithoutTtl.join(' '),
    });
  },
});
