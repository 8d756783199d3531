/**
 * Shared by the token decode/verify tests: keys, tokens signed with jose, and a JSON server on
 * 127.0.0.1 (a JWKS, an OIDC discovery document) on a free port.
 */
import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import { describePublicKey, secretVerifyKey, type VerifyKey } from '../../src/tokens/keys.js';

/** 2025-11-03T10:00:00Z: every test judges tokens at this --now. */
export const NOW = 1_762_164_000;
export const NOW_ISO = '2025-11-03T10:00:00Z';
export const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
export const SECRET_BYTES = new TextEncoder().encode(SECRET);

export type KeyKind = 'rsa' | 'ec256' | 'ec384' | 'ec521' | 'ed25519' | 'rsa1024';

export function keyPair(kind: KeyKind): { publicKey: KeyObject; privateKey: KeyObject } {
  switch (kind) {
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
    case 'ec256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ec384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ec521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}

/** A JWT signed by jose. `claims` are used as given (no iat added). */
export function sign(claims: Record<string, unknown>, alg: string, key: KeyObject | Uint8Array, header: Record<string, unknown> = {}, options: jose.SignOptions = {}): Promise<string> {
  return new jose.SignJWT(claims).setProtectedHeader({ alg, ...header } as jose.JWTHeaderParameters).sign(key as jose.KeyObject, options);
}

/** The same with the HMAC test secret. */
export function signHs(claims: Record<string, unknown>, alg = 'HS256', header: Record<string, unknown> = {}): Promise<string> {
  return sign(claims, alg, SECRET_BYTES, header);
}

/** A JWS over raw parts (for shapes jose will not produce): signed with node:crypto when a key is given. */
export function rawJws(header: Record<string, unknown> | string, payload: Record<string, unknown> | string, signWith?: { alg: 'HS256' | 'RS256'; key: KeyObject | Uint8Array }): string {
  const enc = (part: Record<string, unknown> | string) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  if (!signWith) return `${input}.`;
  if (signWith.alg === 'HS256') {
    return `${input}.${createHmac('sha256', signWith.key as Uint8Array).update(input).digest('base64url')}`;
  }
  return `${input}.${cryptoSign('sha256', Buffer.from(input), signWith.key as KeyObject).toString('base64url')}`;
}

export function publicKeyOf(publicKey: KeyObject, label = 'the key in test.pem'): VerifyKey {
  return { kind: 'public', key: publicKey, label, ...describePublicKey(publicKey, label) };
}

export const secretKey = (): VerifyKey => secretVerifyKey(SECRET_BYTES);

/** A public JWK with kid (and alg when given), for a JWKS. */
export async function jwkOf(publicKey: KeyObject, kid?: string, alg?: string): Promise<Record<string, unknown>> {
  const jwk = (await jose.exportJWK(publicKey)) as Record<string, unknown>;
  return { ...jwk, ...(kid !== undefined ? { kid } : {}), ...(alg ? { alg } : {}), use: 'sig' };
}

export interface JsonServer {
  url: string;
  /** Requests seen, by path. */
  hits: string[];
  close(): Promise<void>;
}

type Route = unknown | ((request: http.IncomingMessage, response: http.ServerResponse) => void);

/** Serves `routes` (path -> JSON body, or a handler) on 127.0.0.1, on a free port. */
export async function serveJson(routes: Record<string, Route> | ((base: string) => Record<string, Route>)): Promise<JsonServer> {
  const hits: string[] = [];
  let table: Record<string, Route> = {};
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    hits.push(path);
    const route = table[path];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (typeof route === 'function') {
      (route as (request: http.IncomingMessage, response: http.ServerResponse) => void)(request, response);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  table = typeof routes === 'function' ? routes(url) : routes;
  return {
    url,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
