// The node:crypto fast path gives exactly jose's results: valid or not, the same claims, the same
// one-line reason. Real tokens signed with jose, generated claims and policies (fast-check), and
// mutations an attacker would try; jose itself is the oracle, never mocked.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPolicy, createVerifier, type KeySource, type PolicyOptions } from '../../src/tokens/verify.js';
import { NOW, SECRET_BYTES, keyPair, publicKeyOf, secretKey, sign } from './verify-support.js';

const rsa = keyPair('rsa');
const ec = keyPair('ec256');
const ed = keyPair('ed25519');

const SIGNERS = [
  { alg: 'HS256', key: SECRET_BYTES, source: secretKey() },
  { alg: 'HS384', key: SECRET_BYTES, source: secretKey() },
  { alg: 'HS512', key: SECRET_BYTES, source: secretKey() },
  { alg: 'RS256', key: rsa.privateKey, source: publicKeyOf(rsa.publicKey) },
  { alg: 'PS256', key: rsa.privateKey, source: publicKeyOf(rsa.publicKey) },
  { alg: 'RS384', key: rsa.privateKey, source: publicKeyOf(rsa.publicKey) },
  { alg: 'ES256', key: ec.privateKey, source: publicKeyOf(ec.publicKey) },
  { alg: 'EdDSA', key: ed.privateKey, source: publicKeyOf(ed.publicKey) },
] as const;

/** Compare the fast path (when it decides) and verify() with jose's own result. */
async function expectSame(token: string, source: KeySource, options: Omit<PolicyOptions, 'now'>, now = NOW): Promise<{ decidedFast: boolean }> {
  const verifier = createVerifier(source, buildPolicy(source, { now, ...options }));
  const oracle = await verifier.verifyWithJose(token);
  const fast = verifier.verifyFast(token);
  if (fast) expect(fast).toEqual(oracle);
  expect(await verifier.verify(token)).toEqual(oracle);
  return { decidedFast: fast !== undefined };
}

