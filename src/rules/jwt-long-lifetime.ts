import { formatDuration } from '../util/duration.js';
import { claimsOf, isoTime, numericDate, timeEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-long-lifetime',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The token lives longer than --max-lifetime (exp - iat; default 24 h).',
    rationale:
      'A JWT cannot be recalled without extra machinery (a denylist every node checks), so its lifetime is the window ' +
      'in which a stolen copy works, and in which a logged-out, disabled or demoted user keeps access. The OWASP JWT ' +
      'cheat sheet ("No Built-In Token Revocation by the User") and OAuth practice keep access tokens to minutes or ' +
      'an hour and renew them with refresh tokens, which can be revoked centrally. Without iat or nbf the time left ' +
      'until exp is judged instead.',
    fix:
      'Shorten the access token lifetime (15 min to 1 h) and use refresh tokens (rotated, revocable, stored server ' +
      'side) for long sessions; if long-lived tokens are needed, give them a jti and check it against a denylist ' +
      'shared by all nodes. Raise --max-lifetime if this lifetime is a deliberate choice.',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    const exp = numericDate(claims, 'exp');
    if (exp === undefined) return;
    const max = ctx.options.tokenMaxLifetime;
    const iat = numericDate(claims, 'iat');
    const start = iat ?? numericDate(claims, 'nbf');
    if (start !== undefined) {
      const lifetime = exp - start;
      if (lifetime <= max) return;
      ctx.report({
        node: token,
        message: `lives ${formatDuration(lifetime)} (${iat !== undefined ? 'iat' : 'nbf'} ${isoTime(start)} to exp ${isoTime(exp)}), above the ${formatDuration(max)} maximum`,
        evidence: timeEvidence('exp', exp),
      });
    } else if (exp - token.now > max) {
      ctx.report({
        node: token,
        message: `expires in ${formatDuration(exp - token.now)} (${isoTime(exp)}), above the ${formatDuration(max)} maximum (no iat or nbf to measure the lifetime from)`,
        evidence: timeEvidence('exp', exp),
      });
    }
  },
});
