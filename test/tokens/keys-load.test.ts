// Key loading for verify (public keys, secrets, JWK/JWKS) and decode (JWE decryption keys).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadDecryptKey, loadDecryptKeyFile, loadSecret, loadVerifyKeyFile, stripTextNewline } from '../../src/tokens/keys.js';
import { repoRoot } from '../support/parse.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
};
const fixture = (name: string) => path.join(repoRoot, 'fixtures/tokens', name);

describe('--key for verify', () => {
  it('reads an SPKI public key, an X.509 certificate and a PKCS#8 private key (its public part)', () => {
    for (const name of ['rsa-cert-public.pem', 'rsa-cert.pem', 'rsa-cert-key.pem']) {
      const key = loadVerifyKeyFile(fixture(name));
      expect(key).toMatchObject({ kind: 'public', description: 'RSA 2048-bit', algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] });
      if (key.kind === 'public') expect(key.key.type).toBe('public');
    }
  });

  it('PKCS#1 and SEC1 PEM, and EC / Ed25519 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(loadVerifyKeyFile(file('pkcs1.pem', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string))).toMatchObject({ kind: 'public', description: 'RSA 2048-bit' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(loadVerifyKeyFile(file('sec1.pem', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string))).toMatchObject({ description: 'EC P-384', algorithms: ['ES384'] });
    const ed = generateKeyPairSync('ed25519');
    expect(loadVerifyKeyFile(file('ed.pem', ed.publicKey.export({ type: 'spki', format: 'pem' }) as string))).toMatchObject({ description: 'Ed25519', algorithms: ['EdDSA', 'Ed25519'] });
  });

  it('a JWK (public, private -> public, oct), narrowed by its alg', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = { ...(await jose.exportJWK(ec.publicKey)), kid: 'k1' };
    expect(loadVerifyKeyFile(file('pub.jwk', JSON.stringify(publicJwk)))).toMatchObject({ kind: 'public', label: "the key with kid 'k1'", algorithms: ['ES256'], kid: 'k1' });
    const privateJwk = await jose.exportJWK(ec.privateKey);
    const loaded = loadVerifyKeyFile(file('priv.jwk', JSON.stringify(privateJwk)));
    expect(loaded.kind === 'public' && loaded.key.type).toBe('public');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(loadVerifyKeyFile(file('rsa.jwk', JSON.stringify({ ...(await jose.exportJWK(rsa.publicKey)), alg: 'PS256' })))).toMatchObject({ algorithms: ['PS256'] });
    expect(loadVerifyKeyFile(file('oct.jwk', JSON.stringify({ kty: 'oct', k: Buffer.from('s3cr3t').toString('base64url') })))).toMatchObject({ kind: 'secret', algorithms: ['HS256', 'HS384', 'HS512'] });
  });

  it('a JWKS file', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const loaded = loadVerifyKeyFile(file('set.json', JSON.stringify({ keys: [await jose.exportJWK(ec.publicKey)] })));
    expect(loaded).toMatchObject({ kind: 'jwks', label: `the JWKS in ${path.join(dir, 'set.json')}` });
  });

  it('refuses unusable keys with one clear line', async () => {
    const where = (name: string) => `--key ${path.join(dir, name)}`;
    expect(() => loadVerifyKeyFile(path.join(dir, 'missing.pem'))).toThrow(`${where('missing.pem')}: no such file`);
    expect(() => loadVerifyKeyFile(file('junk.pem', 'hello'))).toThrow(`${where('junk.pem')}: not a PEM key or certificate, a JWK or a JWKS`);
    expect(() => loadVerifyKeyFile(file('bad.pem', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'))).toThrow(/cannot read the PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect(() => loadVerifyKeyFile(file('enc.pem', encrypted))).toThrow(`${where('enc.pem')}: an encrypted private key; give the public key instead (openssl pkey -in key.pem -pubout)`);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => loadVerifyKeyFile(file('small.pem', small.publicKey.export({ type: 'spki', format: 'pem' }) as string))).toThrow(
      `${where('small.pem')}: a 1024-bit RSA key; RS*/PS* need 2048 bits or more (RFC 7518 §3.3), and jose refuses smaller keys`,
    );
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    expect(() => loadVerifyKeyFile(file('k1.pem', k1.publicKey.export({ type: 'spki', format: 'pem' }) as string))).toThrow(/curve secp256k1, which no JWS algorithm uses here/);
    const x = generateKeyPairSync('x25519');
    expect(() => loadVerifyKeyFile(file('x.pem', x.publicKey.export({ type: 'spki', format: 'pem' }) as string))).toThrow(/a x25519 key cannot verify JWS signatures/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecJwk = await jose.exportJWK(ec.publicKey);
    expect(() => loadVerifyKeyFile(file('enc.jwk', JSON.stringify({ ...ecJwk, use: 'enc' })))).toThrow(/"use": "enc", not "sig"/);
    expect(() => loadVerifyKeyFile(file('alg.jwk', JSON.stringify({ ...ecJwk, alg: 'RS256' })))).toThrow(/"alg": "RS256", which does not fit its key \(it can do ES256\)/);
    expect(() => loadVerifyKeyFile(file('nokty.json', '{"n":"x"}'))).toThrow(/without "kty" or "keys"/);
    expect(() => loadVerifyKeyFile(file('broken.json', '{"kty":'))).toThrow(/not valid JSON/);
  });
});

describe('secrets', () => {
  it('--secret is UTF-8 text; --secret-file drops a text file\'s final newline only', () => {
    expect(Buffer.from(loadSecret({ secret: 'pässword' })!).toString()).toBe('pässword');
    expect(Buffer.from(loadSecret({ secretFile: file('s.txt', 'my secret\n') })!).toString()).toBe('my secret');
    expect(Buffer.from(loadSecret({ secretFile: file('crlf.txt', 'my secret\r\n') })!).toString()).toBe('my secret');
    expect(Buffer.from(loadSecret({ secretFile: file('two.txt', 'my secret\n\n') })!).toString()).toBe('my secret\n');
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x0a]);
    expect(Buffer.from(loadSecret({ secretFile: file('bin.key', binary) })!)).toEqual(binary);
    expect(stripTextNewline(Buffer.from('abc'))).toEqual(Buffer.from('abc'));
    expect(loadSecret({})).toBeUndefined();
  });

  it('refuses empty secrets', () => {
    expect(() => loadSecret({ secret: '' })).toThrow(UsageError);
    expect(() => loadSecret({ secretFile: file('empty.txt', '\n') })).toThrow(/the file is empty/);
  });
});

