import { defineRule } from './types.js';

export default defineRule({
  id: 'sticky-cookie-insecure',
  category: 'sticky-session',
  severity: 'low',
  appliesTo: ['affinity'],
  docs: {
    summary: 'The affinity cookie is set without Secure or HttpOnly.',
    rationale:
      'Without Secure the cookie is sent over plain HTTP, where anyone on the path can read or set it and steer a user ' +
      'to a chosen node; without HttpOnly page scripts (and XSS) can read it. Affinity cookies often encode backend ' +
      'names or addresses, which should not leak.',
    fix: 'Add the Secure and HttpOnly attributes where the load balancer sets the cookie (for example `sticky cookie srv_id secure httponly` in nginx, `cookie SRV insert secure httponly` in HAProxy).',
  },
  check(affinity, ctx) {
    const cookie = affinity.cookie;
    if (!cookie) return;
    const missing = [cookie.secure === false ? 'Secure' : null, cookie.httpOnly === false ? 'HttpOnly' : null].filter(
      (flag): flag is string => flag !== null,
    );
    if (missing.length === 0) return;
    const name = cookie.name ? `affinity cookie ${cookie.name}` : 'affinity cookie';
    ctx.report({ node: affinity, message: `${affinity.pool}: ${name} is set without ${missing.join(' or ')}` });
  },
});
