// The ONE line `token verify` prints for each jose failure, exactly, through jose's own path and the
// node:crypto fast path alike (real tokens signed with jose; no mocks).
import { describe, expect, it } from 'vitest';
import * as jose from 'jose';
import { buildPolicy, createVerifier, type KeySource, type PolicyOptions, type VerifyOutcome } from '../../src/tokens/verify.js';
import { NOW, SECRET_BYTES, jwkOf, keyPair, publicKeyOf, rawJws, secretKey, sign, signHs } from './verify-support.js';

const rsa = keyPair('rsa');
const ec = keyPair('ec256');
const ed = keyPair('ed25519');

/** Both paths; they must agree, and the reason is returned. */
async function judge(token: string, source: KeySource, options: Omit<PolicyOptions, 'now'> = {}): Promise<VerifyOutcome> {
  const verifier = createVerifier(source, buildPolicy(source, { now: NOW, ...options }));
  const viaJose = await verifier.verifyWithJose(token);
  const viaFast = await verifier.verify(token);
  expect(viaFast).toEqual(viaJose);
  return viaJose;
}

async function reason(token: string, source: KeySource, options: Omit<PolicyOptions, 'now'> = {}): Promise<string> {
  const outcome = await judge(token, source, options);
  if (outcome.valid) throw new Error('expected an invalid token');
  return outcome.reason;
}

describe('valid tokens, every algorithm family', () => {
  it.each(['HS256', 'HS384', 'HS512'])('%s with the secret', async (alg) => {
    const outcome = await judge(await signHs({ sub: 'alice', exp: NOW + 60 }, alg), secretKey());
    expect(outcome).toMatchObject({ valid: true, claims: { sub: 'alice' }, key: 'the secret' });
  });

  it.each([
    ['RS256', rsa],
    ['RS512', rsa],
    ['PS256', rsa],
    ['PS384', rsa],
    ['ES256', ec],
    ['EdDSA', ed],
  ] as const)('%s with a public key', async (alg, pair) => {
    const outcome = await judge(await sign({ sub: 'bob' }, alg, pair.privateKey), publicKeyOf(pair.publicKey));
    expect(outcome).toMatchObject({ valid: true, claims: { sub: 'bob' }, key: 'the key in test.pem' });
  });

  it('ES384 and ES512 with their curves', async () => {
    for (const [alg, kind] of [['ES384', 'ec384'], ['ES512', 'ec521']] as const) {
      const pair = keyPair(kind);
      expect((await judge(await sign({ n: 1 }, alg, pair.privateKey), publicKeyOf(pair.publicKey))).valid).toBe(true);
    }
  });
});