describe('decryption keys (decode of a JWE)', () => {
  it('a private PEM, a private JWK, an oct JWK, a secret', async () => {
    expect(loadDecryptKeyFile(fixture('rsa-cert-key.pem'))).toMatchObject({ kind: 'private' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(loadDecryptKeyFile(file('d.jwk', JSON.stringify(await jose.exportJWK(ec.privateKey))))).toMatchObject({ kind: 'private' });
    expect(loadDecryptKeyFile(file('o.jwk', JSON.stringify({ kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') })))).toMatchObject({ kind: 'secret' });
    expect(loadDecryptKey({ secret: 'pw' })).toMatchObject({ kind: 'secret', label: 'the secret' });
    expect(loadDecryptKey({})).toBeUndefined();
  });

  it('refuses public keys and more than one source', async () => {
    expect(() => loadDecryptKeyFile(fixture('rsa-cert.pem'))).toThrow(/a public key or certificate cannot decrypt; give the private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = await jose.exportJWK(ec.publicKey);
    expect(() => loadDecryptKeyFile(file('p.jwk', JSON.stringify(publicJwk)))).toThrow(/a public JWK cannot decrypt/);
    expect(() => loadDecryptKey({ key: 'x', secret: 'y' })).toThrow('give one of --key, --secret, --secret-file');
  });
});
