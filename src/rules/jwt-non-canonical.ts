import { defineRule } from './types.js';

export default defineRule({
  id: 'jwt-non-canonical',
  category: 'token',
  severity: 'medium',
  appliesTo: ['token'],
  docs: {
    summary: 'The token is not canonically encoded: base64url with stray trailing bits, or JSON with duplicate keys.',
    rationale:
      'Two parsers can read one token differently. With duplicate keys ({"alg":"RS256","alg":"none"}, a repeated ' +
      'sub or role) most JSON parsers keep the last value and some the first, so the verifier and the app can see ' +
      'different claims; RFC 7515 §4 and RFC 7519 §4 require rejecting such tokens or keeping the last member. ' +
      'Non-canonical base64url (unused trailing bits set) gives many strings for the same token, which defeats ' +
      'denylists, caches and rate limits keyed by the token text. Conforming issuers produce neither, so such a token ' +
      'was hand-made.',
    fix:
      'Make verifiers reject duplicate header and claim names and non-canonical base64url (strict decoders); key ' +
      'denylists by jti rather than by the token text; find who produced the token.',
  },
  check(token, ctx) {
    const { nonCanonical, duplicateKeys } = token.encoding;
    if (nonCanonical.length === 0 && duplicateKeys.length === 0) return;
    const parts: string[] = [];
    if (duplicateKeys.length > 0) parts.push(`duplicate key${duplicateKeys.length === 1 ? '' : 's'} ${duplicateKeys.join(', ')} (parsers disagree on which value counts)`);
    if (nonCanonical.length > 0) parts.push(`non-canonical base64url in the ${nonCanonical.join(', ')} (another string for the same token)`);
    ctx.report({
      node: token,
      severity: duplicateKeys.some((key) => key.startsWith('header.')) ? 'high' : undefined,
      message: parts.join('; '),
    });
  },
});
