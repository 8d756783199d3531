import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let work: string;

const NGINX = `upstream app {
    ip_hash;
    server app1:8080;
    server app2:8080;
}
`;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'session-audit-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(work, 'p-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('session-audit (global)', () => {
  it('prints the version', () => {
    const run = runCli(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('has --help for every command', () => {
    for (const args of [['--help'], ['check', '--help'], ['rules', '--help'], ['explain', '--help']]) {
      const run = runCli(args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage: session-audit/);
    }
  });

  it('rejects an unknown option with exit 2 and one line', () => {
    const run = runCli(['check', '--no-such-flag']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^session-audit: unknown option '--no-such-flag'/);
  });

  it('stops quietly when the reader closes the pipe early (| head)', () => {
    const run = spawnSync('sh', ['-c', `"${process.execPath}" bin/session-audit.js check fixtures/rules --fail-on none 2>&1 | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).not.toMatch(/EPIPE|at /);
  });

  it('rejects an unknown command with exit 2', () => {
    const run = runCli(['chekc']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'chekc'/);
  });
});

describe('session-audit check', () => {
  it('checks the demo and prints a table', () => {
    const run = runCli(['check', 'fixtures/demo']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/sticky-session/);
    expect(run.stdout).toMatch(/shop\.conf:3 /);
    expect(run.stdout).toMatch(/\d+ findings \(.*\) in \d+ config files/);
    expect(run.stderr).toBe('');
  });

  it('prints the DESIGN.md JSON contract and nothing else on stdout', () => {
    const run = runCli(['check', 'fixtures/demo', '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.tool).toEqual({ name: 'session-audit', version: expect.any(String) });
    expect(report.summary).toMatchObject({ files: expect.any(Number), findings: report.findings.length });
    const total = Object.values(report.summary.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(report.findings.length);
    for (const finding of report.findings) {
      expect(finding).toMatchObject({
        ruleId: expect.any(String),
        severity: expect.stringMatching(/^(critical|high|medium|low|info)$/),
        category: expect.stringMatching(/^(sticky-session|session-store|cookie|session-ttl)$/),
        message: expect.any(String),
        file: expect.stringMatching(/^fixtures\/demo\//),
        line: expect.any(Number),
        column: expect.any(Number),
        source: null,
        evidence: expect.any(String),
        fix: expect.any(String),
      });
    }
    const nginx = report.findings.find((f: { ruleId: string; file: string }) => f.ruleId === 'sticky-session' && f.file.endsWith('shop.conf'));
    expect(nginx).toMatchObject({ line: 3, evidence: 'ip_hash;' });
    // The files linked into one system: round robin over per-node sessions.
    const risk = report.findings.find((f: { ruleId: string }) => f.ruleId === 'random-logout-risk');
    expect(risk).toMatchObject({ severity: 'critical', file: 'fixtures/demo/deploy/nginx/conf.d/shop.conf', line: 15 });
  });

  it('does not report a hash on $request_uri (demo assets upstream)', () => {
    const report = JSON.parse(runCli(['check', 'fixtures/demo', '--format', 'json']).stdout);
    expect(report.findings.filter((f: { line: number; file: string }) => f.file.endsWith('shop.conf') && f.line === 11)).toEqual([]);
  });

  it('exits 0 when nothing reaches --fail-on', () => {
    const dir = project({ 'nginx.conf': NGINX });
    expect(runCli(['check', dir, '--fail-on', 'high']).status).toBe(0);
    expect(runCli(['check', dir, '--fail-on', 'none']).status).toBe(0);
    expect(runCli(['check', dir, '--fail-on', 'medium']).status).toBe(1);
    expect(runCli(['check', dir]).status).toBe(1);
  });

  it('exits 0 with "No findings" on a clean tree', () => {
    const dir = project({ 'nginx.conf': 'upstream app {\n    least_conn;\n    server a:1;\n}\n', 'notes.txt': 'hello' });
    const run = runCli(['check', dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/No findings in 1 config file/);
  });

  it('rejects a bad --fail-on and a bad duration with exit 2', () => {
    const bad = runCli(['check', '.', '--fail-on', 'severe']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^session-audit: .*severe/);
    const duration = runCli(['check', '.', '--sticky-cookie-max-age', 'forever']);
    expect(duration.status).toBe(2);
    expect(duration.stderr).toMatch(/--sticky-cookie-max-age: not a duration: "forever"/);
  });

  it('reports a missing path with exit 2 and one line', () => {
    const run = runCli(['check', 'no/such/dir']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('session-audit: no/such/dir: no such file or directory\n');
    expect(run.stdout).toBe('');
  });

  it('reports an unparsable file with file:line:column, still checks the rest, and exits 2', () => {
    const dir = project({ 'nginx.conf': NGINX, 'broken.conf': 'upstream broken {\n    ip_hash;\n}\n}\n' });
    const run = runCli(['check', dir, '--format', 'json']);
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^session-audit: .*broken\.conf:4:1: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(run.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.findings.some((f: { file: string }) => f.file.endsWith('nginx.conf'))).toBe(true);
  });

  it('writes --output atomically and prints nothing on stdout', () => {
    const dir = project({ 'nginx.conf': NGINX });
    const out = path.join(dir, 'report.json');
    const run = runCli(['check', dir, '--format', 'json', '--output', out]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).findings.length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports an unwritable --output as one line with exit 2', () => {
    const dir = project({ 'nginx.conf': NGINX });
    const run = runCli(['check', dir, '--output', path.join(dir, 'missing-dir', 'out.txt')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^session-audit: .*out\.txt: cannot write \(ENOENT\)\n$/);
  });

  it('prints GitHub workflow annotations', () => {
    const dir = project({ 'nginx.conf': NGINX });
    const run = runCli(['check', dir, '--format', 'github'], { cwd: dir });
    expect(run.stdout).toMatch(/^::warning file=nginx\.conf,line=2,col=5,title=session-audit sticky-session \(medium\)::upstream app pins clients/m);
  });

  it('prints a Markdown summary', () => {
    const dir = project({ 'nginx.conf': NGINX });
    const run = runCli(['check', dir, '--format', 'markdown'], { cwd: dir });
    expect(run.stdout).toMatch(/^## session-audit/);
    expect(run.stdout).toMatch(/\| medium \| `sticky-session` \| `nginx\.conf:2` \|/);
  });

  it('reads linked files but does not walk linked folders, and skips binary files', () => {
    const outside = project({ 'nginx.conf': NGINX });
    const dir = project({ 'blob.conf': '\u0000\u0001upstream x { ip_hash; }' });
    symlinkSync(outside, path.join(dir, 'elsewhere'));
    symlinkSync(path.join(outside, 'nginx.conf'), path.join(dir, 'linked.conf'));
    const report = JSON.parse(runCli(['check', '.', '--format', 'json'], { cwd: dir }).stdout);
    expect(report.summary.files).toBe(1);
    expect([...new Set(report.findings.map((f: { file: string }) => f.file))]).toEqual(['linked.conf']);
  });

  it('lists skipped files with --verbose', () => {
    const dir = project({ 'nginx.conf': NGINX, 'notes.txt': 'not a config' });
    const run = runCli(['check', dir, '--verbose'], { cwd: dir });
    expect(run.stderr).toMatch(/skipped notes\.txt: not a known config format/);
  });

  it('colours the table only when asked (FORCE_COLOR) and never with NO_COLOR', () => {
    const dir = project({ 'nginx.conf': NGINX });
    expect(runCli(['check', dir]).stdout).not.toMatch(/\u001b\[/);
    expect(runCli(['check', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toMatch(/\u001b\[/);
  });
});

describe('suppression and baseline', () => {
  it('honours an inline session-audit-ignore comment on the line before or the same line', () => {
    const dir = project({
      'nginx.conf': `upstream a {\n    # session-audit-ignore sticky-session, client-ip-affinity: legacy app, removal tracked in OPS-12\n    ip_hash;\n}\nupstream b {\n    ip_hash; # session-audit-ignore client-ip-affinity: ok\n}\n`,
    });
    const report = JSON.parse(runCli(['check', dir, '--format', 'json']).stdout);
    expect(report.findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}@${f.line}`)).toEqual(['sticky-session@6']);
    expect(report.summary.suppressed).toBe(3);
  });

  it('honours the session-audit.io/ignore annotation on a Kubernetes resource', () => {
    const service = (name: string, annotations: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${annotations}spec:\n  selector:\n    app: ${name}\n  sessionAffinity: ClientIP\n`;
    const dir = project({
      'services.yaml': [
        service('legacy', '  annotations:\n    session-audit.io/ignore: "sticky-session, client-ip-affinity"\n'),
        service('web', '  annotations:\n    session-audit.io/ignore: client-ip-affinity\n'),
      ].join('---\n'),
    });
    const report = JSON.parse(runCli(['check', '.', '--format', 'json'], { cwd: dir }).stdout);
    expect(report.findings.map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message.split(' pins')[0]}`)).toEqual([
      'sticky-session: Service default/web',
    ]);
    expect(report.summary.suppressed).toBe(3);
  });

  it('keys the baseline on file + resource + rule, so edits above a finding do not resurface it', () => {
    const dir = project({ 'nginx.conf': NGINX });
    const baseline = path.join(dir, 'baseline.json');
    const written = runCli(['check', '.', '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(written.status).toBe(0);
    expect(written.stderr).toMatch(/wrote 2 findings to baseline baseline\.json/);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings).toHaveLength(2);

    writeFileSync(path.join(dir, 'nginx.conf'), `# a comment\n\n# and another\n${NGINX}`);
    const again = runCli(['check', '.', '--baseline', 'baseline.json', '--format', 'json'], { cwd: dir });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).summary).toMatchObject({ findings: 0, baselined: 2 });

    writeFileSync(path.join(dir, 'nginx.conf'), `${NGINX}upstream other {\n    ip_hash;\n}\n`);
    const added = runCli(['check', '.', '--baseline', 'baseline.json', '--format', 'json'], { cwd: dir });
    expect(added.status).toBe(1);
    expect(JSON.parse(added.stdout).findings.map((f: { line: number }) => f.line)).toEqual([7, 7]);
  });

  it('rejects a baseline that is not one, with the file and line', () => {
    const dir = project({ 'nginx.conf': NGINX, 'bad.json': '{\n  "tool": "session-audit",\n  "findings": [,]\n}\n' });
    const run = runCli(['check', '.', '--baseline', 'bad.json'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^session-audit: bad\.json:3:\d+: baseline is not valid JSON\n$/);
    expect(existsSync(path.join(dir, 'nginx.conf'))).toBe(true);
  });
});

describe('session-audit rules / explain', () => {
  it('lists every rule', () => {
    const run = runCli(['rules', '--format', 'json']);
    expect(run.status).toBe(0);
    const ids = JSON.parse(run.stdout).rules.map((rule: { id: string }) => rule.id);
    expect(ids).toEqual(expect.arrayContaining(['sticky-session', 'sticky-cookie-lifetime', 'sticky-cookie-insecure', 'client-ip-affinity']));
  });

  it('explains a rule and rejects an unknown one', () => {
    const run = runCli(['explain', 'sticky-session']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/How to fix:/);
    const unknown = runCli(['explain', 'sticky']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^session-audit: unknown rule "sticky": did you mean/);
  });
});
