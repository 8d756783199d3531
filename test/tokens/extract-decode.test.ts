// Finding JWTs in what people paste, and decoding them strictly, with tokens made by jose.
import { CompactEncrypt, SignJWT, generateSecret } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { decodeToken } from '../../src/tokens/decode.js';
import { findTokens } from '../../src/tokens/extract.js';

let jws: string;
let jwe: string;
const secret = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');

beforeAll(async () => {
  jws = await new SignJWT({ sub: 'u1', name: 'Ada' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(1_764_201_600).sign(secret);
  const key = await generateSecret('A256GCM');
  jwe = await new CompactEncrypt(new TextEncoder().encode('{"sub":"u1"}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);
});

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('findTokens', () => {
  it('finds the token in every shape people paste', () => {
    for (const pasted of [
      jws,
      `Bearer ${jws}`,
      `Authorization: Bearer ${jws}`,
      `Cookie: theme=dark; session=${jws}; lang=en`,
      `https://app.example.com/callback?state=xyz&id_token=${jws}#frag`,
      JSON.stringify({ level: 'info', token: jws, msg: 'login' }),
    ]) {
      expect(findTokens(pasted), pasted).toEqual([jws]);
    }
  });

  it('finds a JWE (five parts, empty encrypted key for dir) and a header that does not start with eyJ', () => {
    expect(findTokens(`x-token: ${jwe}`)).toEqual([jwe]);
    const spaced = `${b64('{ "alg": "HS256" }')}.${b64('{"sub":"x"}')}.c2ln`;
    expect(spaced.startsWith('eyJ')).toBe(false);
    expect(findTokens(spaced)).toEqual([spaced]);
  });

  it('ignores host names, versions and dotted words that are not JOSE headers', () => {
    expect(findTokens('GET https://api.example.com/v1.2.3/users?x=a.b.c version 10.0.19045')).toEqual([]);
    expect(findTokens(`${b64('{"typ":"JWT"}')}.${b64('{}')}.sig`)).toEqual([]); // no alg
  });
});

describe('decodeToken', () => {
  const context = { source: 'argument', now: 1_764_201_700 };

  it('decodes a JWS without printing or keeping anything but the signature bytes', () => {
    const token = decodeToken(jws, context);
    expect(token).toMatchObject({ form: 'jws', header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: 'u1', name: 'Ada', iat: 1_764_201_600 } });
    expect(token.signature).toHaveLength(32);
    expect(token.encoding).toEqual({ nonCanonical: [], duplicateKeys: [] });
  });

  it('keeps a JWE payload closed', () => {
    expect(decodeToken(jwe, context)).toMatchObject({ form: 'jwe', header: { alg: 'dir', enc: 'A256GCM' }, payload: null });
  });

  it('notices duplicate keys and non-canonical base64url', () => {
    const duplicated = `${b64('{"alg":"HS256","alg":"none"}')}.${b64('{"sub":"a","sub":"b"}')}.${jws.split('.')[2]}`;
    expect(decodeToken(duplicated, context).encoding.duplicateKeys).toEqual(['header.alg', 'payload.sub']);
    // 32 signature bytes take 43 characters, whose last 2 bits are unused: setting one gives another
    // string for the same bytes, which only a strict decoder notices.
    const [header, payload, signature] = jws.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const altered = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1];
    expect(Buffer.from(altered, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(decodeToken(`${header}.${payload}.${altered}`, context).encoding.nonCanonical).toEqual(['signature']);
  });

  it('says which part is wrong, in one line', () => {
    const bad = (raw: string) => {
      try {
        decodeToken(raw, context);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad('a.b')).toBe('argument: not a JWT: 2 dot-separated parts (a JWS has 3, a JWE 5)');
    expect(bad(`${jws.split('.')[0]}.pay+load.sig`)).toBe('argument: the payload is not base64url');
    expect(bad(`${b64('[1]')}.${b64('{}')}.sig`)).toBe('argument: the header is not a JSON object');
    expect(bad(`${b64('{"typ":"JWT"}')}.${b64('{}')}.sig`)).toBe('argument: the header has no "alg"');
  });
});

describe('a token pasted in standard base64', () => {
  it('is kept whole, so decoding says it is not base64url instead of cutting it short', () => {
    const [header, payload] = jws.split('.');
    const standard = `${header}.${payload}.ab+cd/ef==`;
    expect(findTokens(`Bearer ${standard}`)).toEqual([standard]);
    expect(() => decodeToken(standard, { source: 'argument', now: 0 })).toThrow('argument: the signature is not base64url');
  });
});

describe('a token in a URL path', () => {
  it('ends at the path separator', () => {
    expect(findTokens(`https://app.example.com/verify/${jws}/confirm`)).toEqual([jws]);
  });
});
