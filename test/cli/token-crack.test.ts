// `session-audit token crack` end to end, through the built CLI (npm test builds dist/ first), with real
// tokens made by jose.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompactEncrypt, SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { repoRoot } from '../support/parse.js';
import { runCli, runCliAsync } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-crack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const secretKey = (secret: string) => new TextEncoder().encode(secret);

async function hsToken(alg: 'HS256' | 'HS384' | 'HS512', secret: string): Promise<string> {
  return new SignJWT({ sub: 'u-1842', iss: 'https://id.example.com', aud: 'api', scope: 'orders:read' })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secretKey(secret));
}

/** A wordlist of `count` lines, the secret `fromEnd` lines before the end, CRLF line ends if asked. */
function wordlist(name: string, count: number, secret: string, options: { fromEnd?: number; crlf?: boolean } = {}): string {
  const words = Array.from({ length: count }, (_, i) => `pass-${i}-${(i * 7919) % 10007}`);
  words.splice(count - (options.fromEnd ?? 3), 0, secret);
  const file = path.join(dir, name);
  writeFileSync(file, words.join(options.crlf ? '\r\n' : '\n'));
  return file;
}

let hs256: string;
beforeAll(async () => {
  hs256 = await hsToken('HS256', 'correct-horse-battery');
});

