// `token decode` as a library call: JWS and JWE (dir A256GCM, A256KW, RSA-OAEP-256, ECDH-ES, PBES2,
// nested), made with jose; the times; the signature never printed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { runTokenDecode, type TokenDecodeOptions } from '../../src/commands/token-decode.js';
import { NOW, NOW_ISO, signHs } from './verify-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
};

async function decode(token: string, options: Partial<TokenDecodeOptions> = {}): Promise<{ json: Record<string, any>; stderr: string[] }> {
  let out = '';
  const stderr: string[] = [];
  await runTokenDecode({ token, format: 'json', now: NOW_ISO, write: async (text) => void (out += text), stderr: (line) => void stderr.push(line), ...options });
  return { json: JSON.parse(out), stderr };
}

async function text(token: string, options: Partial<TokenDecodeOptions> = {}): Promise<string> {
  let out = '';
  await runTokenDecode({ token, format: 'text', now: NOW_ISO, write: async (chunk) => void (out += chunk), stderr: () => {}, ...options });
  return out;
}

/** base64url characters, but 4n+1 of them: no byte string encodes that way. */
function notBase64url(segment: string): string {
  let text = segment;
  while (text.length % 4 !== 1) text += 'x';
  return text;
}

const CLAIMS = { sub: 'alice', email: 'alice@example.com', iat: NOW - 300, exp: NOW + 2 * 3600 + 13 * 60, nbf: NOW - 300, auth_time: NOW - 3 * 86400 };

describe('JWS', () => {
  it('json: form, header, payload, times, signature length only', async () => {
    const token = await signHs(CLAIMS, 'HS256', { typ: 'JWT', kid: 'k1' });
    const { json } = await decode(token);
    expect(json).toEqual({
      source: 'argument',
      form: 'jws',
      header: { alg: 'HS256', typ: 'JWT', kid: 'k1' },
      payload: CLAIMS,
      times: {
        iat: { value: NOW - 300, iso: '2025-11-03T09:55:00Z', relative: 'issued 5 minutes ago' },
        nbf: { value: NOW - 300, iso: '2025-11-03T09:55:00Z', relative: 'valid since 5 minutes ago' },
        exp: { value: NOW + 7980, iso: '2025-11-03T12:13:00Z', relative: 'expires in 2h 13m' },
        auth_time: { value: NOW - 3 * 86400, iso: '2025-10-31T10:00:00Z', relative: 'authenticated 3 days ago' },
      },
      signature: { bytes: 32 },
      now: '2025-11-03T10:00:00Z',
    });
    expect(JSON.stringify(json)).not.toContain(token.split('.')[2]);
  });

  it('text: indented JSON, times, no colour when not asked, no signature', async () => {
    const token = await signHs({ sub: 'bob', exp: NOW - 3 * 86400 });
    const out = await text(token);
    expect(out).toBe(
      [
        'JWS  alg HS256  signature 32 bytes  (not verified: use token verify)',
        'Header',
        '  {',
        '    "alg": "HS256"',
        '  }',
        'Payload',
        '  {',
        '    "sub": "bob",',
        `    "exp": ${NOW - 3 * 86400}`,
        '  }',
        'Times (now 2025-11-03T10:00:00Z)',
        '  exp        2025-10-31T10:00:00Z  expired 3 days ago',
        '',
      ].join('\n'),
    );
    expect(out).not.toContain(token.split('.')[2]);
    expect(await text(token, { color: true })).toContain('\u001b[');
  });

  it('notes duplicate keys and escapes control characters from the token', async () => {
    const enc = (s: string) => Buffer.from(s).toString('base64url');
    const token = `${enc('{"alg":"HS256"}')}.${enc('{"sub":"a","sub":"b\\u001b[2J\\u009b"}')}.c2ln`;
    const out = await text(token);
    expect(out).toContain('duplicate key payload.sub');
    expect(out).not.toMatch(/[\u001b\u009b]/);
    expect(out).toContain('\\u001b[2J\\u009b');
  });

  it('says how many more tokens the input held', async () => {
    const a = await signHs({ n: 1 });
    const b = await signHs({ n: 2 });
    const { json, stderr } = await decode(`${a} and ${b}`);
    expect(json.payload).toEqual({ n: 1 });
    expect(stderr).toEqual(['note: the input holds 1 more token; decoding the first (use --batch to decode one per line)']);
  });

  it('a token that is not base64url is an input error naming the part', async () => {
    const token = await signHs({ n: 1 });
    const [header, payload] = token.split('.');
    await expect(decode(`${header}.${notBase64url(payload)}.sig`)).rejects.toThrow(new InputError('argument: the payload is not base64url'));
  });
});

