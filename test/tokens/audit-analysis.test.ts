// The audit analysis (auditTokens / TokenAuditor) on tokens made by jose here: clean tokens of every
// family raise nothing at all; the weak-secret search with the built-in list, --secret and --wordlist;
// sampling and the memo in --batch mode.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompactEncrypt, SignJWT, generateKeyPair, generateSecret } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Token } from '../../src/model/index.js';
import { RULES } from '../../src/rules/index.js';
import { SAMPLE_FIRST, TokenAuditor, auditTokens } from '../../src/tokens/audit.js';
import { decodeToken } from '../../src/tokens/decode.js';
import { BUILT_IN_SECRETS, JWT_SAMPLE_SECRETS } from '../../src/tokens/weak-secrets.js';
import { SAMPLE_SECRETS } from '../../src/parsers/apps/sample-secrets.js';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const claims = () => ({ iss: 'https://id.example.com', sub: 'u-1842', aud: 'api', jti: randomUUID() });
const decode = (raw: string, now = NOW) => decodeToken(raw, { source: 'test', now });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS token signed with node:crypto (jose refuses empty and short keys, which is the point here). */
function hs(secret: string, payload: Record<string, unknown> = { ...claims(), iat: NOW - 60, exp: NOW + 600 }, alg = 'HS256'): string {
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url')}`;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'session-audit-audit-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('clean tokens raise nothing at all', () => {
  it('RS256 with exp 1h, iat, jti, iss, aud and a plain kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const raw = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'rs-2026-01' }).setIssuedAt(NOW - 60).setExpirationTime(NOW - 60 + 3600).sign(privateKey);
    expect(await auditTokens([decode(raw)], { ruleOptions: { tokenAlgs: ['RS256'] } })).toEqual([]);
  });

  it('PS256, ES256, ES384, ES512, EdDSA and a strong HS256, with --alg listing them', async () => {
    const tokens: Token[] = [];
    for (const alg of ['PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const) {
      const { privateKey } = await generateKeyPair(alg);
      tokens.push(decode(await new SignJWT(claims()).setProtectedHeader({ alg, kid: `${alg}-1` }).setIssuedAt(NOW).setExpirationTime(NOW + 900).sign(privateKey)));
    }
    tokens.push(decode(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(NOW).setExpirationTime(NOW + 900).sign(randomBytes(32))));
    const findings = await auditTokens(tokens, { ruleOptions: { tokenAlgs: ['PS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256'] } });
    expect(findings.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
  });

  it('JWE with dir, A256KW and RSA-OAEP', async () => {
    const plaintext = new TextEncoder().encode(JSON.stringify(claims()));
    const { publicKey } = await generateKeyPair('RSA-OAEP');
    const tokens = [
      await new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(await generateSecret('A256GCM')),
      await new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' }).encrypt(await generateSecret('A256KW')),
      await new CompactEncrypt(plaintext).setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128CBC-HS256' }).encrypt(publicKey),
    ].map((raw) => decode(raw));
    expect(await auditTokens(tokens)).toEqual([]);
  });

  it('every finding is in the report contract: category token, a source, the rule fix', async () => {
    const findings = await auditTokens([decode(hs('secret', { sub: 'x' }))]);
    expect(findings.length).toBeGreaterThan(3);
    for (const finding of findings) {
      expect(finding).toMatchObject({ category: 'token', source: 'test', file: null, line: null });
      expect(finding.fix).toBe(RULES.find((rule) => rule.id === finding.ruleId)!.docs.fix);
    }
    // worst first
    expect(findings[0]).toMatchObject({ ruleId: 'jwt-weak-secret', severity: 'critical' });
  });
});

describe('the weak-secret search', () => {
  it('extends the app sample list instead of copying it', () => {
    for (const secret of SAMPLE_SECRETS) expect(BUILT_IN_SECRETS).toContain(secret);
    for (const secret of JWT_SAMPLE_SECRETS) expect(BUILT_IN_SECRETS).toContain(secret);
    expect(new Set(BUILT_IN_SECRETS).size).toBe(BUILT_IN_SECRETS.length);
  });

  it('finds jwt.io, framework and empty secrets, masked unless asked', async () => {
    const weak = async (raw: string, show = false) =>
      (await auditTokens([decode(raw)], { ruleOptions: { tokenShowSecret: show } })).filter((finding) => finding.ruleId === 'jwt-weak-secret').map((finding) => finding.message);
    expect(await weak(hs('your-256-bit-secret'))).toEqual(['HS256 secret found: yo… (19 chars), a well-known sample secret: anyone can forge tokens with it']);
    expect(await weak(hs('your-256-bit-secret'), true)).toEqual(['HS256 secret found: "your-256-bit-secret", a well-known sample secret: anyone can forge tokens with it']);
    expect(await weak(hs('super-secret', undefined, 'HS512'))).toHaveLength(1);
    expect(await weak(hs('keyboard cat', undefined, 'HS384'))).toHaveLength(1);
    expect(await weak(hs(''))).toEqual(['HS256 secret found: (empty), a well-known sample secret: anyone can forge tokens with it']);
    expect(await weak(hs(randomBytes(32).toString('hex')))).toEqual([]);
  });

  it('judges a given secret only against tokens it verifies', async () => {
    const short = 'tiny-key';
    const findings = async (raw: string, secret: string) =>
      (await auditTokens([decode(raw)], { secret: Buffer.from(secret) })).filter((finding) => finding.ruleId === 'jwt-weak-secret');
    expect(await findings(hs(short), short)).toMatchObject([{ severity: 'high', message: expect.stringContaining('is 8 bytes: RFC 7518 §3.2 requires at least 32') }]);
    expect(await findings(hs(short, undefined, 'HS512'), `${short}${'x'.repeat(40)}`)).toEqual([]); // does not verify: not judged
    expect(await findings(hs('k'.repeat(64), undefined, 'HS512'), 'k'.repeat(64))).toEqual([]);
    // a given secret that is also a sample is reported as the sample (critical)
    expect(await findings(hs('changeme'), 'changeme')).toMatchObject([{ severity: 'critical' }]);
  });

  it('streams a wordlist and stops at the first match', async () => {
    const wordlist = path.join(work, 'words.txt');
    writeFileSync(wordlist, `alpha\r\nbravo\ncorrect horse battery staple\n${'z'.repeat(10)}\n`);
    const auditor = new TokenAuditor({ wordlist });
    const [found, missing] = await auditor.audit([decode(hs('correct horse battery staple')), decode(hs('not in any list at all'))]);
    expect(found.token.weakSecret).toEqual({ secret: 'correct horse battery staple', from: 'wordlist' });
    expect(found.findings[0].message).toContain('co… (28 chars), in the wordlist');
    expect(missing.token.weakSecret).toBeUndefined();
    await expect(new TokenAuditor({ wordlist: path.join(work, 'missing.txt') }).audit([decode(hs('x'))])).rejects.toThrow(/cannot read the wordlist \(ENOENT\)/);
  });

  it('answers repeated tokens from the memo, and tries found secrets first', async () => {
    const auditor = new TokenAuditor();
    const raw = hs('my_secret_key');
    await auditor.audit([decode(raw)]);
    const after = auditor.stats.hmacs;
    const [again] = await auditor.audit([decode(raw)]);
    expect(again.token.weakSecret?.secret).toBe('my_secret_key');
    expect(auditor.stats.hmacs).toBe(after);
    await auditor.audit([decode(hs('my_secret_key', { sub: 'another' }))]);
    expect(auditor.stats.hmacs).toBe(after + 1); // the found secret, first
  });

  it('samples each signer in --batch mode, and still reports every token signed with a found secret', async () => {
    const strong = randomBytes(32).toString('hex');
    const tokens = Array.from({ length: SAMPLE_FIRST * 3 }, (_, index) => decode(hs(strong, { sub: `u-${index}`, iss: 'a', exp: NOW + 600, iat: NOW })));
    const auditor = new TokenAuditor({ sampling: true });
    await auditor.audit(tokens);
    expect(auditor.stats.hsTokens).toBe(SAMPLE_FIRST * 3);
    expect(auditor.stats.searched).toBeLessThan(SAMPLE_FIRST * 3);
    expect(auditor.stats.searched).toBeGreaterThanOrEqual(SAMPLE_FIRST);
    // A second node of the same signer with a sample secret: found in the sample, then on all its tokens.
    const weak = Array.from({ length: SAMPLE_FIRST * 2 }, (_, index) => decode(hs('changeme', { sub: `w-${index}`, iss: 'a', exp: NOW + 600, iat: NOW })));
    const mixed = weak.flatMap((token, index) => [token, decode(hs(strong, { sub: `v-${index}`, iss: 'a', exp: NOW + 600, iat: NOW }))]);
    const audited = await new TokenAuditor({ sampling: true }).audit(mixed);
    const reported = audited.filter((entry) => entry.findings.some((finding) => finding.ruleId === 'jwt-weak-secret'));
    expect(reported.map((entry) => entry.token)).toEqual(weak);
  });
});
