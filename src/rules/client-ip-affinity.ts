import { defineRule } from './types.js';

export default defineRule({
  id: 'client-ip-affinity',
  category: 'sticky-session',
  severity: 'low',
  appliesTo: ['affinity'],
  docs: {
    summary: 'Affinity keyed on the client IP address.',
    rationale:
      'Many users share one address behind a corporate NAT, a mobile carrier gateway or another proxy, so they all land ' +
      'on one node and load is uneven. A user whose address changes (mobile networks, dual-stack, VPN) is moved to ' +
      'another node and loses an in-memory session. Behind another proxy, the address seen may be the proxy\'s, ' +
      'pinning every user to one node.',
    fix:
      'Prefer no affinity (shared session store). If affinity is required, use a cookie set by the load balancer, ' +
      'which follows the user rather than the network.',
  },
  check(affinity, ctx) {
    if (affinity.mechanism !== 'client-ip') return;
    ctx.report({
      node: affinity,
      message: `${affinity.pool} keys affinity on the client IP (${affinity.detail}): users behind one NAT or proxy share a node`,
    });
  },
});
