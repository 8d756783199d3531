import { count, minuteOf, seconds, someOf } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'session-reuse-many-ips',
  category: 'token',
  severity: 'medium',
  appliesTo: ['log-session'],
  docs: {
    summary: 'One session id or token jti is used from more client IPs or user agents within a short window than one person would use.',
    rationale:
      'A session cookie or bearer token is a password for as long as it lives: whoever holds it is the user. One id ' +
      'arriving from many addresses or browsers within minutes means it is shared (an integration passing a user\'s ' +
      'token around, a cache that stores Set-Cookie and hands it to everyone) or stolen and replayed (malware, a ' +
      'leaked log, a XSS). A phone moving between Wi-Fi and mobile data explains two or three IPs, not more, and ' +
      'never a different user agent. The ids are shown as digests: the log holds the real value.',
    fix:
      'Revoke the session or token now (`session-audit revoke`, or your identity provider), then find how it spread: ' +
      'caches that store responses with Set-Cookie (add `Cache-Control: private`, `proxy_no_cache $cookie_...`), ' +
      'tokens in URLs or logs. Bind sessions to something the thief lacks where you can (DPoP / mTLS-bound tokens, ' +
      'short lifetimes with refresh rotation), and alert on this pattern. Tune with --max-ips, --max-user-agents ' +
      'and --window when NAT or mobile clients make the defaults noisy.',
  },
  check(session, ctx) {
    const { logMaxIps, logMaxUserAgents } = ctx.options;
    const manyIps = session.ipsInWindow > logMaxIps;
    const manyAgents = session.userAgentsInWindow > logMaxUserAgents;
    if (!manyIps && !manyAgents) return;
    const what = session.idKind === 'jti' ? `token jti ${session.digest}` : `session ${session.digest}`;
    const atLeast = session.capped ? 'at least ' : '';
    const parts: string[] = [];
    if (manyIps) parts.push(`${atLeast}${count(session.ipsInWindow)} client IPs (${someOf(session.ips)}; more than ${logMaxIps})`);
    if (manyAgents) parts.push(`${atLeast}${count(session.userAgentsInWindow)} user agents (more than ${logMaxUserAgents})`);
    ctx.report({
      node: session,
      severity: manyIps && manyAgents ? 'high' : undefined,
      message:
        `${what} was used from ${parts.join(' and ')} within ${seconds(session.windowSeconds)}, by ${minuteOf(session.lastTime)}: ` +
        'shared or stolen',
      evidence: manyAgents ? `user agents: ${someOf(session.userAgents.map((agent) => JSON.stringify(agent.length > 80 ? `${agent.slice(0, 77)}...` : agent)), 3)}` : `client IPs: ${someOf(session.ips, 8)}`,
    });
  },
});
