import { minuteOf, plural, seconds } from './support/log-facts.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'token-used-after-logout',
  category: 'token',
  severity: 'high',
  appliesTo: ['log-revoked-use'],
  docs: {
    summary: 'A token (jti) or signed-in session was accepted after it was logged out or revoked.',
    rationale:
      'Logging out must end the credential on the server, not only delete the cookie in one browser: a copied token ' +
      'or cookie keeps working otherwise (OWASP Session Management cheat sheet, "Logout"; RFC 7009). Stateless JWTs ' +
      'are the usual case: logout clears the client, but every node keeps accepting the token until its exp unless ' +
      'it checks a denylist. The analysis counts a use only when it was served (status below 400), later than the ' +
      'logout, not for a static file, and for session cookies only when the log names a signed-in user.',
    fix:
      'On logout and revocation, put the token\'s jti on a denylist every verifier checks (Redis with a TTL equal to ' +
      'the token\'s remaining life; `session-audit revoke` writes one), or destroy the server-side session in the ' +
      'shared store. Keep access tokens short-lived and rotate refresh tokens, so what a denylist must hold stays small.',
  },
  check(use, ctx) {
    const what = use.idKind === 'jti' ? `token jti ${use.digest}` : `session ${use.digest}`;
    const after = Number.isFinite(use.useTime) && Number.isFinite(use.logoutTime) ? ` ${seconds(Math.max(0, (use.useTime - use.logoutTime) / 1000))} after` : ' after';
    ctx.report({
      node: use,
      message:
        `${what} was accepted${use.status !== null ? ` (status ${use.status})` : ''}${after} it was logged out or revoked ` +
        `(${use.logoutHow} at ${use.logout.file}:${use.logout.line}, ${minuteOf(use.logoutTime)}); ${use.readBeforeLogout ? 'at least ' : ''}${plural(use.uses, 'accepted use')} after logout` +
        // Read before the logout (files overlapping in time): the use kept is the latest, not the first.
        `${use.node ? `, ${use.readBeforeLogout ? 'last' : 'first'} on ${use.node}` : ''}`,
      evidence: `logout: ${use.logout.file}:${use.logout.line}; ${use.readBeforeLogout ? 'latest use after it (read before the logout)' : 'first use after it'}: ${use.location.file}:${use.location.line}`,
    });
  },
});
