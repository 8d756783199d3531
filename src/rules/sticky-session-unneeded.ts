import { MECHANISM_LABELS } from '../model/index.js';
import { allShared, describeApp } from './support/route-apps.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'sticky-session-unneeded',
  category: 'sticky-session',
  severity: 'low',
  appliesTo: ['route'],
  docs: {
    summary: 'A pool pins users to one node although every app behind it shares its sessions.',
    rationale:
      'When sessions live in a shared store or in stateless tokens, affinity buys nothing for sessions and still ' +
      'costs: uneven load, nodes that cannot be drained quickly, and users who lose in-flight work when their node goes.',
    fix: 'Remove the affinity setting (after checking nothing else, such as a local cache or websockets, relies on it).',
  },
  check(route, ctx) {
    if (!route.affinity || !allShared(route)) return;
    ctx.report({
      node: route,
      message: `${route.pool.name} pins users by ${MECHANISM_LABELS[route.affinity.mechanism]}, but every app behind it shares its sessions: ${route.apps.map((app) => describeApp(app)).join('; ')}`,
    });
  },
});
