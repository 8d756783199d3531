import { formatDuration } from '../util/duration.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'session-ttl-too-long',
  category: 'session-ttl',
  severity: 'medium',
  appliesTo: ['namespace'],
  docs: {
    summary: 'Session keys whose TTL is longer than the threshold (default 30 days).',
    rationale:
      'A session that lives for months keeps a stolen cookie useful for months and makes the store hold every session ' +
      'ever started. OWASP\'s session management guidance asks for idle and absolute timeouts measured in minutes to ' +
      'hours for most applications.',
    fix: 'Lower the session lifetime in the framework; use a separate, revocable "remember me" token for long logins.',
  },
  check(namespace, ctx) {
    const limit = ctx.options.sessionTtlMax;
    if (namespace.role !== 'session' || namespace.ttl.max === null || namespace.ttl.max <= limit) return;
    ctx.report({
      node: namespace,
      message: `${namespace.frameworkName} session keys (${namespace.pattern}) live up to ${formatDuration(namespace.ttl.max)} (p95 ${formatDuration(namespace.ttl.p95 ?? 0)}), longer than ${formatDuration(limit)}`,
      evidence: namespace.examplesLongestTtl.join(' '),
    });
  },
});
