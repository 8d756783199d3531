import { claimsOf, describeValue, jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-missing-exp',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'The token has no usable exp claim: it never expires.',
    rationale:
      'JWTs cannot be recalled once issued: without exp (RFC 7519 §4.1.4) a token that leaks through a log, a ' +
      'browser extension or a proxy works forever, and logging out or changing the password does not end it. ' +
      'The OWASP JWT cheat sheet ("No Built-In Token Revocation by the User") relies on short lifetimes for exactly ' +
      'this. An exp that is not a JSON number (a string, a date text) is ignored by many libraries, so it counts as ' +
      'missing.',
    fix:
      'Issue every token with exp as a NumericDate (seconds since the epoch), a short one for access tokens ' +
      '(minutes to an hour) with refresh tokens for longer sessions, and make verifiers require it (jose: ' +
      'jwtVerify(..., { requiredClaims: ["exp"] }); PyJWT: options={"require": ["exp"]}).',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    if (!('exp' in claims)) {
      ctx.report({ node: token, message: 'no exp claim: the token never expires, so a leaked copy works forever' });
    } else if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
      ctx.report({
        node: token,
        message: `exp is ${describeValue(claims.exp)}, not a NumericDate: many verifiers ignore it, and the token never expires`,
        evidence: jsonEvidence('exp', claims.exp),
      });
    }
  },
});
