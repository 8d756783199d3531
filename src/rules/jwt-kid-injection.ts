import { kidProblems } from '../tokens/kid-injection.js';
import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-kid-injection',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'The kid header holds a path, quotes, SQL or shell syntax, or control characters: an injection attempt on the key lookup.',
    rationale:
      'Verifiers use kid to find the key, often by string-building: a file read (kid "../../dev/null" makes the key ' +
      'an empty file, so an HS256 token signed with an empty secret verifies), a SQL query (kid "x\' UNION SELECT ' +
      '\'key") returns a key the attacker chose, a shell command, an LDAP filter. RFC 8725 §3.10 ("Do Not Trust ' +
      'Received Claims") asks verifiers to validate and sanitise it. Real key ids are thumbprints, UUIDs or short ' +
      'names and never need these characters, so such a kid is a probe: check the logs of the services that saw it.',
    fix:
      'Look keys up in a fixed map (a JWKS loaded at start) by exact kid, never by building paths, queries or ' +
      'commands from it; reject a kid that is not a short [A-Za-z0-9._-] string before the lookup.',
  },
  check(token, ctx) {
    const problems = kidProblems(token.header.kid);
    if (problems.length === 0) return;
    ctx.report({
      node: token,
      message: `kid ${problems.length === 1 && problems[0].kind === 'not-a-string' ? problems[0].what : `contains ${problems.map((problem) => problem.what).join(', ')}`}: an injection attempt on the verifier's key lookup`,
      evidence: jsonEvidence('kid', token.header.kid),
    });
  },
});
