import { claimsOf, isoTime, numericDate, relativeTime, timeEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

/** Clock skew tolerated before a future nbf or iat counts (the usual verifier leeway). */
export const NOT_YET_VALID_LEEWAY = 60;

export default defineRule({
  id: 'jwt-not-yet-valid',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The token\'s nbf or iat is in the future, by more than a minute.',
    rationale:
      'A token that is not valid yet (nbf, RFC 7519 §4.1.5) or claims to be issued in the future (iat, §4.1.6) ' +
      'usually means the issuer\'s clock runs ahead of the verifiers\'. In a distributed system that shows up as ' +
      'random rejections right after login, depending on which node the request reaches. It can also be a token ' +
      'minted with chosen times to outlive a lifetime check that trusts iat.',
    fix:
      'Synchronise the clocks of issuers and verifiers (NTP/chrony), allow a small leeway (60 s) when verifying, ' +
      'and have issuers set iat and nbf from their own clock, never from the request.',
  },
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return;
    const nbf = numericDate(claims, 'nbf');
    const iat = numericDate(claims, 'iat');
    if (nbf !== undefined && nbf > token.now + NOT_YET_VALID_LEEWAY) {
      ctx.report({
        node: token,
        message: `not valid before ${isoTime(nbf)} (${relativeTime(nbf, token.now)}): the issuer's clock is ahead of the verifiers', or the token was minted for later`,
        evidence: timeEvidence('nbf', nbf),
      });
    } else if (iat !== undefined && iat > token.now + NOT_YET_VALID_LEEWAY) {
      ctx.report({
        node: token,
        message: `issued in the future: iat ${isoTime(iat)} (${relativeTime(iat, token.now)}): the issuer's clock is ahead, or iat was chosen`,
        evidence: timeEvidence('iat', iat),
      });
    }
  },
});
