import { claimsOf, describeValue, jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-missing-jti',
  category: 'token',
  severity: 'low',
  appliesTo: ['token'],
  docs: {
    summary: 'The token has no jti (JWT ID): it cannot be revoked on its own.',
    rationale:
      'When a token leaks or a user logs out, the only way to end one JWT before its exp is a denylist that every ' +
      'node checks, keyed by the token\'s unique id (RFC 7519 §4.1.7; OWASP JWT cheat sheet, "Token Explicit ' +
      'Revocation by the User"). Without jti the choice is between waiting for exp and rotating the signing key, ' +
      'which logs everyone out. jti also lets a verifier refuse replays of one-time tokens.',
    fix:
      'Give every token a random jti (a UUID, or 128 random bits in base64url) at issue time, and keep revoked ids ' +
      'in a shared store (Redis with a TTL equal to the token\'s remaining life) that verifiers consult; ' +
      '`session-audit revoke` writes such a denylist.',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    if (!('jti' in claims)) {
      ctx.report({ node: token, message: 'no jti: this token cannot be put on a revocation denylist; ending it early means rotating the key for everyone' });
    } else if (typeof claims.jti !== 'string' || claims.jti === '') {
      ctx.report({ node: token, message: `jti is ${describeValue(claims.jti)}, not a non-empty string (RFC 7519 §4.1.7)`, evidence: jsonEvidence('jti', claims.jti) });
    }
  },
});
