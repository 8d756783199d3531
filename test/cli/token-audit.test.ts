// `session-audit token audit` end to end (the built CLI): output formats, --batch, secret masking,
// exit codes and bad input, with tokens made by jose.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const NOW = '2026-01-01T00:00:00Z';
const NOW_S = Date.parse(NOW) / 1000;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let work: string;
let clean: string;
let weak: string;
let noExp: string;

function hs256(secret: string, payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'session-audit-token-audit-'));
  const { privateKey } = await generateKeyPair('RS256');
  const claims = { iss: 'https://id.example.com', sub: 'u-1842', aud: 'api' };
  clean = await new SignJWT({ ...claims, jti: randomUUID() }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'rs-1' }).setIssuedAt(NOW_S - 60).setExpirationTime(NOW_S + 3000).sign(privateKey);
  weak = hs256('my_secret_key', { ...claims, jti: randomUUID(), iat: NOW_S - 60, exp: NOW_S + 600 });
  noExp = await new SignJWT({ ...claims, jti: randomUUID() }).setProtectedHeader({ alg: 'RS256', kid: 'rs-1' }).setIssuedAt(NOW_S - 60).sign(privateKey);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const audit = (args: string[], input?: string) => runCli(['token', 'audit', ...args, '--now', NOW], { input });
const json = (args: string[], input?: string) => {
  const run = audit([...args, '--format', 'json'], input);
  return { ...run, report: JSON.parse(run.stdout) };
};

