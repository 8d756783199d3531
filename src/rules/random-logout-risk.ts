import { shownEvidence } from '../util/mask-quoted.js';
import { describeApp, isPerNode, perNodeApps, spreadsOver } from './support/route-apps.js';
import { defineRule } from './types.js';


export default defineRule({
  id: 'random-logout-risk',
  category: 'session-store',
  severity: 'critical',
  appliesTo: ['route'],
  docs: {
    summary: 'A load balancer spreads users over several instances, and each instance keeps its own sessions.',
    rationale:
      'The balancer sends each request to any instance; the session (or the key that signs it) lives on only one. ' +
      'Every request that lands elsewhere finds no session: the user is logged out, a cart empties, a form ' +
      'fails its CSRF check, apparently at random and more often the more replicas there are.',
    fix:
      'Move the sessions to a store every instance shares (Redis, Memcached, the database) or to signed stateless ' +
      'cookies, and give every instance the same signing secret. Sticky sessions only hide this until the next ' +
      'deploy, scale-down or node failure.',
  },
  check(route, ctx) {
    if (route.affinity) return;
    const atRisk = perNodeApps(route).filter((app) => spreadsOver(route, app));
    if (atRisk.length === 0) return;
    const apps = atRisk.map((app) => describeApp(app, app.sessions.filter(isPerNode))).join('; ');
    const cause = atRisk[0].sessions.find(isPerNode)!;
    ctx.report({
      node: route,
      message: `${route.pool.name} balances without affinity over per-node sessions: ${apps}: users are logged out at random`,
      evidence: `${route.pool.name}: no affinity; ${cause.location.file}:${cause.location.line}: ${shownEvidence(cause)}`,
    });
  },
});
