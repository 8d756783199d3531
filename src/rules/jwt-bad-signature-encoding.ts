import { signatureProblems } from '../tokens/signature-shape.js';
import type { Severity } from '../model/index.js';
import { defineRule } from './types.js';

const SEVERITY: Record<string, Severity> = { zero: 'critical', empty: 'high', length: 'high', 'weak-rsa': 'high', der: 'medium' };

export default defineRule({
  id: 'jwt-bad-signature-encoding',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'The signature is empty, the wrong length for the alg, DER-encoded ECDSA, or an ECDSA signature with r or s = 0.',
    rationale:
      'Every JWS algorithm fixes the signature size: HS256 32 bytes, ES256 64 (raw r || s, RFC 7518 §3.4), ES384 96, ' +
      'ES512 132, EdDSA 64 (Ed448: 114), RS/PS the RSA modulus size (256 bytes for 2048 bits; 128 bytes means a ' +
      '1024-bit key, below RFC 7518 §3.3\'s minimum). A token that breaks this was stripped of its signature ' +
      '(hoping the verifier skips the check), truncated, or signed by code that emits ASN.1 DER ECDSA, which strict ' +
      'verifiers reject and lenient ones parse in ways that have had bugs. An ECDSA signature with r = 0 or s = 0 is ' +
      'the "psychic signature" of CVE-2022-21449: Java 15-18 accepted it for any message and any key.',
    fix:
      'Find who sent or minted the token. A zero or empty signature is an attack: check the verifiers are patched ' +
      '(Java 17.0.3+/18.0.1+) and reject it. For DER signatures, convert to raw r || s when signing (jose and most JOSE ' +
      'libraries do; with OpenSSL or a KMS/HSM use a DER-to-JOSE conversion), and move RSA keys below 2048 bits to ' +
      '2048 or more.',
  },
  check(token, ctx) {
    if (token.form !== 'jws' || typeof token.header.alg !== 'string') return;
    const problems = signatureProblems(token.header.alg, token.signature);
    if (problems.length === 0) return;
    const [problem] = problems;
    ctx.report({ node: token, severity: SEVERITY[problem.kind], message: problem.message });
  },
});
