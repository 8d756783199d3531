import { count, percent, plural, someOf } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'session-hops-nodes',
  category: 'sticky-session',
  severity: 'medium',
  appliesTo: ['log-hops'],
  docs: {
    summary: 'One session is served by several upstream nodes: harmless with a shared session store, fatal with per-node sessions.',
    rationale:
      'Without affinity a load balancer spreads one user\'s requests over every node. That is the goal when sessions ' +
      'live in a shared store or in the token; when each node keeps sessions in its own memory or disk, every hop ' +
      'lands on a node that does not know the session and the user is logged out at random. The verdict comes from ' +
      '--sessions shared|local when given; otherwise from the logs: when the request that lands on a new node fails ' +
      'far more often (401, 419, 440, a session-not-found or invalid-token event) than requests that stay on their ' +
      'node, sessions are per node (high); when hops fail no more than stays, the store is shared (info); too few ' +
      'hops to tell is reported as unknown (medium).',
    fix:
      'Per-node sessions: move them to a shared store (Redis, Memcached, the database) or to signed tokens every node ' +
      'can verify with the same key; sticky sessions only hide the problem until a node restarts. Shared store: ' +
      'nothing to do (pass --sessions shared to record it). Run `session-audit check` on the app and proxy config to ' +
      'see where sessions are kept.',
  },
  check(hops, ctx) {
    const summary =
      `${plural(hops.sessionsHopped, 'session')} of ${count(hops.sessionsTracked)} moved between upstream nodes ` +
      `(${plural(hops.hops, 'hop')} across ${someOf(hops.nodes)})`;
    const lostRate = `${percent(hops.hopsLost, hops.hops)} of hops were followed by a 401 / session-not-found on the new node, against ${percent(hops.staysLost, hops.stays)} of requests that stayed`;
    const example = hops.examples[0];
    const evidence = example
      ? hops.examples
          .slice(0, 3)
          .map((hop) => `${hop.file}:${hop.line}: session ${hop.digest} ${hop.from} -> ${hop.to}${hop.lost ? ' (lost)' : ''}`)
          .join('\n')
      : undefined;
    if (hops.verdict === 'local') {
      const why = hops.verdictFrom === 'flag' ? 'sessions are kept per node (--sessions local)' : `sessions are per node: ${lostRate}`;
      ctx.report({ node: hops, severity: 'high', message: `${summary}; fatal: ${why}, so users are logged out when they hop`, evidence });
    } else if (hops.verdict === 'shared') {
      const why = hops.verdictFrom === 'flag' ? 'the app uses a shared session store (--sessions shared)' : `hops lose no more sessions than stays (${lostRate}): the store looks shared`;
      ctx.report({ node: hops, severity: 'info', message: `${summary}; harmless: ${why}`, evidence });
    } else {
      ctx.report({
        node: hops,
        message: `${summary}; the logs do not show whether sessions survive a hop (${lostRate}): fatal if sessions are kept per node, harmless with a shared store; say which with --sessions shared|local`,
        evidence,
      });
    }
  },
});