describe('the error line for each jose failure', () => {
  it('ERR_JWT_EXPIRED: exp', async () => {
    expect(await reason(await signHs({ exp: NOW - 3 * 86400 }), secretKey())).toBe('expired 2025-10-31T10:00:00Z, 3 days ago');
    expect(await reason(await signHs({ exp: NOW }), secretKey())).toBe('expired 2025-11-03T10:00:00Z, just now');
    expect(await reason(await signHs({ exp: NOW - 120 }), secretKey(), { clockTolerance: 30 })).toBe('expired 2025-11-03T09:58:00Z, 2 minutes ago (beyond the 30s clock tolerance)');
    expect((await judge(await signHs({ exp: NOW - 20 }), secretKey(), { clockTolerance: 30 })).valid).toBe(true);
  });

  it('ERR_JWT_EXPIRED: iat older than --max-age', async () => {
    expect(await reason(await signHs({ iat: NOW - 7200 - 13 * 60 }), secretKey(), { maxAge: 3600 })).toBe('too old: issued 2025-11-03T07:47:00Z, 2h 13m ago, more than --max-age 1h');
  });

  it('ERR_JWT_CLAIM_VALIDATION_FAILED: nbf, iat in the future', async () => {
    expect(await reason(await signHs({ nbf: NOW + 3 * 86400 }), secretKey())).toBe('not valid before 2025-11-06T10:00:00Z, in 3 days');
    expect(await reason(await signHs({ iat: NOW + 300 }), secretKey(), { maxAge: 3600 })).toBe('issued in the future: 2025-11-03T10:05:00Z, in 5 minutes');
  });

  it('ERR_JWT_CLAIM_VALIDATION_FAILED: aud, iss, sub', async () => {
    expect(await reason(await signHs({ aud: 'web' }), secretKey(), { aud: ['api'] })).toBe("aud is 'web', expected 'api'");
    expect(await reason(await signHs({ aud: ['web', 'admin'] }), secretKey(), { aud: ['api', 'mobile'] })).toBe("aud is ['web', 'admin'], expected one of 'api', 'mobile'");
    expect(await reason(await signHs({ iss: 'https://evil.example' }), secretKey(), { iss: ['https://auth.example'] })).toBe("iss is 'https://evil.example', expected 'https://auth.example'");
    expect(await reason(await signHs({ sub: 'mallory' }), secretKey(), { sub: 'alice' })).toBe("sub is 'mallory', expected 'alice'");
    expect((await judge(await signHs({ aud: ['web', 'api'] }), secretKey(), { aud: ['api'] })).valid).toBe(true);
  });

  it('ERR_JWT_CLAIM_VALIDATION_FAILED: missing claims say which option required them', async () => {
    expect(await reason(await signHs({ sub: 'a' }), secretKey(), { aud: ['api'] })).toBe('missing "aud" claim (required by --aud)');
    expect(await reason(await signHs({ sub: 'a' }), secretKey(), { iss: ['x'], issuerFlag: '--issuer' })).toBe('missing "iss" claim (required by --issuer)');
    expect(await reason(await signHs({ sub: 'a' }), secretKey(), { maxAge: 60 })).toBe('missing "iat" claim (required by --max-age)');
    expect(await reason(await signHs({ sub: 'a' }), secretKey(), { require: ['exp', 'jti'] })).toBe('missing "jti" claim (required by --require)');
  });

  it('ERR_JWT_CLAIM_VALIDATION_FAILED: a time claim that is not a number', async () => {
    expect(await reason(await signHs({ exp: 'tomorrow' }), secretKey())).toBe(`"exp" is not a number: 'tomorrow' (a NumericDate is seconds since the epoch)`);
  });

  it('ERR_JWS_SIGNATURE_VERIFICATION_FAILED names the key', async () => {
    const other = new TextEncoder().encode('another-secret-entirely-different!!');
    expect(await reason(await sign({}, 'HS256', other), secretKey())).toBe('signature does not match the secret');
    const stranger = keyPair('rsa');
    expect(await reason(await sign({}, 'RS256', stranger.privateKey), publicKeyOf(rsa.publicKey, 'the key in pub.pem'))).toBe('signature does not match the key in pub.pem');
    // A tampered payload, the signature kept.
    const [header, , signature] = (await signHs({ admin: false })).split('.');
    const forged = `${header}.${Buffer.from('{"admin":true}').toString('base64url')}.${signature}`;
    expect(await reason(forged, secretKey())).toBe('signature does not match the secret');
  });

  it('ERR_JOSE_ALG_NOT_ALLOWED: --alg, the key, and alg none', async () => {
    expect(await reason(await signHs({}, 'HS384'), secretKey(), { alg: ['HS256'] })).toBe('alg HS384 is not allowed (allowed: HS256)');
    const confused = rawJws({ alg: 'HS256' }, {}, { alg: 'HS256', key: rsa.publicKey.export({ format: 'pem', type: 'spki' }) as unknown as Uint8Array });
    expect(await reason(confused, publicKeyOf(rsa.publicKey, 'the key in pub.pem'))).toBe('alg HS256 is not allowed (allowed: RS256, RS384, RS512, PS256, PS384, PS512, the ones the key in pub.pem can verify)');
    const unsigned = new jose.UnsecuredJWT({ sub: 'admin' }).encode();
    expect(await reason(unsigned, secretKey())).toBe('alg none (an unsigned token) is never accepted (allowed: HS256, HS384, HS512, the ones the secret can verify)');
    expect(await reason(rawJws({ alg: 'NoNe' }, { sub: 'admin' }), secretKey(), { alg: ['HS256'] })).toBe('alg NoNe (an unsigned token) is never accepted (allowed: HS256)');
  });

  it('ERR_JWS_INVALID / ERR_JWT_INVALID: malformed tokens', async () => {
    const good = await signHs({ a: 1 });
    const [header, payload, signature] = good.split('.');
    expect(await reason(`${header}.${payload}.${signature}AB`, secretKey())).toBe('malformed: the signature is not base64url');
    expect(await reason(rawJws({ alg: 'HS256' }, 'not json', { alg: 'HS256', key: SECRET_BYTES }), secretKey())).toBe('malformed: the payload is not a JSON object (a JWT claims set)');
    expect(await reason(rawJws({ alg: 'HS256' }, '[1,2]', { alg: 'HS256', key: SECRET_BYTES }), secretKey())).toBe('malformed: the payload is not a JSON object (a JWT claims set)');
    const latin1Header = `${Buffer.from([...Buffer.from('{"alg":"HS256","x":"'), 0xff, ...Buffer.from('"}')]).toString('base64url')}.${payload}.${signature}`;
    expect(await reason(latin1Header, secretKey())).toBe('malformed: the header is not a UTF-8 JSON object');
    const flat = await new jose.FlattenedSign(new TextEncoder().encode('abc')).setProtectedHeader({ alg: 'HS256', b64: false, crit: ['b64'] }).sign(SECRET_BYTES);
    const unencoded = `${flat.protected}.abc.${flat.signature}`; // jose leaves a Uint8Array payload detached
    expect(await reason(unencoded, secretKey())).toBe('malformed: an unencoded payload (b64: false) is not allowed in a JWT');
  });

  it('ERR_JOSE_NOT_SUPPORTED: an unknown crit extension', async () => {
    const token = await sign({ a: 1 }, 'HS256', SECRET_BYTES, { crit: ['exp2'], exp2: 1 }, { crit: { exp2: true } });
    expect(await reason(token, secretKey())).toBe('crit names "exp2", an extension this verifier does not understand (RFC 7515 §4.1.11: the token must be rejected)');
  });

  it('claim values from the token cannot break the line', async () => {
    const line = await reason(await signHs({ aud: 'web\n\u001b[31mred\u009b' }), secretKey(), { aud: ['api'] });
    expect(line).toBe("aud is 'web\\u000a\\u001b[31mred\\u009b', expected 'api'");
    expect(line).not.toMatch(/[\n\u001b\u009b]/);
  });
});

