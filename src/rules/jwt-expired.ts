import { claimsOf, isoTime, numericDate, relativeTime, timeEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-expired',
  category: 'token',
  severity: 'low',
  appliesTo: ['token'],
  docs: {
    summary: 'The token\'s exp is in the past (at --now, or the clock).',
    rationale:
      'An expired token (RFC 7519 §4.1.4) must be refused by every verifier. Finding one in live traffic or a ' +
      'current log means a client keeps sending it, or a service still accepts it: a verifier that does not check ' +
      'exp, or whose clock is far behind the issuer\'s, turns every leaked old token into a working one.',
    fix:
      'Make sure every service verifies exp (most libraries do by default; some need requireExpirationTime or ' +
      'verify_exp), keeps its clock in sync (NTP/chrony) and allows at most a small leeway (a minute); have clients ' +
      'refresh tokens before they expire.',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    const exp = numericDate(claims, 'exp');
    if (exp === undefined || exp > token.now) return;
    ctx.report({
      node: token,
      message: `expired ${isoTime(exp)}, ${relativeTime(exp, token.now)}`,
      evidence: timeEvidence('exp', exp),
    });
  },
});
