import { hmacAlgOf } from '../tokens/alg-families.js';
import { showSecret } from '../tokens/weak-secrets.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-weak-secret',
  category: 'token',
  severity: 'critical',
  appliesTo: ['token'],
  docs: {
    summary: 'The HMAC secret of an HS256/384/512 token is a well-known sample, is in the given wordlist, or is shorter than the hash.',
    rationale:
      'Whoever knows an HMAC key can mint tokens for any user, role and expiry, for every service that shares the ' +
      'key. Sample secrets from documentation (jwt.io\'s "your-256-bit-secret", "secret", "super-secret", framework ' +
      'tutorial values) are the first thing attackers try, and offline cracking of a captured token needs no contact ' +
      'with the service (RFC 8725 §2.2; OWASP JWT cheat sheet, "Weak Token Secret"). RFC 8725 §3.5 forbids ' +
      'human-memorable passwords as HMAC keys, and RFC 7518 §3.2 requires a key at least as long as the hash output ' +
      '(32 bytes for HS256, 48 for HS384, 64 for HS512). The secret is shown masked unless --show-secret.',
    fix:
      'Generate a random key of at least the hash size (openssl rand -base64 32 for HS256; 64 bytes for HS512), keep ' +
      'it in a secret manager, give it to every node that verifies, and rotate the found one now: every token ' +
      'signed with it must be treated as forgeable. Across services, prefer asymmetric keys (ES256, EdDSA) so ' +
      'verifiers cannot sign.',
  },
  check(token, ctx) {
    const alg = String(token.header.alg);
    const hmac = hmacAlgOf(token.header.alg);
    if (!hmac) return;
    if (token.weakSecret) {
      const { secret, from } = token.weakSecret;
      const source = from === 'built-in list' ? 'a well-known sample secret' : from === 'wordlist' ? 'in the wordlist' : 'the given secret';
      ctx.report({
        node: token,
        message: `${alg} secret found: ${showSecret(secret, ctx.options.tokenShowSecret)}, ${source}: anyone can forge tokens with it`,
      });
      return;
    }
    if (token.shortSecretBytes !== undefined) {
      ctx.report({
        node: token,
        severity: 'high',
        message: `the ${alg} secret given with --secret is ${token.shortSecretBytes} byte${token.shortSecretBytes === 1 ? '' : 's'}: RFC 7518 §3.2 requires at least ${hmac.bytes} (the hash size), and short keys are brute-forced offline`,
      });
    }
  },
});
