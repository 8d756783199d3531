import { isAlgNone } from '../tokens/alg-families.js';
import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-alg-none',
  category: 'token',
  severity: 'critical',
  appliesTo: ['token'],
  docs: {
    summary: 'The token says alg "none" (in any casing): it is unsigned, and anyone can write one.',
    rationale:
      'An Unsecured JWS carries no signature: whoever can edit the payload can claim any subject, role or expiry. ' +
      'Verifiers that take the algorithm from the token rather than from their own configuration accept it (RFC 8725 ' +
      '§2.1; the 2015 JWT library disclosures), and mixed-case spellings ("None", "nOnE") slip past deny-lists that ' +
      'compare the exact lower-case name. The OWASP JWT cheat sheet lists it first ("None Hashing Algorithm"). If a ' +
      'service issued or accepted this token, treat every session it vouches for as forgeable.',
    fix:
      'Sign every token (RS256/ES256/EdDSA across services, HS256 with a random 32-byte key inside one), and pin the ' +
      'accepted algorithms in every verifier (RFC 8725 §3.1: jose jwtVerify(..., { algorithms: ["ES256"] }), ' +
      'jsonwebtoken verify(..., { algorithms: [...] })) so "none" is never among them, in any casing.',
  },
  check(token, ctx) {
    const alg = token.header.alg;
    if (!isAlgNone(alg)) return;
    const casing = alg === 'none' ? '' : ` (spelled "${String(alg)}": aimed at case-sensitive deny-lists)`;
    const signed = token.signature.length > 0 ? `; the ${token.signature.length}-byte signature is ignored by such verifiers` : '';
    ctx.report({
      node: token,
      message: `alg is "${String(alg)}": the token is unsigned and anyone can forge one${casing}${signed}`,
      evidence: jsonEvidence('alg', alg),
    });
  },
});
