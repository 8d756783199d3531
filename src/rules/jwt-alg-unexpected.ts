import { hmacAlgOf, isAlgNone } from '../tokens/alg-families.js';
import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-alg-unexpected',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'The token\'s alg is not one of the algorithms given with --alg (what the verifiers are meant to accept).',
    rationale:
      'A verifier that lets the token pick its algorithm can be talked into the wrong one: the classic case is an ' +
      'HS256 token whose HMAC key is the service\'s RSA public key, which anyone can fetch (algorithm confusion, ' +
      'RFC 8725 §2.1). RFC 8725 §3.1 requires verifiers to check the algorithm against an allow-list. A token with ' +
      'another alg in circulation means either an issuer that is not configured as you think, or a forgery attempt. ' +
      'Only judged when --alg is given.',
    fix:
      'Pin the algorithms in every verifier (jose: jwtVerify(token, key, { algorithms: [...] }); jsonwebtoken: ' +
      'verify(token, key, { algorithms: [...] }); Spring: the JwtDecoder\'s signature algorithm), use one key per ' +
      'algorithm, and find the issuer of this token.',
  },
  check(token, ctx) {
    const expected = ctx.options.tokenAlgs;
    const alg = token.header.alg;
    if (expected === null || typeof alg !== 'string' || expected.includes(alg)) return;
    const asymmetricOnly = expected.length > 0 && expected.every((name) => !hmacAlgOf(name) && !isAlgNone(name));
    const confusion = hmacAlgOf(alg) && asymmetricOnly ? ': an HMAC token where public-key signatures are expected is the shape of an algorithm-confusion attack' : '';
    ctx.report({
      node: token,
      message: `alg is "${alg}", not one of the expected ${expected.join(', ')}${confusion}`,
      evidence: jsonEvidence('alg', alg),
    });
  },
});
