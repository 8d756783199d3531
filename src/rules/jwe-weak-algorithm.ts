import { severityRank, type Severity } from '../model/index.js';
import { jsonEvidence } from './support/token-claims.js';
import { defineRule } from './types.js';

/** Above this, PBES2 decryption is a CPU denial of service (jose caps p2c at 10,000 by default: CVE-2022-36083). */
export const P2C_MAX = 1_000_000;
/** RFC 7518 §4.8.1.2: a minimum iteration count of 1000 is RECOMMENDED. */
export const P2C_MIN = 1000;

export default defineRule({
  id: 'jwe-weak-algorithm',
  category: 'token',
  severity: 'high',
  appliesTo: ['token'],
  docs: {
    summary: 'An encrypted token (JWE) uses RSA1_5, PBES2 with an excessive or too small p2c, or compresses before encrypting (zip).',
    rationale:
      'RSA1_5 (RSAES-PKCS1-v1_5) key wrapping is open to Bleichenbacher padding-oracle attacks, which recover the ' +
      'content key from the verifier\'s error behaviour; RFC 8725 §3.2 says to avoid it in favour of RSA-OAEP. ' +
      'PBES2 takes its iteration count (p2c) from the token: a huge one makes every decryption burn CPU, a denial of ' +
      'service anyone can send (CVE-2022-36083), and fewer than 1000 iterations (RFC 7518 §4.8.1.2) make the password ' +
      'cheap to brute-force. zip compresses the plaintext before encryption, so the ciphertext length leaks how much ' +
      'of it an attacker guessed (CRIME/BREACH-style, RFC 8725 §3.6).',
    fix:
      'Use RSA-OAEP-256 or ECDH-ES+A256KW (or dir/A256KW with a random key) for key management, do not use passwords ' +
      '(PBES2) for tokens, or bound p2c on the decrypting side (jose: maxPBES2Count); drop "zip" from the issuer ' +
      'and reject it when decrypting.',
  },
  check(token, ctx) {
    if (token.form !== 'jwe') return;
    const { header } = token;
    const alg = typeof header.alg === 'string' ? header.alg : '';
    const problems: Array<{ text: string; severity: Severity }> = [];
    if (alg === 'RSA1_5') problems.push({ text: 'alg RSA1_5: PKCS#1 v1.5 key wrapping, open to padding-oracle attacks (RFC 8725 §3.2)', severity: 'high' });
    if (alg.startsWith('PBES2-')) {
      const p2c = header.p2c;
      if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1) {
        problems.push({ text: `${alg} without a valid p2c (${p2c === undefined ? 'missing' : JSON.stringify(p2c)})`, severity: 'medium' });
      } else if (p2c > P2C_MAX) {
        problems.push({ text: `${alg} with p2c ${p2c}: decrypting costs ${p2c.toLocaleString('en-US')} PBKDF2 rounds, a denial of service anyone can send`, severity: 'high' });
      } else if (p2c < P2C_MIN) {
        problems.push({ text: `${alg} with p2c ${p2c}: below the 1000 iterations RFC 7518 §4.8.1.2 recommends, so the password is cheap to brute-force`, severity: 'medium' });
      }
    }
    if (header.zip !== undefined) {
      problems.push({ text: `zip ${JSON.stringify(header.zip)}: the plaintext is compressed before encryption, so its length leaks content (RFC 8725 §3.6)`, severity: 'medium' });
    }
    if (problems.length === 0) return;
    const severity = problems.reduce<Severity>((worst, problem) => (severityRank(problem.severity) > severityRank(worst) ? problem.severity : worst), 'info');
    ctx.report({
      node: token,
      severity,
      message: problems.map((problem) => problem.text).join('; '),
      evidence: [jsonEvidence('alg', header.alg), ...(header.p2c !== undefined ? [jsonEvidence('p2c', header.p2c)] : []), ...(header.zip !== undefined ? [jsonEvidence('zip', header.zip)] : [])].join(', '),
    });
  },
});
