import { count, minuteOf, percent, seconds } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'logout-storm',
  category: 'sticky-session',
  severity: 'high',
  appliesTo: ['log-burst'],
  docs: {
    summary: 'A spike of lost sessions (401, session-not-found) across many users, often right after a deploy or restart.',
    rationale:
      'When many users lose their sessions in the same minutes, the cause is on the server side: sessions kept in a ' +
      'node\'s memory vanish when it restarts or is redeployed, a session store was flushed, failed over without its ' +
      'data or started evicting, or a deploy rotated the session secret or signing key. A minute counts when it has ' +
      'at least --storm-min lost sessions from several clients at --storm-factor times the rate of the 15 minutes ' +
      'before; nodes that started serving shortly before are named.',
    fix:
      'Keep sessions in a shared store that survives deploys (with persistence and replicas), roll out secret and key ' +
      'changes with the old key still accepted for a grace period, drain nodes before restarting them, and make ' +
      'the store\'s eviction policy spare session keys (`session-audit scan --redis ...` checks these).',
  },
  check(burst, ctx) {
    const span = seconds(Math.max(burst.bucketSeconds, (burst.end - burst.start) / 1000));
    const clients = `${burst.clientsCapped ? 'at least ' : ''}${count(burst.clients)} clients`;
    const joined = burst.joined.length > 0
      ? `; right after ${burst.joined.map((join) => `${join.node} started serving at ${minuteOf(join.time)}`).join(', ')} (a deploy or restart?)`
      : '';
    ctx.report({
      node: burst,
      message:
        `${count(burst.failures)} lost sessions (401 / session-not-found) from ${clients} in ${span} from ${minuteOf(burst.start)}: ` +
        `${percent(burst.failures, burst.requests)} of requests, against ${percent(burst.baselineRate * 1000, 1000)} before${joined}`,
    });
  },
});