const time = fc.oneof(fc.integer({ min: NOW - 200_000, max: NOW + 200_000 }), fc.constantFrom(NOW, NOW - 1, NOW + 1, 0, -1, 1e12), fc.constantFrom('1', null, true, [NOW]));
const name = fc.constantFrom('api', 'web', 'admin', 'https://auth.example', '');
const claimsArb = fc.record(
  {
    iss: fc.oneof(name, fc.constant(1)),
    sub: fc.oneof(name, fc.constant(null)),
    aud: fc.oneof(name, fc.array(name, { maxLength: 3 }), fc.constant(42), fc.constant([1, 'api'])),
    exp: time,
    nbf: time,
    iat: time,
    jti: fc.string({ maxLength: 8 }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const policyArb = fc.record(
  {
    iss: fc.array(name, { minLength: 1, maxLength: 2 }),
    aud: fc.array(name, { minLength: 1, maxLength: 2 }),
    sub: name,
    maxAge: fc.integer({ min: 1, max: 100_000 }),
    clockTolerance: fc.constantFrom(0, 1, 30, 3600),
    require: fc.subarray(['exp', 'iat', 'jti', 'nbf', 'sub', 'scope']),
  },
  { requiredKeys: [] },
);

describe('fast path == jose', () => {
  it('on generated claims and policies, every algorithm', async () => {
    let fastDecided = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SIGNERS), claimsArb, policyArb, async (signer, claims, policy) => {
        const token = await sign(claims as Record<string, unknown>, signer.alg, signer.key);
        if ((await expectSame(token, signer.source, policy)).decidedFast) fastDecided++;
      }),
      { numRuns: 400 },
    );
    // The fast path must actually be the one deciding plain tokens, or this test proves nothing.
    expect(fastDecided).toBe(400);
  });

  type Mutation = (token: string) => string;
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const part = (token: string, index: number) => token.split('.')[index];
  const MUTATIONS: Record<string, Mutation> = {
    'flip a payload character': (t) => t.replace(/\.(.)/, (_, c: string) => `.${c === 'e' ? 'f' : 'e'}`),
    'flip a signature character': (t) => t.slice(0, -3) + (t.at(-3) === 'A' ? 'B' : 'A') + t.slice(-2),
    'drop the signature': (t) => t.slice(0, t.lastIndexOf('.') + 1),
    'truncate the signature by 1': (t) => t.slice(0, -1),
    'truncate the signature by 4': (t) => t.slice(0, -4),
    'alg swapped for another of the family': (t) => {
      const header = JSON.parse(Buffer.from(part(t, 0), 'base64url').toString());
      header.alg = { HS256: 'HS384', HS384: 'HS512', HS512: 'HS256', RS256: 'PS256', PS256: 'RS256', RS384: 'RS256', ES256: 'ES384', EdDSA: 'Ed25519' }[header.alg as string] ?? 'none';
      return [b64(JSON.stringify(header)), part(t, 1), part(t, 2)].join('.');
    },
    'alg none, signature dropped': (t) => `${b64('{"alg":"none"}')}.${part(t, 1)}.`,
    'alg HS256 signed with the public key text': (t) => {
      const input = `${b64('{"alg":"HS256"}')}.${part(t, 1)}`;
      const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
      return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    },
    'a crit header': (t) => [b64('{"alg":"HS256","crit":["x"],"x":1}'), part(t, 1), part(t, 2)].join('.'),
    'a b64 header': (t) => [b64('{"alg":"HS256","b64":true}'), part(t, 1), part(t, 2)].join('.'),
    'non-canonical signature ending': (t) => {
      const s = part(t, 2);
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const i = last.indexOf(s.at(-1)!);
      return `${t.slice(0, -1)}${last[(i + 1) % 64]}`;
    },
    'header not JSON': (t) => [b64('alg:HS256'), part(t, 1), part(t, 2)].join('.'),
    'header an array': (t) => [b64('["alg"]'), part(t, 1), part(t, 2)].join('.'),
    'header alg empty': (t) => [b64('{"alg":""}'), part(t, 1), part(t, 2)].join('.'),
    'header alg a number': (t) => [b64('{"alg":256}'), part(t, 1), part(t, 2)].join('.'),
    'four segments': (t) => `${t}.x`,
    'a stray character': (t) => t.replace('.', '.*'),
  };

  it.each(Object.keys(MUTATIONS))('on tokens mutated: %s', async (mutation) => {
    for (const signer of SIGNERS) {
      const token = await sign({ sub: 'alice', aud: 'api', exp: NOW + 60, iat: NOW - 60 }, signer.alg, signer.key);
      await expectSame(MUTATIONS[mutation](token), signer.source, { aud: ['api'] });
      await expectSame(MUTATIONS[mutation](token), signer.source, { alg: signer.source.algorithms.slice(0, 1) });
    }
  });

  /** An HS256 token over exact payload bytes (shapes jose's SignJWT would not write). */
  function hsOver(payload: Buffer): string {
    const input = `${b64('{"alg":"HS256"}')}.${payload.toString('base64url')}`;
    return `${input}.${createHmac('sha256', SECRET_BYTES).update(input).digest('base64url')}`;
  }

  it.each([
    ['an exp of 1e400 (Infinity)', '{"exp":1e400}'],
    ['an nbf of -0', '{"nbf":-0}'],
    ['a UTF-8 BOM before the JSON', '\uFEFF{"sub":"a"}'],
    ['a __proto__ key', '{"__proto__":{"admin":true},"sub":"a"}'],
    ['duplicate keys (the last wins in both)', '{"sub":"a","sub":"b"}'],
    ['aud with a non-string member', '{"aud":[1,"api"]}'],
    ['exp as a string', '{"exp":"2000000000"}'],
    ['null', 'null'],
    ['a JSON string', '"claims"'],
    ['an empty payload', ''],
    ['whitespace around', '  {"sub":"a"}  '],
  ])('on payload shapes: %s', async (_, text) => {
    for (const options of [{}, { aud: ['api'] }, { require: ['sub'], maxAge: 10 }]) await expectSame(hsOver(Buffer.from(text)), secretKey(), options);
  });

  it('on a payload that is not UTF-8', async () => {
    await expectSame(hsOver(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), secretKey(), {});
  });

  it('at boundaries of exp, nbf, iat and the tolerance', async () => {
    for (const delta of [-2, -1, 0, 1, 2]) {
      for (const tolerance of [0, 1]) {
        const token = await sign({ exp: NOW + delta, nbf: NOW + delta, iat: NOW + delta }, 'HS256', SECRET_BYTES);
        await expectSame(token, secretKey(), { clockTolerance: tolerance, maxAge: 1 });
        await expectSame(token, secretKey(), { clockTolerance: tolerance });
      }
    }
  });
});
