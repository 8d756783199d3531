// JWKS from files and URLs, and OIDC discovery, against a node:http server on 127.0.0.1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { checkJwks, discoverJwks, discoveryUrl, loadJwks } from '../../src/tokens/jwks.js';
import { buildPolicy, createVerifier } from '../../src/tokens/verify.js';
import { NOW, jwkOf, keyPair, serveJson, sign, type JsonServer } from './verify-support.js';

const rsa = keyPair('rsa');
let jwks: { keys: Record<string, unknown>[] };
let server: JsonServer;
const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-jwks-'));

beforeAll(async () => {
  jwks = { keys: [await jwkOf(rsa.publicKey, 'main', 'RS256')] };
  server = await serveJson((base) => ({
    '/jwks.json': jwks,
    '/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/jwks.json` },
    '/tenant/.well-known/openid-configuration': { issuer: 'https://impostor.example', jwks_uri: `${base}/jwks.json` },
    '/slash/.well-known/openid-configuration': { issuer: `${base}/slash/`, jwks_uri: `${base}/jwks.json` },
    '/nojwks/.well-known/openid-configuration': { issuer: `${base}/nojwks` },
    '/moved.json': (_: unknown, response: import('node:http').ServerResponse) => response.writeHead(302, { location: `${base}/jwks.json` }).end(),
    '/html': (_: unknown, response: import('node:http').ServerResponse) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
    '/private.json': { keys: [{ kty: 'RSA', kid: 'oops', n: 'x', e: 'AQAB', d: 'secret' }] },
    '/oct.json': { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
    '/empty.json': { keys: [] },
    '/notset.json': { hello: 'world' },
    '/hang.json': () => {
      // never answers
    },
  }));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('--jwks', () => {
  it('fetches a JWKS URL once and verifies with it', async () => {
    const loaded = await loadJwks(`${server.url}/jwks.json`);
    expect(loaded.source).toBe(`${server.url}/jwks.json`);
    const source = { kind: 'jwks' as const, jwks: loaded.jwks, label: `the JWKS at ${loaded.source}` };
    const verifier = createVerifier(source, buildPolicy(source, { now: NOW }));
    expect(await verifier.verify(await sign({ sub: 'a' }, 'RS256', rsa.privateKey, { kid: 'main' }))).toMatchObject({ valid: true, key: "the key with kid 'main'" });
  });

  it('reads a JWKS file', async () => {
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(jwks));
    expect((await loadJwks(file)).jwks.keys).toHaveLength(1);
    await expect(loadJwks(path.join(dir, 'nope.json'))).rejects.toThrow(`--jwks ${path.join(dir, 'nope.json')}: no such file`);
  });

  it('one clear error for every bad answer', async () => {
    const url = (p: string) => `${server.url}${p}`;
    await expect(loadJwks(url('/missing.json'))).rejects.toThrow(`--jwks ${url('/missing.json')}: HTTP 404 Not Found (expected 200)`);
    await expect(loadJwks(url('/moved.json'))).rejects.toThrow(`--jwks ${url('/moved.json')}: HTTP 302 redirect to ${url('/jwks.json')} (redirects are not followed: give the final URL)`);
    await expect(loadJwks(url('/html'))).rejects.toThrow(`--jwks ${url('/html')}: the response is not JSON`);
    await expect(loadJwks(url('/private.json'))).rejects.toThrow(`--jwks ${url('/private.json')}: kid 'oops' is a PRIVATE key: a JWKS must publish public keys only`);
    await expect(loadJwks(url('/oct.json'))).rejects.toThrow(/key 1 is a secret \("oct"\) key/);
    await expect(loadJwks(url('/empty.json'))).rejects.toThrow(/the JWKS has no keys/);
    await expect(loadJwks(url('/notset.json'))).rejects.toThrow(/not a JWKS \(expected a JSON object with a "keys" array\)/);
    await expect(loadJwks('ftp://example.com/jwks')).rejects.toThrow(UsageError);
  });

  it('an unreachable URL fails fast: refused, or no answer within the timeout', async () => {
    const port = await closedPort();
    await expect(loadJwks(`http://127.0.0.1:${port}/jwks.json`)).rejects.toThrow(`--jwks http://127.0.0.1:${port}/jwks.json: cannot connect: ECONNREFUSED`);
    const started = Date.now();
    await expect(loadJwks(`${server.url}/hang.json`, 300)).rejects.toThrow(`--jwks ${server.url}/hang.json: no answer within 0.3 s`);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('--issuer (OIDC discovery)', () => {
  it('follows jwks_uri when the document names the same issuer', async () => {
    expect(discoveryUrl('https://a.example/')).toBe('https://a.example/.well-known/openid-configuration');
    const loaded = await discoverJwks(server.url);
    expect(loaded).toMatchObject({ issuer: server.url, source: `${server.url}/jwks.json` });
    expect(server.hits).toContain('/.well-known/openid-configuration');
  });

  it('refuses a document that names another issuer', async () => {
    await expect(discoverJwks(`${server.url}/tenant`)).rejects.toThrow(InputError);
    await expect(discoverJwks(`${server.url}/tenant`)).rejects.toThrow(`--issuer ${server.url}/tenant: the discovery document names issuer 'https://impostor.example', not '${server.url}/tenant'`);
    await expect(discoverJwks(`${server.url}/slash`)).rejects.toThrow(`(give --issuer exactly as the provider writes it: ${server.url}/slash/)`);
  });

  it('refuses a document without jwks_uri, and a missing one', async () => {
    await expect(discoverJwks(`${server.url}/nojwks`)).rejects.toThrow(/has no http\(s\) "jwks_uri"/);
    await expect(discoverJwks(`${server.url}/nothing`)).rejects.toThrow(/HTTP 404/);
    await expect(discoverJwks('auth.example.com')).rejects.toThrow('--issuer auth.example.com: not an http(s) URL');
  });
});

it('checkJwks accepts a plain key set', () => {
  expect(checkJwks({ keys: [{ kty: 'EC' }] }, 'x').keys).toHaveLength(1);
  expect(() => checkJwks({ keys: [1] }, 'x')).toThrow(/"keys" must hold JSON objects/);
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
