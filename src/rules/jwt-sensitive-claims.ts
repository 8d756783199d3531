import { severityRank, type Severity } from '../model/index.js';
import { SENSITIVE_SEVERITY, findSensitiveClaims } from '../tokens/sensitive-claims.js';
import { claimsOf } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-sensitive-claims',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'A signed (not encrypted) token carries credentials or personal data: passwords, card or national id numbers, emails, phone numbers.',
    rationale:
      'A JWS payload is only base64url: the browser, every proxy and log line the token passes through, error ' +
      'trackers and the user can read it, and tokens are copied into logs far more often than session ids. The OWASP ' +
      'JWT cheat sheet ("Token Information Disclosure") warns against exactly this. Credentials (password, secret, ' +
      'API keys), card numbers and national ids in a token are a breach in waiting (high); emails and phone numbers ' +
      'are personal data under GDPR and similar laws (medium). Values are recognised by shape (Luhn-valid card ' +
      'numbers, SSN and NINO formats, IBANs) and claim names by meaning; findings name the claim, never the value.',
    fix:
      'Keep only an opaque user id (sub) and what authorisation needs in the token; look the rest up server side. ' +
      'Never put credentials in a token. If the data must travel with it, encrypt the token (a nested JWT: sign, ' +
      'then encrypt as JWE, RFC 7519 §11.2) so only the audience can read it.',
  },
  check(token, ctx) {
    const claims = token.form === 'jws' ? claimsOf(token) : null;
    if (!claims) return;
    const found = findSensitiveClaims(claims);
    if (found.length === 0) return;
    let severity: Severity = 'info';
    for (const claim of found) if (severityRank(SENSITIVE_SEVERITY[claim.kind]) > severityRank(severity)) severity = SENSITIVE_SEVERITY[claim.kind];
    const shown = found.slice(0, 6).map((claim) => `${claim.path} (${claim.why === 'the claim name' ? `${claim.kind}, by name` : claim.why})`);
    const more = found.length > shown.length ? ` and ${found.length - shown.length} more` : '';
    ctx.report({
      node: token,
      severity,
      message: `readable by anyone who sees the token: ${shown.join(', ')}${more}; keep it server side or encrypt the token (JWE)`,
    });
  },
});
