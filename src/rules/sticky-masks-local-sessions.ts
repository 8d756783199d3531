import { MECHANISM_LABELS } from '../model/index.js';
import { describeApp, isPerNode, perNodeApps } from './support/route-apps.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'sticky-masks-local-sessions',
  category: 'sticky-session',
  severity: 'high',
  appliesTo: ['route'],
  docs: {
    summary: 'Sessions kept on one node are held together only by sticky sessions.',
    rationale:
      'Affinity keeps each user on the node that has their session, until it does not: a deploy, a scale-down, a ' +
      'crash, a health-check flap, a client IP that changes (mobile networks, IPv6 privacy addresses) or an expired ' +
      'affinity cookie sends the user to another node, and the session is gone. Load stays uneven and nodes cannot ' +
      'be drained without logging users out.',
    fix:
      'Keep sessions in a shared store (or signed stateless cookies) and then remove the affinity; until then, make ' +
      'deploys drain connections and keep affinity cookies as long as the sessions.',
  },
  check(route, ctx) {
    if (!route.affinity) return;
    const local = perNodeApps(route);
    if (local.length === 0) return;
    const apps = local.map((app) => describeApp(app, app.sessions.filter(isPerNode))).join('; ');
    ctx.report({
      node: route,
      message: `${route.pool.name} keeps users on one node by ${MECHANISM_LABELS[route.affinity.mechanism]} (${route.affinity.detail}) only because sessions are per node: ${apps}`,
    });
  },
});
