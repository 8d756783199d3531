import { claimsOf, describeValue, jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-missing-aud',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The token has no aud (audience) claim: any service that trusts the issuer accepts it.',
    rationale:
      'When one issuer serves several services, a token without an audience minted for one of them (or for a ' +
      'low-value app) is accepted by all the others: a substitution attack (RFC 8725 §2.7). RFC 8725 §3.9 requires ' +
      'aud whenever an issuer issues tokens for more than one relying party, and verifiers must check it is theirs.',
    fix:
      'Issue tokens with aud naming the service (or services) they are for, and make each verifier require its own ' +
      'audience (jose: jwtVerify(..., { audience: "api" }); Spring: an audience validator).',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    const aud = claims.aud;
    if (!('aud' in claims)) {
      ctx.report({ node: token, message: 'no aud: every service that trusts this issuer accepts the token, not only the one it was meant for' });
    } else if (!(typeof aud === 'string' && aud !== '') && !(Array.isArray(aud) && aud.length > 0 && aud.every((item) => typeof item === 'string' && item !== ''))) {
      ctx.report({ node: token, message: `aud is ${describeValue(aud)}: not a string or a non-empty array of strings (RFC 7519 §4.1.3)`, evidence: jsonEvidence('aud', aud) });
    }
  },
});