describe('JWKS failures', () => {
  const other = keyPair('rsa');

  async function jwks(): Promise<KeySource> {
    return { kind: 'jwks', label: 'the JWKS at test', jwks: { keys: [await jwkOf(rsa.publicKey, 'a', 'RS256'), await jwkOf(ec.publicKey, 'b')] } };
  }

  it('ERR_JWKS_NO_MATCHING_KEY: an unknown kid lists the kids', async () => {
    expect(await reason(await sign({}, 'RS256', rsa.privateKey, { kid: 'x' }), await jwks())).toBe("no key in the JWKS has kid 'x' (kids: a, b)");
  });

  it('ERR_JWKS_NO_MATCHING_KEY: a kid whose key does not fit the alg', async () => {
    expect(await reason(await sign({}, 'ES256', ec.privateKey, { kid: 'a' }), await jwks())).toBe("the JWKS key with kid 'a' cannot verify ES256 (it is RSA, alg RS256)");
  });

  it('ERR_JWKS_NO_MATCHING_KEY: no kid and no key for the alg', async () => {
    expect(await reason(await sign({}, 'EdDSA', ed.privateKey), await jwks())).toBe("no key in the JWKS can verify EdDSA, and the token has no kid (the JWKS has 2 keys: kid 'a' RSA, alg RS256; kid 'b' EC, P-256)");
  });

  it('signature mismatch names the kid', async () => {
    expect(await reason(await sign({}, 'RS256', other.privateKey, { kid: 'a' }), await jwks())).toBe("signature does not match the key with kid 'a'");
  });

  it('valid with a kid, and without one when a single key fits', async () => {
    expect(await judge(await sign({ sub: 's' }, 'RS256', rsa.privateKey, { kid: 'a' }), await jwks())).toMatchObject({ valid: true, key: "the key with kid 'a'" });
    expect(await judge(await sign({ sub: 's' }, 'ES256', ec.privateKey), await jwks())).toMatchObject({ valid: true, key: "the key with kid 'b' (the only JWKS key for ES256)" });
  });

  it('ERR_JWKS_MULTIPLE_MATCHING_KEYS: each candidate is tried, as jose documents', async () => {
    const source: KeySource = { kind: 'jwks', label: 'the JWKS at test', jwks: { keys: [await jwkOf(other.publicKey, 'k1'), await jwkOf(rsa.publicKey, 'k2')] } };
    expect((await judge(await sign({ sub: 's' }, 'RS256', rsa.privateKey), source)).valid).toBe(true);
    const stranger = keyPair('rsa');
    expect(await reason(await sign({}, 'RS256', stranger.privateKey), source)).toBe('signature does not match any of the 2 JWKS keys for RS256 (the token has no kid)');
  });

  it('an HMAC token against a JWKS', async () => {
    expect(await reason(await signHs({}), await jwks())).toBe(
      'alg HS256 is not allowed (allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519, the ones the JWKS at test can verify)',
    );
  });

  it('an RSA key under 2048 bits in the JWKS', async () => {
    const small = keyPair('rsa1024');
    const source: KeySource = { kind: 'jwks', label: 'the JWKS at test', jwks: { keys: [await jwkOf(small.publicKey, 'small')] } };
    const token = rawJws({ alg: 'RS256', kid: 'small' }, { sub: 'x' }, { alg: 'RS256', key: small.privateKey });
    expect(await reason(token, source)).toBe("the key with kid 'small' is an RSA key under 2048 bits, which RS256 must not use (RFC 7518 §3.3)");
  });
});

describe('segments that are no base64url at all', () => {
  it('name the part, whichever it is', async () => {
    const [header, payload, signature] = (await signHs({ a: 1 })).split('.');
    const pad = (segment: string) => {
      let text = segment;
      while (text.length % 4 !== 1) text += 'x';
      return text;
    };
    expect(await reason(`${pad(header)}.${payload}.${signature}`, secretKey())).toBe('malformed: the header is not base64url');
    expect(await reason(`${header}.${pad(payload)}.${signature}`, secretKey())).toBe('malformed: the payload is not base64url');
    expect(await reason(`${header}.${payload}.${pad(signature)}`, secretKey())).toBe('malformed: the signature is not base64url');
  });
});
