import { claimsOf, describeValue, jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-missing-iss',
  category: 'token',
  severity: 'low',
  appliesTo: ['token'],
  docs: {
    summary: 'The token has no iss (issuer) claim.',
    rationale:
      'Verifiers that accept tokens from more than one issuer (an identity provider per environment or tenant, a ' +
      'partner, an internal service) must check who issued a token and use that issuer\'s keys (RFC 8725 §3.8, ' +
      '"Validate Issuer and Subject"). Without iss a token from a test or staging issuer that shares a key, or from ' +
      'another tenant, is indistinguishable from a production one.',
    fix:
      'Have the issuer set iss to its identifier (the OIDC issuer URL) and make every verifier require the expected ' +
      'value (jose: jwtVerify(..., { issuer }); jsonwebtoken: { issuer }).',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    if (!('iss' in claims)) {
      ctx.report({ node: token, message: 'no iss: verifiers cannot tell which issuer (environment, tenant) minted this token' });
    } else if (typeof claims.iss !== 'string' || claims.iss === '') {
      ctx.report({ node: token, message: `iss is ${describeValue(claims.iss)}, not a non-empty string (RFC 7519 §4.1.1)`, evidence: jsonEvidence('iss', claims.iss) });
    }
  },
});
