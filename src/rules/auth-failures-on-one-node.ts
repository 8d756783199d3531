import { count, percent } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'auth-failures-on-one-node',
  category: 'token',
  severity: 'high',
  appliesTo: ['log-node'],
  docs: {
    summary: 'Auth failures (401/403, invalid-token) are concentrated on one upstream node.',
    rationale:
      'Behind a load balancer every node should accept the same sessions and tokens. When one node refuses far more ' +
      'of them than its peers, that node differs: another session secret or signing key (a deploy that missed a ' +
      'secret rotation, a node reading a stale JWKS), a clock off by minutes (tokens "not yet valid" or expired), or ' +
      'a node pointed at another session store. Users see random logouts that follow the node, not what they did. ' +
      'A node is judged when it has at least --min-failures failures, its failure rate is --failure-factor times ' +
      'the other nodes\' together, and it holds more than half of all failures.',
    fix:
      'Compare the node with its peers: session secret / JWT keys and key ids, the JWKS it fetched and when, its ' +
      'clock (`chronyc tracking`, `timedatectl`), its session store address, its deployed version. Fix the ' +
      'difference, or drain the node until it matches.',
  },
  check(node, ctx) {
    const { logMinFailures, logFailureFactor } = ctx.options;
    if (node.authFailures < logMinFailures || node.requests === 0) return;
    const rate = node.authFailures / node.requests;
    const othersRate = node.othersRequests > 0 ? node.othersAuthFailures / node.othersRequests : 0;
    const total = node.authFailures + node.othersAuthFailures;
    if (node.authFailures * 2 <= total) return;
    if (rate < logFailureFactor * Math.max(othersRate, 0.002)) return;
    ctx.report({
      node,
      message:
        `node ${node.name} refused ${count(node.authFailures)} of ${count(node.requests)} requests (${percent(node.authFailures, node.requests)}) with 401/403 or an ` +
        `invalid-token event, against ${percent(node.othersAuthFailures, node.othersRequests)} on the other ${count(node.nodes - 1)} node${node.nodes === 2 ? '' : 's'}; ` +
        `it holds ${percent(node.authFailures, total)} of all auth failures: another secret, key or clock?`,
    });
  },
});
