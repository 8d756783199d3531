import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

export default defineRule({
  id: 'jwt-header-key-injection',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'The header carries its own key or a URL to fetch one (jwk, jku, x5u, x5c).',
    rationale:
      'These headers let the token say which key verifies it. A verifier that uses an embedded jwk or x5c ' +
      'certificate without checking it against keys it already trusts verifies the attacker\'s signature with the ' +
      'attacker\'s key (CVE-2018-0114 in node-jose, and many since). Following jku or x5u fetches keys from a URL the ' +
      'token chose, and is a server-side request forgery channel into the internal network (RFC 8725 §3.10, "Do Not ' +
      'Trust Received Claims"). An issuer rarely needs to send them: verifiers should know their keys already.',
    fix:
      'Stop issuing these headers (use kid to name a key the verifier already has), and configure verifiers to take ' +
      'keys only from their own key set (a pinned JWKS URL, jose createRemoteJWKSet with a fixed URL), never from ' +
      'the token; if x5c is required, validate the chain against a pinned root and check the key usage.',
  },
  check(token, ctx) {
    const present = KEY_HEADERS.filter((name) => token.header[name] !== undefined);
    if (present.length === 0) return;
    const urls = (['jku', 'x5u'] as const)
      .map((name) => token.header[name])
      .filter((value): value is string => typeof value === 'string');
    const plainHttp = urls.some((url) => /^http:/i.test(url)) ? '; a key URL is plain http' : '';
    const onlyChain = present.length === 1 && present[0] === 'x5c';
    const parts = present.map((name) =>
      name === 'jwk' ? 'an embedded jwk' : name === 'x5c' ? 'an embedded x5c certificate chain' : `${name} ${typeof token.header[name] === 'string' ? JSON.stringify(token.header[name]) : '(not a string)'}`,
    );
    ctx.report({
      node: token,
      severity: onlyChain ? 'medium' : undefined,
      message: `the header brings its own key: ${parts.join(', ')}${plainHttp}; a verifier that trusts it verifies whatever the sender signed`,
      evidence: present.map((name) => jsonEvidence(name, token.header[name], 120)).join(', '),
    });
  },
});