describe('JWE', () => {
  const payload = { sub: 'carol', exp: NOW + 60 };

  async function encrypt(alg: string, enc: string, key: jose.KeyObject | Uint8Array): Promise<string> {
    return new jose.EncryptJWT(payload).setProtectedHeader({ alg, enc }).encrypt(key);
  }

  it('without a key: the protected header, payload null', async () => {
    const token = await encrypt('dir', 'A256GCM', randomBytes(32));
    const { json } = await decode(token);
    expect(json).toMatchObject({ form: 'jwe', header: { alg: 'dir', enc: 'A256GCM' }, payload: null, times: {}, encryption: { decrypted: false } });
    expect(json.signature).toBeUndefined();
    expect(await text(token)).toContain('encrypted: give --key, --secret or --secret-file to decrypt it');
  });

  it('dir + A256GCM with a 32-byte key file and an oct JWK', async () => {
    let key = randomBytes(32);
    while (key[31] === 0x0a) key = randomBytes(32);
    const token = await encrypt('dir', 'A256GCM', key);
    expect((await decode(token, { secretFile: file('cek.bin', key) })).json).toMatchObject({ payload, encryption: { decrypted: true, key: 'the secret', plaintextBytes: 32 } });
    const jwk = file('cek.jwk', JSON.stringify({ kty: 'oct', k: key.toString('base64url') }));
    expect((await decode(token, { key: jwk })).json).toMatchObject({ payload, times: { exp: { relative: 'expires in 1 minute' } } });
  });

  it('A256KW with --secret', async () => {
    const secret = 'k'.repeat(32);
    const token = await encrypt('A256KW', 'A128CBC-HS256', new TextEncoder().encode(secret));
    expect((await decode(token, { secret })).json.payload).toEqual(payload);
  });

  it('RSA-OAEP-256 with a PKCS#8 PEM, ECDH-ES with a private JWK', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaToken = await encrypt('RSA-OAEP-256', 'A256GCM', rsa.publicKey as unknown as jose.KeyObject);
    const pem = file('rsa.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect((await decode(rsaToken, { key: pem })).json).toMatchObject({ header: { alg: 'RSA-OAEP-256' }, payload });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecToken = await encrypt('ECDH-ES', 'A256GCM', ec.publicKey as unknown as jose.KeyObject);
    const jwk = file('ec.jwk', JSON.stringify(await jose.exportJWK(ec.privateKey)));
    expect((await decode(ecToken, { key: jwk })).json.payload).toEqual(payload);
  });

  it('PBES2 with a password', async () => {
    const token = await new jose.EncryptJWT(payload).setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' }).encrypt(new TextEncoder().encode('correct horse'));
    expect((await decode(token, { secret: 'correct horse' })).json.payload).toEqual(payload);
  });

  it('a nested JWT (signed, then encrypted) is decoded inside', async () => {
    const inner = await signHs({ sub: 'dave', exp: NOW + 600 });
    const key = randomBytes(32);
    const token = await new jose.CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(key);
    const { json } = await decode(token, { key: file('n.jwk', JSON.stringify({ kty: 'oct', k: key.toString('base64url') })) });
    expect(json.payload).toBeNull();
    expect(json.nested).toMatchObject({ form: 'jws', header: { alg: 'HS256' }, payload: { sub: 'dave' }, signature: { bytes: 32 } });
  });

  it('a key that does not decrypt is an input error, in one line', async () => {
    const token = await encrypt('dir', 'A256GCM', randomBytes(32));
    await expect(decode(token, { secretFile: file('wrong.bin', Buffer.alloc(32, 1)) })).rejects.toThrow(
      new InputError('argument: cannot decrypt with the secret: decryption failed (wrong key, or the token was altered)'),
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(decode(token, { key: file('other.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) })).rejects.toThrow(/^argument: cannot decrypt with the key in .*other\.pem: /);
  });
});

describe('--batch', () => {
  it('JSON lines per token, errors per line, a final summary line', async () => {
    const good = await signHs({ sub: 'a' });
    const [header, payload] = good.split('.');
    const input = file('batch.txt', [good, '', '# a comment', 'hello world', `Bearer ${good}`, `${header}.${notBase64url(payload)}.sig`].join('\n'));
    let out = '';
    const result = await runTokenDecode({ batch: input, format: 'json', now: NOW_ISO, write: async (t) => void (out += t), stderr: () => {} });
    const lines = out.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.source ?? 'summary')).toEqual([`${input}:1`, `${input}:4`, `${input}:5`, `${input}:6`, 'summary']);
    expect(lines[0]).toMatchObject({ form: 'jws', payload: { sub: 'a' }, signature: { bytes: 32 } });
    expect(lines[1]).toEqual({ source: `${input}:4`, error: 'no JWT found on this line' });
    expect(lines[3]).toEqual({ source: `${input}:6`, error: 'the payload is not base64url' });
    expect(lines[4]).toEqual({ summary: { lines: 6, tokens: 3, decoded: 2, errors: 1, noToken: 1 } });
    expect(result.exitCode).toBe(1);
  });
});
