import { formatDuration } from '../util/duration.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'sticky-cookie-lifetime',
  category: 'sticky-session',
  severity: 'low',
  appliesTo: ['affinity'],
  docs: {
    summary: 'The affinity cookie lives without bound, or longer than the threshold (default 1 day).',
    rationale:
      'An affinity cookie that never expires (a browser "session" cookie survives restarts when the browser restores ' +
      'tabs) or lives for weeks keeps users pinned to a node long after it matters: load never rebalances after a ' +
      'scale-out, and a drained node keeps receiving traffic from old cookies.',
    fix:
      'Give the affinity cookie an explicit lifetime no longer than a working session (for example expires=1h in nginx, ' +
      'maxlife 1h in HAProxy, session-cookie-max-age in ingress-nginx), or remove the affinity.',
  },
  check(affinity, ctx) {
    const cookie = affinity.cookie;
    if (!cookie) return;
    const limit = ctx.options.stickyCookieMaxAge;
    const name = cookie.name ? `affinity cookie ${cookie.name}` : 'affinity cookie';
    if (cookie.maxAgeSeconds === null) {
      const how = cookie.lifetimeText ?? 'no lifetime set: a session cookie';
      ctx.report({ node: affinity, message: `${affinity.pool}: ${name} has no bounded lifetime (${how})` });
    } else if (cookie.maxAgeSeconds !== undefined && cookie.maxAgeSeconds > limit) {
      ctx.report({
        node: affinity,
        message: `${affinity.pool}: ${name} lives ${formatDuration(cookie.maxAgeSeconds)}, longer than ${formatDuration(limit)}`,
      });
    }
  },
});
