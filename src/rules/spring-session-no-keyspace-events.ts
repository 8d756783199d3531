import { defineRule } from './types.js';

export default defineRule({
  id: 'spring-session-no-keyspace-events',
  category: 'session-store',
  severity: 'medium',
  appliesTo: ['store'],
  docs: {
    summary: "Spring Session's indexed repository is in use but keyspace notifications for expiry are off.",
    rationale:
      'Spring Session\'s indexed repository learns that a session expired from keyspace notifications (it configures ' +
      '"notify-keyspace-events Egx" itself unless ConfigureRedisAction.NO_OP is set, which managed services force). ' +
      'Without them SessionDestroyedEvent never fires and principal indexes keep ids of dead sessions.',
    fix: 'Set notify-keyspace-events to include E, g and x (e.g. "Egx"), or on a managed service set it in the parameter group.',
  },
  check(store, ctx) {
    // Only the indexed repository (expiry shadow keys, principal indexes) listens for events; Spring Boot 3's
    // default RedisSessionRepository writes plain session hashes with a TTL and needs none.
    if (!store.frameworksWithBookkeeping.includes('spring-session') || store.keyspaceEvents === null) return;
    const flags = store.keyspaceEvents;
    const hasAll = flags.includes('A');
    const missing = ['E', 'g', 'x'].filter((flag) => !flags.includes(flag) && !(hasAll && flag !== 'E'));
    if (missing.length === 0) return;
    ctx.report({
      node: store,
      message: `notify-keyspace-events is "${flags}": missing ${missing.join(', ')}, so Spring Session never hears of expired sessions`,
      evidence: `notify-keyspace-events "${flags}"`,
    });
  },
});