describe('token crack', () => {
  it('finds the secret near the end of a generated wordlist (CRLF lines) and masks it', async () => {
    const file = wordlist('crlf.txt', 200_000, 'correct-horse-battery', { crlf: true });
    const run = await runCliAsync(['token', 'crack', hs256, '--wordlist', file]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`HS256 secret found in the wordlist ${file}: co… (21 chars)`);
    expect(run.stdout).not.toContain('correct-horse-battery');
    expect(run.stdout).toMatch(/tried [\d,]+ candidates in [\d.]+ s: .* on \d+ threads?/);
  });

  it('prints the secret only with --show-secret; --format json has found, secret, tried, seconds, rate', async () => {
    const file = wordlist('plain.txt', 50_000, 'correct-horse-battery', { fromEnd: 1 });
    const masked = JSON.parse((await runCliAsync(['token', 'crack', hs256, '-w', file, '--format', 'json'])).stdout);
    expect(masked).toMatchObject({ found: true, secret: 'co… (21 chars)', secretShown: false, from: `wordlist ${file}`, token: { alg: 'HS256' } });
    const shown = await runCliAsync(['token', 'crack', hs256, '-w', file, '--format', 'json', '--show-secret']);
    expect(shown.status).toBe(0);
    const result = JSON.parse(shown.stdout);
    expect(result).toMatchObject({ found: true, secret: 'correct-horse-battery', secretShown: true });
    expect(result.tried).toBeGreaterThan(1);
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.rate).toBeGreaterThan(0);
    expect(shown.stderr).toBe(''); // no progress line when stderr is not a terminal
  });

  it('exits 1 when the secret is in none of the lists', async () => {
    const file = wordlist('miss.txt', 20_000, 'not-the-secret');
    const run = runCli(['token', 'crack', hs256, '--wordlist', file, '--format', 'json']);
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.found).toBe(false);
    expect(result.secret).toBeUndefined();
    expect(result.tried).toBeGreaterThanOrEqual(20_001); // the list, plus the built-in list
    const text = runCli(['token', 'crack', hs256, '--wordlist', file]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^HS256 secret not found\n/);
  });

  it('finds a secret of the built-in list (jwt.io) without any wordlist', async () => {
    const token = await hsToken('HS256', 'your-256-bit-secret');
    const run = runCli(['token', 'crack', token, '--show-secret']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('HS256 secret found in the built-in list: "your-256-bit-secret"');
  });

  it('tries the empty secret once (an empty HMAC key is valid)', async () => {
    // jose refuses to sign with an empty key (so does WebCrypto); many other libraries do not.
    const input = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', '').update(input).digest('base64url')}`;
    const run = runCli(['token', 'crack', token, '--format', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ found: true, secret: '(empty)', from: 'built-in list' });
  });

  it('brute-forces a 4-character secret with a mask', async () => {
    const token = await hsToken('HS256', 'zq7x');
    const run = runCli(['token', 'crack', token, '--mask', '?l?l?d?l', '--no-builtin', '--format', 'json', '--show-secret']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ found: true, secret: 'zq7x', from: 'mask ?l?l?d?l' });
  });

  it('--charset with --max-length tries every shorter secret first', async () => {
    const token = await hsToken('HS256', 'ba');
    // One thread: jobs run in the order they are handed out (with more, a later job may finish first).
    const run = runCli(['token', 'crack', token, '--charset', 'ab', '--max-length', '3', '--no-builtin', '--threads', '1', '--format', 'json', '--show-secret']);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ found: true, secret: 'ba', from: 'mask ?1?1 (?1 = ab)', threads: 1 });
    // Both one-character secrets and 'aa', 'ab' came first. The length-3 job may already have run
    // when the hit stops the pool (it counts what was tried), so the count is a range.
    expect(result.tried).toBeGreaterThanOrEqual(2 + 3);
    expect(result.tried).toBeLessThanOrEqual(2 + 4 + 8);
  });

  it('HS384 and HS512: a wordlist from stdin', async () => {
    for (const alg of ['HS384', 'HS512'] as const) {
      const token = await hsToken(alg, 'tr0ub4dor&3');
      const words = `${Array.from({ length: 3000 }, (_, i) => `w${i}`).join('\n')}\ntr0ub4dor&3\n`;
      const run = runCli(['token', 'crack', token, '--wordlist', '-', '--format', 'json', '--show-secret'], { input: words });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ found: true, secret: 'tr0ub4dor&3', token: { alg }, from: 'wordlist stdin' });
    }
  });

  it('reads the token from stdin, from a pasted Authorization header', async () => {
    const token = await hsToken('HS256', 'secret');
    const run = runCli(['token', 'crack', '-'], { input: `Authorization: Bearer ${token}\n` });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('HS256 secret found in the built-in list: se… (6 chars)');
  });

  it('refuses tokens that have no HMAC secret: exit 2 and one line saying why', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const { publicKey } = await generateKeyPair('RSA-OAEP-256');
    const rs = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const run = runCli(['token', 'crack', rs]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^session-audit: argument: RS256 is an RSA signature: .*no shared secret/);

    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    const noneRun = runCli(['token', 'crack', none]);
    expect(noneRun.status).toBe(2);
    expect(noneRun.stderr).toMatch(/alg "none" has no signature/);

    const jwe = await new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(publicKey);
    const jweRun = runCli(['token', 'crack', jwe]);
    expect(jweRun.status).toBe(2);
    expect(jweRun.stderr).toMatch(/a JWE \(encrypted/);
  });

  it('Ctrl-C stops the workers, prints what was tried, exits 130', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/session-audit.js'), 'token', 'crack', hs256, '--mask', '?a?a?a?a?a', '--format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, stderr).toBe(130);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ found: false, interrupted: true });
    expect(stderr).toMatch(/^session-audit: interrupted after [\d,]+ candidates\n$/);
  });

  it('usage errors are one line, exit 2: bad mask, huge keyspace without --yes, missing wordlist, no token', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--mask', '?q'], /unknown placeholder \?q/],
      [['--mask', '?a?a?a?a?a?a?a'], /candidates .* add --yes/],
      [['--wordlist', path.join(dir, 'nope.txt')], /nope\.txt: cannot read the wordlist \(ENOENT\)/],
      [['--threads', '0'], /--threads must be a whole number of at least 1/],
      [['--no-builtin'], /nothing to try/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['token', 'crack', hs256, ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    const noToken = runCli(['token', 'crack']);
    expect(noToken.status).toBe(2);
    expect(noToken.stderr).toMatch(/give the token/);
  });
});
