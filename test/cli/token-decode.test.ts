// `session-audit token decode` end to end: the built CLI, tokens made with jose, what people paste.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';
import { NOW, NOW_ISO, signHs } from '../tokens/verify-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-cli-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FORBID_JOSE = { NODE_OPTIONS: `--import=${path.join(repoRoot, 'fixtures/tokens/forbid-jose.mjs')}` };

let token: string;
beforeAll(async () => {
  token = await signHs({ sub: 'alice', iat: NOW - 300, exp: NOW + 2 * 3600 + 13 * 60 }, 'HS256', { typ: 'JWT' });
});

const decode = (args: string[], input?: string) => runCli(['token', 'decode', ...args, ...(args.includes('--now') ? [] : ['--now', NOW_ISO])], { input });

describe('token decode', () => {
  it('prints header, payload and times; never the signature', () => {
    const run = decode([token]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('JWS  alg HS256  signature 32 bytes');
    expect(run.stdout).toContain('"sub": "alice"');
    expect(run.stdout).toContain('exp        2025-11-03T12:13:00Z  expires in 2h 13m');
    expect(run.stdout).toContain('iat        2025-11-03T09:55:00Z  issued 5 minutes ago');
    expect(run.stdout).not.toContain(token.split('.')[2]);
    expect(run.stdout).not.toContain('\u001b['); // not a TTY: no colour
  });

  it.each([
    ['Bearer x', (t: string) => `Bearer ${t}`],
    ['Authorization: Bearer x', (t: string) => `Authorization: Bearer ${t}`],
    ['Cookie: a=1; session=x', (t: string) => `Cookie: a=1; session=${t}`],
    ['a URL with ?token=x', (t: string) => `https://app/cb?token=${t}&state=xyz`],
    ['a JSON line', (t: string) => JSON.stringify({ access_token: t, token_type: 'Bearer' })],
  ])('understands %s, as an argument and on stdin', (_, paste) => {
    for (const run of [decode([paste(token), '--format', 'json']), decode(['-', '--format', 'json'], `${paste(token)}\n`)]) {
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ form: 'jws', payload: { sub: 'alice' }, signature: { bytes: 32 } });
    }
  });

  it('--format json: the documented shape', () => {
    const json = JSON.parse(decode([token, '--format', 'json']).stdout);
    expect(Object.keys(json)).toEqual(['source', 'form', 'header', 'payload', 'times', 'signature', 'now']);
    expect(json.times.exp).toEqual({ value: NOW + 7980, iso: '2025-11-03T12:13:00Z', relative: 'expires in 2h 13m' });
  });

  it('several tokens: the first, and a note saying how many more', () => {
    const run = decode([`${token} ${token.replace('alice', 'x')} ${signHsSync}`]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^session-audit: note: the input holds \d+ more tokens?; decoding the first \(use --batch to decode one per line\)\n$/);
  });

  it('not base64url, or no token at all: exit 2, one line', () => {
    const [header, payload] = token.split('.');
    let bad = payload;
    while (bad.length % 4 !== 1) bad += 'x';
    const run = decode([`${header}.${bad}.sig`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('session-audit: argument: the payload is not base64url\n');
    const none = decode(['hello.world.example']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^session-audit: argument: no JWT found \(.*\)\n$/);
    // Standard base64 (+ and /) is not base64url: the header does not decode to JSON with "alg".
    const standard = Buffer.from('{"alg":"HS256","x":"???"}').toString('base64');
    expect(standard).toMatch(/[+/=]/);
    const std = decode([`${standard}.e30.sig`]);
    expect(std.status).toBe(2);
    expect(std.stderr.split('\n')).toHaveLength(2);
  });

  it('bad options: exit 2, one line', () => {
    expect(decode([token, '--now', 'tomorrow']).stderr).toBe('session-audit: --now tomorrow: not a time (use an ISO date like 2025-11-03T10:00:00Z, or epoch seconds like 1762164000)\n');
    expect(decode([token, '--batch', 'x.txt']).stderr).toBe('session-audit: give a token or --batch FILE, not both\n');
    expect(decode([]).stderr).toBe('session-audit: give the token as an argument, or - to read it from stdin\n');
    expect(decode([token, '--key', path.join(dir, 'none.pem')]).stderr).toBe(`session-audit: --key ${path.join(dir, 'none.pem')}: no such file\n`);
  });

  it('a JWE: header only without a key; decrypted with --key (RSA-OAEP-256) or --secret-file (dir)', async () => {
    const keyFile = path.join(repoRoot, 'fixtures/tokens/rsa-cert-key.pem');
    const publicKey = await jose.importSPKI(readFileSync(path.join(repoRoot, 'fixtures/tokens/rsa-cert-public.pem'), 'utf8'), 'RSA-OAEP-256');
    const jwe = await new jose.EncryptJWT({ sub: 'erin', exp: NOW + 60 }).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(publicKey);
    const closed = decode([jwe]);
    expect(closed.status).toBe(0);
    expect(closed.stdout).toContain('JWE  alg RSA-OAEP-256  enc A256GCM  (encrypted)');
    expect(closed.stdout).toContain('encrypted: give --key, --secret or --secret-file to decrypt it');
    const open = decode([jwe, '--key', keyFile, '--format', 'json']);
    expect(open.stderr).toBe('');
    expect(JSON.parse(open.stdout)).toMatchObject({ form: 'jwe', payload: { sub: 'erin' }, encryption: { decrypted: true, key: `the key in ${keyFile}` } });

    let cek = randomBytes(32);
    while (cek[31] === 0x0a) cek = randomBytes(32);
    const cekFile = path.join(dir, 'cek.bin');
    writeFileSync(cekFile, cek);
    const dirJwe = await new jose.EncryptJWT({ sub: 'frank' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(cek);
    expect(JSON.parse(decode([dirJwe, '--secret-file', cekFile, '--format', 'json']).stdout).payload).toEqual({ sub: 'frank' });
    const wrong = decode([dirJwe, '--secret', 'x'.repeat(32)]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('session-audit: argument: cannot decrypt with the secret: decryption failed (wrong key, or the token was altered)\n');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecFile = path.join(dir, 'ec.pem');
    writeFileSync(ecFile, other.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const mismatch = decode([jwe, '--key', ecFile]);
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toMatch(/^session-audit: argument: cannot decrypt with the key in .*ec\.pem: .+\n$/);
  });

  it('--batch FILE and --batch -: JSON lines, then the summary line; exit 1 when a line fails', () => {
    const file = path.join(dir, 'tokens.txt');
    writeFileSync(file, [token, `Cookie: session=${token}`, 'garbage', ''].join('\n'));
    const run = decode(['--batch', file]);
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ source: `${file}:1`, form: 'jws', payload: { sub: 'alice' } });
    expect(lines[2]).toEqual({ source: `${file}:3`, error: 'no JWT found on this line' });
    expect(lines[3]).toEqual({ summary: { lines: 3, tokens: 2, decoded: 2, errors: 0, noToken: 1 } });
    const stdin = decode(['--batch', '-'], `${token}\n${token}\n`);
    expect(stdin.status).toBe(0);
    expect(stdin.stdout.trim().split('\n').map((line) => JSON.parse(line).source ?? 'summary')).toEqual(['stdin:1', 'stdin:2', 'summary']);
    expect(decode(['--batch', path.join(dir, 'missing.txt')]).stderr).toBe(`session-audit: ${path.join(dir, 'missing.txt')}: cannot read (ENOENT)\n`);
  });

  it('--help does not load jose (the hook fails any import of it)', async () => {
    const help = runCli(['token', 'decode', '--help'], { env: FORBID_JOSE });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--batch <file>');
    expect(runCli(['token', 'verify', '--help'], { env: FORBID_JOSE }).status).toBe(0);
    expect(runCli(['--version'], { env: FORBID_JOSE }).status).toBe(0);
    // A plain HS256 token is judged by the node:crypto fast path: jose is not even loaded.
    expect(runCli(['token', 'verify', token, '--secret', 's'], { env: FORBID_JOSE }).stderr).toBe('session-audit: invalid token: signature does not match the secret\n');
    // The hook works: a command that needs jose (decrypting a JWE) fails under it.
    const jwe = await new jose.EncryptJWT({ sub: 'x' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(new Uint8Array(32));
    expect(runCli(['token', 'decode', jwe, '--secret', 'k'.repeat(32)], { env: FORBID_JOSE }).stderr).toContain('jose was loaded');
  });
});

const signHsSync = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6In0.c2lnbmF0dXJl';
