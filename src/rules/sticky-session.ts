import { MECHANISM_LABELS } from '../model/index.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'sticky-session',
  category: 'sticky-session',
  severity: 'medium',
  appliesTo: ['affinity'],
  docs: {
    summary: 'A load balancer pins each client to one backend (session affinity).',
    rationale:
      'Sticky sessions are the usual crutch for sessions kept in one node\'s memory. They make nodes hard to add or ' +
      'drain (pinned users stay on the old node), skew load, and when a node fails or is redeployed every user pinned ' +
      'to it loses their session. Affinity often hides the real problem: state that is not shared between nodes.',
    fix:
      'Keep sessions in a shared store (Redis, Memcached, a database) or in signed stateless tokens, so any node can ' +
      'serve any request; then remove the affinity setting. If affinity is needed for performance (caches), make sure ' +
      'losing it loses nothing.',
  },
  check(affinity, ctx) {
    ctx.report({
      node: affinity,
      message: `${affinity.pool} pins clients to one backend by ${MECHANISM_LABELS[affinity.mechanism]} (${affinity.detail})`,
    });
  },
});
