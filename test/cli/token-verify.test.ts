// `session-audit token verify` end to end: the built CLI; tokens made with jose; a JWKS and an OIDC
// discovery document served by node:http on 127.0.0.1; a real redis-server as the denylist.
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';
import { admin } from '../support/redis-data.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { NOW, NOW_ISO, SECRET, jwkOf, keyPair, serveJson, sign, signHs, type JsonServer } from '../tokens/verify-support.js';

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-cli-verify-'));
const certKey = readFileSync(path.join(repoRoot, 'fixtures/tokens/rsa-cert-key.pem'), 'utf8');
const certFile = path.join(repoRoot, 'fixtures/tokens/rsa-cert.pem');
const rsa = keyPair('rsa');
const ec = keyPair('ec256');
let server: JsonServer;
let redis: RedisProcess;

beforeAll(async () => {
  const jwks = { keys: [await jwkOf(rsa.publicKey, 'rsa-1', 'RS256'), await jwkOf(ec.publicKey, 'ec-1', 'ES256')] };
  server = await serveJson((base) => ({
    '/jwks.json': jwks,
    '/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/jwks.json` },
    '/other/.well-known/openid-configuration': { issuer: 'https://login.impostor.example', jwks_uri: `${base}/jwks.json` },
  }));
  redis = await startRedis({ aclFile: 'user default on >admin-pw-9 ~* &* +@all\nuser reader on >s3cret-reader ~* -@all +ping +exists +get\n' });
  const client = admin(redis.port, { password: 'admin-pw-9' });
  await client.set('revoked:jti:abc', '1');
  await client.quit();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const verify = (args: string[], input?: string) => runCli(['token', 'verify', ...args, '--now', NOW_ISO], { input });
const verifyAsync = (args: string[]) => runCliAsync(['token', 'verify', ...args, '--now', NOW_ISO]);

describe('token verify with a secret', () => {
  it('valid: exit 0, the claims; --format json', async () => {
    const token = await signHs({ sub: 'alice', exp: NOW + 3600 });
    const run = verify([token, '--secret', SECRET]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('valid  HS256 signature matches the secret');
    expect(run.stdout).toContain('"sub": "alice"');
    expect(run.stdout).toContain('exp        2025-11-03T11:00:00Z  expires in 1h');
    expect(run.stdout).not.toContain(SECRET);
    const json = JSON.parse(verify([token, '--secret', SECRET, '--format', 'json']).stdout);
    expect(json).toEqual({
      source: 'argument',
      valid: true,
      alg: 'HS256',
      key: 'the secret',
      header: { alg: 'HS256' },
      claims: { sub: 'alice', exp: NOW + 3600 },
      times: { exp: { value: NOW + 3600, iso: '2025-11-03T11:00:00Z', relative: 'expires in 1h' } },
      now: '2025-11-03T10:00:00Z',
    });
  });

  it('invalid: exit 1 and exactly one line saying why', async () => {
    const cases: Array<[string, string[], string]> = [
      [await signHs({ exp: NOW - 3 * 86400 }), [], 'expired 2025-10-31T10:00:00Z, 3 days ago'],
      [await signHs({ aud: 'web' }), ['--aud', 'api'], "aud is 'web', expected 'api'"],
      [await signHs({ nbf: NOW + 7200 }), [], 'not valid before 2025-11-03T12:00:00Z, in 2h'],
      [await signHs({ sub: 'x' }), ['--require', 'jti'], 'missing "jti" claim (required by --require)'],
      [await signHs({ iat: NOW - 7200 }), ['--max-age', '1h'], 'too old: issued 2025-11-03T08:00:00Z, 2h ago, more than --max-age 1h'],
      [await sign({}, 'HS256', new TextEncoder().encode('not-the-secret')), [], 'signature does not match the secret'],
      [await signHs({}, 'HS512'), ['--alg', 'HS256'], 'alg HS512 is not allowed (allowed: HS256)'],
      [new jose.UnsecuredJWT({ admin: true }).encode(), [], 'alg none (an unsigned token) is never accepted (allowed: HS256, HS384, HS512, the ones the secret can verify)'],
    ];
    for (const [token, extra, reason] of cases) {
      const run = verify([token, '--secret', SECRET, ...extra]);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`session-audit: invalid token: ${reason}\n`);
      expect(run.status).toBe(1);
    }
    const json = verify([cases[0][0], '--secret', SECRET, '--format', 'json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ source: 'argument', valid: false, reason: cases[0][2] });
  });

  it('--clock-tolerance and --now', async () => {
    const token = await signHs({ exp: NOW - 20 });
    expect(verify([token, '--secret', SECRET, '--clock-tolerance', '30s']).status).toBe(0);
    expect(runCli(['token', 'verify', token, '--secret', SECRET, '--now', String(NOW - 60)]).status).toBe(0);
  });

  it('--secret-file; the secret never appears in any output', async () => {
    const file = path.join(dir, 'secret.txt');
    writeFileSync(file, `${SECRET}\n`);
    const token = await signHs({ sub: 'a' });
    expect(verify([token, '--secret-file', file]).status).toBe(0);
    const bad = verify([await signHs({ exp: 1 }), '--secret-file', file, '--format', 'json']);
    expect(bad.stdout + bad.stderr).not.toContain(SECRET);
  });

  it.each([
    ['Bearer x', (t: string) => `Bearer ${t}`],
    ['Authorization: Bearer x', (t: string) => `Authorization: Bearer ${t}`],
    ['Cookie: a=1; session=x', (t: string) => `Cookie: a=1; session=${t}`],
    ['a URL', (t: string) => `https://app/cb?token=${t}`],
    ['a JSON line', (t: string) => `{"id_token":"${t}"}`],
  ])('reads %s from stdin', async (_, paste) => {
    const token = await signHs({ sub: 'pasted' });
    const run = verify(['-', '--secret', SECRET, '--format', 'json'], paste(token));
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).claims).toEqual({ sub: 'pasted' });
  });

  it('a token that is not base64url: invalid, saying which part', async () => {
    const token = await signHs({ sub: 'a' });
    const run = verify([`${token}AB`, '--secret', SECRET]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('session-audit: invalid token: malformed: the signature is not base64url\n');
  });

  it('several tokens: the first, with a note', async () => {
    const a = await signHs({ n: 1 });
    const run = verify([`${a} ${await signHs({ n: 2 })}`, '--secret', SECRET]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('session-audit: note: the input holds 1 more token; verifying the first (use --batch to verify one per line)\n');
  });

  it('a JWE is not a signed token', async () => {
    const jwe = await new jose.EncryptJWT({ sub: 'x' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(new Uint8Array(32));
    const run = verify([jwe, '--secret', SECRET]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('session-audit: invalid token: a JWE (encrypted token), not a signed one: verify checks JWS signatures (decrypt it with token decode --key)\n');
  });
});

describe('bad arguments: exit 2, one line', () => {
  it.each([
    [['--secret', 'x', '--alg', 'none'], '--alg none: an unsigned token is never valid; "none" cannot be allowed'],
    [['--secret', 'x', '--alg', 'HS256,NONE'], '--alg none: an unsigned token is never valid; "none" cannot be allowed'],
    [[], 'give the key to verify with: one of --secret, --secret-file, --key, --jwks, --issuer'],
    [['--secret', 'x', '--key', 'k.pem'], 'give one key source, not --secret and --key'],
    [['--secret', 'x', '--alg', 'RS256'], '--alg RS256: a secret verifies HS256, HS384, HS512 only'],
    [['--secret', 'x', '--alg', 'hs256'], '--alg hs256: not a JWS algorithm (did you mean HS256?)'],
    [['--secret', 'x', '--max-age', 'soon'], '--max-age soon: not a duration (use e.g. 90, 90s, 15m, 1h30m, 2d)'],
    [['--secret', 'x', '--denylist-prefix', 'p:'], '--denylist-prefix needs --denylist redis://...'],
    [['--key', certFile, '--alg', 'ES256'], `--alg ES256: does not fit the key in ${certFile} (RSA 2048-bit: RS256, RS384, RS512, PS256, PS384, PS512)`],
    [['--jwks', 'https://x.example/jwks', '--alg', 'HS256'], '--alg HS256: an HMAC token cannot be verified with a JWKS (give --secret)'],
    [['--key', path.join(dir, 'missing.pem')], `--key ${path.join(dir, 'missing.pem')}: no such file`],
    [['--iss', 'a', '--issuer', 'https://b.example'], '--iss a and --issuer https://b.example disagree (--issuer already checks iss)'],
  ])('%j', async (args, line) => {
    const token = await signHs({ sub: 'a' });
    const run = verify([token, ...(args as string[])]);
    expect(run.stderr).toBe(`session-audit: ${line}\n`);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe('public keys, JWKS and OIDC discovery', () => {
  it('--key: an X.509 certificate, its SPKI key, its private key', async () => {
    const privateKey = await jose.importPKCS8(certKey, 'PS256');
    const token = await new jose.SignJWT({ sub: 'cert' }).setProtectedHeader({ alg: 'PS256' }).sign(privateKey);
    for (const name of ['rsa-cert.pem', 'rsa-cert-public.pem', 'rsa-cert-key.pem']) {
      const file = path.join(repoRoot, 'fixtures/tokens', name);
      const run = verify([token, '--key', file]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`valid  PS256 signature matches the key in ${file}`);
    }
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await sign({ sub: 'cert' }, 'RS256', stranger.privateKey);
    expect(verify([forged, '--key', certFile]).stderr).toBe(`session-audit: invalid token: signature does not match the key in ${certFile}\n`);
  });

  it('the HS256-with-the-public-key confusion is refused', () => {
    const pem = readFileSync(path.join(repoRoot, 'fixtures/tokens/rsa-cert-public.pem'));
    const input = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"admin":true}').toString('base64url')}`;
    const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    const run = verify([token, '--key', certFile]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`session-audit: invalid token: alg HS256 is not allowed (allowed: RS256, RS384, RS512, PS256, PS384, PS512, the ones the key in ${certFile} can verify)\n`);
  });

  it('--jwks URL served on 127.0.0.1: valid by kid; unknown kid; wrong key', async () => {
    const url = `${server.url}/jwks.json`;
    const good = await runCliAsync(['token', 'verify', await sign({ sub: 'j' }, 'ES256', ec.privateKey, { kid: 'ec-1' }), '--jwks', url, '--now', NOW_ISO, '--format', 'json']);
    expect(good.stderr).toBe('');
    expect(JSON.parse(good.stdout)).toMatchObject({ valid: true, alg: 'ES256', key: "the key with kid 'ec-1'", claims: { sub: 'j' } });
    const unknown = await verifyAsync([await sign({}, 'RS256', rsa.privateKey, { kid: 'x' }), '--jwks', url]);
    expect(unknown.stderr).toBe("session-audit: invalid token: no key in the JWKS has kid 'x' (kids: rsa-1, ec-1)\n");
    expect(unknown.status).toBe(1);
    const other = keyPair('rsa');
    const wrong = await verifyAsync([await sign({}, 'RS256', other.privateKey, { kid: 'rsa-1' }), '--jwks', url]);
    expect(wrong.stderr).toBe("session-audit: invalid token: signature does not match the key with kid 'rsa-1'\n");
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [await jwkOf(rsa.publicKey, 'rsa-1')] }));
    expect(verify([await sign({}, 'RS256', rsa.privateKey, { kid: 'rsa-1' }), '--jwks', file]).status).toBe(0);
    expect(verify([await sign({}, 'RS256', rsa.privateKey, { kid: 'rsa-1' }), '--key', file]).status).toBe(0);
  });

  it('--issuer: discovery, jwks_uri, and iss checked against the issuer', async () => {
    const token = await sign({ iss: server.url, sub: 'o' }, 'RS256', rsa.privateKey, { kid: 'rsa-1' });
    const run = await verifyAsync([token, '--issuer', server.url]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const wrongIss = await verifyAsync([await sign({ iss: 'https://elsewhere.example' }, 'RS256', rsa.privateKey, { kid: 'rsa-1' }), '--issuer', server.url]);
    expect(wrongIss.stderr).toBe(`session-audit: invalid token: iss is 'https://elsewhere.example', expected '${server.url}'\n`);
    const noIss = await verifyAsync([await sign({}, 'RS256', rsa.privateKey, { kid: 'rsa-1' }), '--issuer', server.url]);
    expect(noIss.stderr).toBe('session-audit: invalid token: missing "iss" claim (required by --issuer)\n');
  });

  it('a discovery document naming another issuer: exit 2', async () => {
    const token = await sign({ iss: `${server.url}/other` }, 'RS256', rsa.privateKey, { kid: 'rsa-1' });
    const run = await verifyAsync([token, '--issuer', `${server.url}/other`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`session-audit: --issuer ${server.url}/other: the discovery document names issuer 'https://login.impostor.example', not '${server.url}/other'\n`);
  });

  it('an unreachable JWKS or issuer: exit 2 within seconds, one line', async () => {
    const port = await closedPort();
    const token = await sign({}, 'RS256', rsa.privateKey);
    const started = Date.now();
    const refused = await verifyAsync([token, '--jwks', `http://127.0.0.1:${port}/jwks.json`]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`session-audit: --jwks http://127.0.0.1:${port}/jwks.json: cannot connect: ECONNREFUSED\n`);
    const issuer = await verifyAsync([token, '--issuer', `http://127.0.0.1:${port}`]);
    expect(issuer.status).toBe(2);
    expect(issuer.stderr).toBe(`session-audit: --issuer http://127.0.0.1:${port}/.well-known/openid-configuration: cannot connect: ECONNREFUSED\n`);
    // A server that accepts and never answers: the --timeout ends it.
    const silent = net.createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      const hang = await verifyAsync([token, '--jwks', `http://127.0.0.1:${silentPort}/jwks.json`, '--timeout', '1s']);
      expect(hang.status).toBe(2);
      expect(hang.stderr).toBe(`session-audit: --jwks http://127.0.0.1:${silentPort}/jwks.json: no answer within 1 s\n`);
    } finally {
      silent.close();
    }
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('--denylist (a real redis-server started here)', () => {
  const url = () => `redis://reader:s3cret-reader@127.0.0.1:${redis.port}`;

  it('a revoked jti is invalid; another jti is valid; no jti cannot be checked', async () => {
    const revoked = await verifyAsync([await signHs({ jti: 'abc' }), '--secret', SECRET, '--denylist', url()]);
    expect(revoked.stderr).toBe("session-audit: invalid token: revoked: jti 'abc' is on the denylist\n");
    expect(revoked.status).toBe(1);
    const fine = await verifyAsync([await signHs({ jti: 'fresh' }), '--secret', SECRET, '--denylist', url()]);
    expect(fine.status).toBe(0);
    expect(fine.stdout).toContain(`jti 'fresh' is not on the denylist redis://reader@127.0.0.1:${redis.port}`);
    const noJti = await verifyAsync([await signHs({ sub: 'a' }), '--secret', SECRET, '--denylist', url()]);
    expect(noJti.stderr).toBe('session-audit: invalid token: no jti: cannot be checked against the denylist\n');
    expect(noJti.status).toBe(1);
    for (const run of [revoked, fine, noJti]) expect(run.stdout + run.stderr).not.toContain('s3cret-reader');
  });

  it('--denylist-prefix, and the signature is checked first', async () => {
    const client = admin(redis.port, { password: 'admin-pw-9' });
    await client.set('app:revoked:jti:zzz', '1');
    await client.quit();
    const run = await verifyAsync([await signHs({ jti: 'zzz' }), '--secret', SECRET, '--denylist', url(), '--denylist-prefix', 'app:revoked:']);
    expect(run.stderr).toBe("session-audit: invalid token: revoked: jti 'zzz' is on the denylist\n");
    const forged = await verifyAsync([await sign({ jti: 'abc' }, 'HS256', new TextEncoder().encode('other-secret')), '--secret', SECRET, '--denylist', url()]);
    expect(forged.stderr).toBe('session-audit: invalid token: signature does not match the secret\n');
  });

  it('an unreachable denylist or a wrong password: exit 2, the password never shown', async () => {
    const port = await closedPort();
    const down = await verifyAsync([await signHs({ jti: 'a' }), '--secret', SECRET, '--denylist', `redis://u:hunter2@127.0.0.1:${port}`]);
    expect(down.status).toBe(2);
    expect(down.stderr).toBe(`session-audit: redis://u@127.0.0.1:${port}: --denylist: cannot connect: ECONNREFUSED\n`);
    const wrong = await verifyAsync([await signHs({ jti: 'a' }), '--secret', SECRET, '--denylist', `redis://reader:not-it@127.0.0.1:${redis.port}`]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).not.toContain('not-it');
  });
});

describe('--batch', () => {
  it('mixed valid and invalid lines: JSON lines, the summary line, exit 1', async () => {
    const file = path.join(dir, 'mixed.txt');
    const valid = await signHs({ sub: 'a', jti: 'ok-1' });
    const lines = [valid, await signHs({ exp: NOW - 60, jti: 'x' }), `Bearer ${await signHs({ jti: 'abc' })}`, 'junk', '', `Cookie: s=${await signHs({ sub: 'c' })}`];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = await verifyAsync(['--batch', file, '--secret', SECRET, '--denylist', `redis://reader:s3cret-reader@127.0.0.1:${redis.port}`]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { source: `${file}:1`, valid: true, claims: { sub: 'a', jti: 'ok-1' } },
      { source: `${file}:2`, valid: false, reason: 'expired 2025-11-03T09:59:00Z, 1 minute ago' },
      { source: `${file}:3`, valid: false, reason: "revoked: jti 'abc' is on the denylist" },
      { source: `${file}:4`, valid: false, reason: 'no JWT found on this line' },
      { source: `${file}:6`, valid: false, reason: 'no jti: cannot be checked against the denylist' },
      { summary: { lines: 6, tokens: 4, valid: 1, invalid: 3, noToken: 1, revoked: 1 } },
    ]);
  });

  it('all valid from stdin: exit 0', async () => {
    const token = await signHs({ sub: 'a' });
    const run = verify(['--batch', '-', '--secret', SECRET], `${token}\n${token}\n`);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('{"summary":{"lines":2,"tokens":2,"valid":2,"invalid":0,"noToken":0}}');
  });

  it('a large batch runs on worker threads and keeps the input order', async () => {
    const file = path.join(dir, 'large.txt');
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => signHs({ n: i })));
    const expired = await signHs({ n: -1, exp: NOW - 1 });
    const count = 9_000;
    writeFileSync(file, `${Array.from({ length: count }, (_, i) => (i % 1000 === 999 ? expired : tokens[i % 50])).join('\n')}\n`);
    for (const threads of ['2', '0']) {
      const run = await verifyAsync(['--batch', file, '--secret', SECRET, '--threads', threads]);
      expect(run.stderr).toBe('');
      const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(results).toHaveLength(count + 1);
      results.slice(0, count).forEach((result, i) => {
        expect(result.source).toBe(`${file}:${i + 1}`);
        if (i % 1000 === 999) expect(result.valid).toBe(false);
        else expect(result.claims).toEqual({ n: i % 50 });
      });
      expect(results[count]).toEqual({ summary: { lines: count, tokens: count, valid: count - 9, invalid: 9, noToken: 0 } });
    }
  });

  it('a large batch with a denylist: worker threads, EXISTS pipelined per chunk', async () => {
    const client = admin(redis.port, { password: 'admin-pw-9' });
    await client.set('revoked:jti:t7', '1');
    await client.quit();
    const file = path.join(dir, 'large-denylist.txt');
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => signHs({ jti: `t${i}` })));
    const count = 6_000;
    writeFileSync(file, `${Array.from({ length: count }, (_, i) => tokens[i % 20]).join('\n')}\n`);
    const run = await verifyAsync(['--batch', file, '--secret', SECRET, '--threads', '2', '--denylist', `redis://reader:s3cret-reader@127.0.0.1:${redis.port}`]);
    expect(run.stderr).toBe('');
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    results.slice(0, count).forEach((result, i) => {
      expect(result.source).toBe(`${file}:${i + 1}`);
      expect(result.valid).toBe(i % 20 !== 7);
      if (i % 20 === 7) expect(result.reason).toBe("revoked: jti 't7' is on the denylist");
    });
    expect(results[count]).toEqual({ summary: { lines: count, tokens: count, valid: count - 300, invalid: 300, noToken: 0, revoked: 300 } });
  });

  it('a JWKS batch, one RSA and one EC key', async () => {
    const file = path.join(dir, 'jwks-batch.txt');
    writeFileSync(file, [await sign({ a: 1 }, 'RS256', rsa.privateKey, { kid: 'rsa-1' }), await sign({ b: 2 }, 'ES256', ec.privateKey, { kid: 'ec-1' }), await sign({}, 'ES256', ec.privateKey, { kid: 'nope' })].join('\n'));
    const run = await verifyAsync(['--batch', file, '--jwks', `${server.url}/jwks.json`]);
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(results.map((r) => r.valid ?? 'summary')).toEqual([true, true, false, 'summary']);
    expect(results[2].reason).toBe("no key in the JWKS has kid 'nope' (kids: rsa-1, ec-1)");
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