describe('token audit: one token', () => {
  it('has --help with examples', () => {
    const run = runCli(['token', 'audit', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: session-audit token audit/);
    expect(run.stdout).toMatch(/--batch/);
  });

  it('a clean token: no findings, exit 0', () => {
    const run = audit([clean]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Token from argument: JWS/);
    expect(run.stdout).toMatch(/No findings in 1 token\./);
  });

  it('prints the DESIGN.md report with a token section, and never the signature', () => {
    const { status, report, stdout } = json([`Authorization: Bearer ${noExp}`]);
    expect(status).toBe(1);
    expect(report.tool.name).toBe('session-audit');
    expect(report.findings).toMatchObject([{ ruleId: 'jwt-missing-exp', severity: 'high', category: 'token', source: 'argument', file: null, line: null }]);
    expect(report.summary).toMatchObject({ files: 0, findings: 1, bySeverity: { high: 1 }, errors: 0 });
    expect(report.token).toEqual({
      source: 'argument',
      form: 'jws',
      header: { alg: 'RS256', kid: 'rs-1' },
      claims: expect.objectContaining({ sub: 'u-1842', iat: NOW_S - 60 }),
      size: noExp.length,
    });
    expect(stdout).not.toContain(noExp.split('.')[2]);
  });

  it('reads stdin for -', () => {
    const { status, report } = json(['-'], `${clean}\n`);
    expect(status).toBe(0);
    expect(report.token.source).toBe('stdin');
  });

  it('masks a found secret unless --show-secret', () => {
    for (const format of ['table', 'json', 'sarif', 'github', 'markdown']) {
      const run = audit([weak, '--format', format]);
      expect(run.status, format).toBe(1);
      expect(run.stdout + run.stderr, format).not.toContain('my_secret_key');
      expect(run.stdout, format).toContain('my… (13 chars)');
    }
    const shown = audit([weak, '--show-secret']);
    expect(shown.stdout).toContain('"my_secret_key"');
  });

  it('judges --secret / --secret-file length, and says when it does not verify', () => {
    const token = hs256('short-key-1', { sub: 'x', iss: 'i', aud: 'a', jti: 'j', iat: NOW_S, exp: NOW_S + 60 });
    const secretFile = path.join(work, 'jwt.key');
    writeFileSync(secretFile, 'short-key-1\n');
    for (const args of [['--secret', 'short-key-1'], ['--secret-file', secretFile]]) {
      const { status, report } = json([token, ...args]);
      expect(status).toBe(1);
      expect(report.findings).toMatchObject([{ ruleId: 'jwt-weak-secret', severity: 'high', message: expect.stringContaining('is 11 bytes') }]);
    }
    const other = json([token, '--secret', 'x'.repeat(40)]);
    expect(other.report.findings).toEqual([]);
    expect(other.stderr).toMatch(/^session-audit: note: --secret does not verify this token/);
  });

  it('applies --alg and --max-lifetime', () => {
    const { report } = json([clean, '--alg', 'ES256, EdDSA', '--max-lifetime', '30m']);
    expect(report.findings.map((finding: { ruleId: string }) => finding.ruleId).sort()).toEqual(['jwt-alg-unexpected', 'jwt-long-lifetime']);
    expect(json([clean, '--alg', 'RS256']).report.findings).toEqual([]);
  });

  it('exit codes follow --fail-on', () => {
    expect(audit([noExp, '--fail-on', 'critical']).status).toBe(0);
    expect(audit([noExp, '--fail-on', 'high']).status).toBe(1);
    expect(audit([weak, '--fail-on', 'none']).status).toBe(0);
  });

  it('notes other tokens in the input and points at --batch', () => {
    const run = audit([`${clean} ${weak}`]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/note: 1 more JWT in the input was not audited: use --batch/);
  });

  it('writes --output', () => {
    const file = path.join(work, 'audit.sarif');
    const run = audit([weak, '--format', 'sarif', '--output', file]);
    expect(run.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    expect(sarif.runs[0].results).toMatchObject([{ ruleId: 'jwt-weak-secret', level: 'error' }]);
    expect(sarif.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'jwt-alg-none')).toBe(true);
  });

  it('prints GitHub annotations and markdown', () => {
    expect(audit([noExp, '--format', 'github']).stdout).toMatch(/^::error title=session-audit jwt-missing-exp \(high\)::no exp/m);
    const markdown = audit([noExp, '--format', 'markdown']).stdout;
    expect(markdown).toMatch(/^## session-audit token audit/);
    expect(markdown).toMatch(/\| high \| `jwt-missing-exp` \| no exp/);
  });
});

describe('token audit --batch', () => {
  it('reports each line, with file and line, and a summary', () => {
    const file = path.join(work, 'tokens.txt');
    writeFileSync(file, [clean, '', `Bearer ${weak}`, 'no token on this line', noExp, clean].join('\n'));
    const { status, report } = json(['--batch', file]);
    expect(status).toBe(1);
    expect(report.token).toEqual({ tokens: 4, withFindings: 2, byRule: { 'jwt-missing-exp': 1, 'jwt-weak-secret': 1 }, linesWithoutToken: 2 });
    expect(report.summary).toMatchObject({ files: 1, findings: 2, errors: 0 });
    expect(report.findings.map((finding: { file: string; line: number; ruleId: string; source: unknown }) => [finding.file, finding.line, finding.ruleId, finding.source])).toEqual([
      [file, 3, 'jwt-weak-secret', null],
      [file, 5, 'jwt-missing-exp', null],
    ]);
  });

  it('reads stdin, and names stdin lines', () => {
    const { report } = json(['--batch', '-'], `${noExp}\n${clean}\n`);
    expect(report.token).toMatchObject({ tokens: 2, withFindings: 1 });
    expect(report.findings[0].source).toBe('stdin:1');
  });

  it('prints a table with where, the counts by rule and the token totals', () => {
    const file = path.join(work, 'table.txt');
    writeFileSync(file, `${weak}\n${noExp}\n`);
    const run = audit(['--batch', file]);
    expect(run.stdout).toContain('table.txt:1'); // the path wraps in the Where column
    expect(run.stdout).toMatch(/By rule:\n\s+1 {2}jwt-missing-exp\n\s+1 {2}jwt-weak-secret/);
    expect(run.stdout).toMatch(/2 findings \(1 critical, 1 high\) in 2 tokens \(2 with findings\)\./);
  });

  it('a line that does not decode is an input error (exit 2), the rest is still audited', () => {
    const file = path.join(work, 'broken.txt');
    writeFileSync(file, `${noExp}\n${b64({ alg: 'HS256' })}.abcde.c2ln\n`);
    const { status, report, stderr } = json(['--batch', file]);
    expect(status).toBe(2);
    expect(report.errors).toEqual([{ file, line: 2, column: null, message: 'the payload is not base64url' }]);
    expect(report.findings).toHaveLength(1);
    expect(stderr.trim()).toBe(`session-audit: ${file}:2: the payload is not base64url`);
  });
});

describe('token audit: bad input and usage', () => {
  const oneLine = (run: { status: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
  };

  it('not a JWT: exit 2, one line', () => {
    oneLine(audit(['hello.world']), /^session-audit: argument: no JWT found/);
    oneLine(audit(['-'], 'nothing here\n'), /^session-audit: stdin: no JWT found/);
    oneLine(audit([`${b64({ alg: 'HS256' })}.${b64('not an object')}.c2ln.x`]), /^session-audit: argument: no JWT found/);
  });

  it('usage mistakes: exit 2, one line', () => {
    oneLine(audit([]), /give the token as an argument, - to read it from stdin, or --batch FILE/);
    oneLine(audit([clean, '--batch', 'x']), /either a token or --batch/);
    oneLine(audit([clean, '--secret', 'a', '--secret-file', 'b']), /either --secret or --secret-file/);
    oneLine(runCli(['token', 'audit', clean, '--now', 'yesterday']), /--now: not a time/);
    oneLine(audit([clean, '--max-lifetime', 'forever']), /--max-lifetime: not a duration/);
    oneLine(audit([clean, '--fail-on', 'severe']), /--fail-on must be one of/);
    oneLine(audit([clean, '--wordlist', path.join(work, 'missing.txt')]), /cannot read the wordlist \(ENOENT\)/);
    oneLine(audit(['--batch', path.join(work, 'missing.txt')]), /missing\.txt: cannot read \(ENOENT\)/);
    oneLine(audit([clean, '--format', 'html']), /argument 'html' is invalid/);
  });

  it('finds the secret in a --wordlist', () => {
    const wordlist = path.join(work, 'words.txt');
    writeFileSync(wordlist, ['alpha', 'bravo', 'Tr0ub4dor&3'].join('\n'));
    const token = hs256('Tr0ub4dor&3', { sub: 'x', iss: 'i', aud: 'a', jti: randomBytes(8).toString('hex'), iat: NOW_S, exp: NOW_S + 60 });
    const { status, report } = json([token, '--wordlist', wordlist]);
    expect(status).toBe(1);
    expect(report.findings).toMatchObject([{ ruleId: 'jwt-weak-secret', message: 'HS256 secret found: Tr… (11 chars), in the wordlist: anyone can forge tokens with it' }]);
  });
});
