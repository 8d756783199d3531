import { defineRule } from './types.js';

export default defineRule({
  id: 'session-no-expiry',
  category: 'session-ttl',
  severity: 'medium',
  appliesTo: ['session-config'],
  docs: {
    summary: 'Sessions never expire: a stolen session cookie works forever.',
    rationale:
      'A session with no timeout (cookie-session without maxAge, a servlet timeout of -1, ...) stays valid until ' +
      'someone deletes it. A cookie copied from a shared computer, a proxy log or a backup keeps working for months, ' +
      'and the store (if any) grows without bound.',
    fix:
      'Give sessions an idle timeout and an absolute lifetime that fit the app (hours for most apps, 30 minutes for ' +
      'sensitive ones): cookie maxAge, server.servlet.session.timeout, SESSION_COOKIE_AGE, session.gc_maxlifetime.',
  },
  check(config, ctx) {
    const lifetime = config.lifetime;
    if (!lifetime || lifetime.value !== null) return;
    const how = lifetime.location ? 'the config turns expiry off' : 'no lifetime is set and the framework sets none';
    ctx.report({
      node: lifetime.location ? { ...config, location: lifetime.location, evidence: lifetime.evidence ?? config.evidence } : config,
      message: `${config.frameworkName} sessions never expire: ${how}`,
    });
  },
});
