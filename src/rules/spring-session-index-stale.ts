import { defineRule } from './types.js';

export default defineRule({
  id: 'spring-session-index-stale',
  category: 'session-store',
  severity: 'medium',
  appliesTo: ['namespace'],
  docs: {
    summary: 'Spring Session principal indexes list sessions that no longer exist.',
    rationale:
      'FindByIndexNameSessionRepository keeps, per user, a set of that user\'s session ids. Spring removes an id when it ' +
      'hears that the session expired (a keyspace notification); when notifications are off or missed, the ids stay. ' +
      'The sets grow without bound, "log out everywhere" and concurrent-session limits see sessions that are gone, and ' +
      'the keys never expire.',
    fix: 'Enable keyspace notifications (notify-keyspace-events Egx) or run Spring Session\'s cleanup; remove stale ids with SREM, or revoke the index sets (session-audit revoke --framework spring).',
  },
  check(namespace, ctx) {
    const stale = namespace.staleIndex;
    if (namespace.framework !== 'spring-session' || namespace.role !== 'index' || !stale || stale.stale === 0) return;
    ctx.report({
      node: namespace,
      message: `${stale.stale} of ${stale.entries} session ids in ${stale.indexesChecked} sampled principal indexes (${namespace.pattern}) point at sessions that are gone`,
      evidence: stale.examples.join(' '),
    });
  },
});
