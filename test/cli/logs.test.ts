import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';

// `session-audit logs` end to end through the built CLI, on the rule fixtures (real formats).

const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-logs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A rule fixture without its `# --flag value` directive lines, and the flags they name. */
function fixture(rel: string): { file: string; text: string; flags: string[] } {
  const lines = readFileSync(path.join(repoRoot, 'fixtures/rules', rel), 'utf8').split('\n');
  const flags: string[] = [];
  while (lines[0]?.startsWith('# --')) {
    const [, flag, value] = /^# (--[a-z-]+)(?: (.*))?$/.exec(lines.shift()!)!;
    flags.push(flag, ...(value === undefined ? [] : [value]));
  }
  const text = lines.join('\n');
  const file = path.join(dir, path.basename(rel));
  writeFileSync(file, text);
  return { file, text, flags };
}

describe('session-audit logs', () => {
  it('reports a per-node logout storm with a terminal timeline, exit 1', () => {
    const { file, flags } = fixture('logout-storm/after-deploy.log');
    const run = runCli(['logs', file, ...flags]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('Requests per node, one column = 1m');
    expect(run.stdout).toMatch(/10\.0\.1\.13:8080 +│ +[▁▂▃▄▅▆▇█]+│/);
    expect(run.stdout).toContain('logout-storm');
    expect(run.stdout).toContain('started serving');
    expect(run.stdout).not.toMatch(/\u001b\[/); // no colour in a pipe
  });

  it('prints the JSON report: findings with file and line, and the logs section; never a session id', () => {
    const { file, text, flags } = fixture('session-reuse-many-ips/stolen-session.log');
    const run = runCli(['logs', file, ...flags, '--format', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.tool.name).toBe('session-audit');
    const [finding] = report.findings;
    expect(finding).toMatchObject({ ruleId: 'session-reuse-many-ips', category: 'token', file });
    expect(finding.line).toBeGreaterThan(0);
    expect(report.logs.inputs).toEqual([expect.objectContaining({ file, format: 'nginx', parsed: 65, skipped: 0, withSession: 65 })]);
    expect(report.logs.timeline).toMatchObject({ bucketSeconds: 60, buckets: expect.any(Number) });
    expect(report.logs.timeline.nodes.length).toBeGreaterThan(0);
    for (const sid of new Set([...text.matchAll(/sid=([0-9a-f]{32})/g)].map((match) => match[1]))) expect(run.stdout).not.toContain(sid);
  });

  it('reads stdin and gzip', () => {
    const { file, text, flags } = fixture('session-hops-nodes/per-node-sessions.log');
    const fromStdin = runCli(['logs', '-', ...flags, '--format', 'json'], { input: text });
    expect(fromStdin.status, fromStdin.stderr).toBe(1);
    expect(JSON.parse(fromStdin.stdout).findings[0]).toMatchObject({ ruleId: 'session-hops-nodes', severity: 'high' });
    // stdin is named "stdin" in findings and the report, not "-".
    expect(JSON.parse(fromStdin.stdout).findings[0]).toMatchObject({ file: 'stdin' });
    expect(JSON.parse(fromStdin.stdout).logs.inputs).toEqual([expect.objectContaining({ file: 'stdin', parsed: expect.any(Number) })]);
    expect(fromStdin.stdout).not.toMatch(/"-:\d+|\b-:\d+: session/);
    writeFileSync(`${file}.gz`, gzipSync(text));
    const gz = runCli(['logs', `${file}.gz`, ...flags, '--format', 'json']);
    expect(JSON.parse(gz.stdout).findings[0]).toMatchObject({ ruleId: 'session-hops-nodes', file: `${file}.gz` });
  });

  it('says harmless or fatal for hops, as --sessions says', () => {
    const { file, flags } = fixture('session-hops-nodes/shared-store.log');
    const auto = JSON.parse(runCli(['logs', file, ...flags, '--format', 'json']).stdout);
    expect(auto.findings[0]).toMatchObject({ severity: 'info' });
    expect(auto.findings[0].message).toContain('harmless');
    const local = runCli(['logs', file, ...flags, '--sessions', 'local', '--format', 'json']);
    expect(local.status).toBe(1);
    expect(JSON.parse(local.stdout).findings[0].message).toContain('fatal');
  });

  it('exits 0 on clean logs', () => {
    const { file, flags } = fixture('session-hops-nodes/sticky.ok.log');
    const run = runCli(['logs', file, ...flags]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('No findings in 1 log input (72 requests).');
  });

  it('writes an HTML page with an SVG timeline, names escaped', () => {
    const lines = Array.from({ length: 30 }, (_, index) =>
      JSON.stringify({
        time: Date.UTC(2026, 0, 5, 10, index % 7) ,
        level: 30,
        msg: 'request completed',
        hostname: index % 2 ? '<script>alert(1)</script>' : 'api-1',
        req: { method: 'GET', url: '/api/orders', remoteAddress: `198.51.100.${index}` },
        res: { statusCode: index % 5 === 0 ? 401 : 200 },
      }),
    );
    const file = path.join(dir, 'app.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = path.join(dir, 'logs.html');
    const run = runCli(['logs', file, '--format', 'html', '--output', out]);
    expect(run.status, run.stderr).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain('<svg class="timeline-chart"');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect(page.match(/<g class="series"/g)).toHaveLength(2);
  });

  it('fails with one line and exit 2 on a file that is not a log, and on bad flags', () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'hello\nthis is not a log\n');
    const bad = runCli(['logs', file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^session-audit: .*notes\.txt:1: /);
    const flag = runCli(['logs', file, '--max-ips', '0']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe('session-audit: --max-ips: expected a whole number of at least 1 (got "0")\n');
    // A threshold the per-session sets (32 values) could never cross is refused, not silently never met.
    const high = runCli(['logs', file, '--max-ips', '40']);
    expect(high.status).toBe(2);
    expect(high.stderr).toMatch(/^session-audit: --max-ips: at most 28 /);
    expect(runCli(['logs', file, '--max-user-agents', '29']).status).toBe(2);
    const missing = runCli(['logs', path.join(dir, 'nope.log')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an empty input (nothing read is no all-clear): one line, exit 2; one empty input among others is a note', () => {
    const empty = path.join(dir, 'empty.log');
    writeFileSync(empty, '');
    const run = runCli(['logs', empty]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^session-audit: .*empty\.log: no log lines to read/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    const blank = runCli(['logs', '-'], { input: '\n  \n' });
    expect(blank.status).toBe(2);
    expect(blank.stderr).toMatch(/^session-audit: stdin: no log lines to read/);
    const { file, flags } = fixture('auth-failures-on-one-node/stale-signing-key.log');
    const mixed = runCli(['logs', empty, file, ...flags, '--fail-on', 'none']);
    expect(mixed.status).toBe(0);
    expect(mixed.stderr).toContain('empty.log: no log lines (empty), nothing read');
  });

  it('reports an Apache LogFormat given as --nginx-format as apache', () => {
    const file = path.join(dir, 'apache.log');
    writeFileSync(file, '10.0.0.1 - - [05/Jan/2026:10:00:00 +0000] "GET /app HTTP/1.1" 200 5 http://app1:8080 -\n');
    const run = runCli(['logs', file, '--nginx-format', 'LogFormat "%h %l %u %t \\"%r\\" %>s %b %{BALANCER_WORKER_NAME}e %{UNIQUE_ID}e" balanced', '--format', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.logs.inputs[0]).toMatchObject({ format: 'apache', parsed: 1, withNode: 1 });
    expect(report.findings[0].message).toContain('the apache format logs one');
  });

  it('--fail-on none exits 0 with findings', () => {
    const { file, flags } = fixture('auth-failures-on-one-node/stale-signing-key.log');
    const run = runCli(['logs', file, ...flags, '--fail-on', 'none', '--format', 'markdown']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('auth-failures-on-one-node');
  });
});

describe('the demo access log (README)', () => {
  it('shows the storefront sessions failing on the replicas that never saw them', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const format = /logs fixtures\/demo\/logs\/access\.log \\\n\s+--nginx-format '([^']+)'/.exec(readme)?.[1];
    expect(format, 'the README shows the demo command').toBeDefined();
    // The same log_format as the demo's nginx.conf.
    const conf = readFileSync(path.join(repoRoot, 'fixtures/demo/deploy/nginx/nginx.conf'), 'utf8');
    const pieces = [...conf.slice(conf.indexOf('log_format upstream')).split(';')[0].matchAll(/'([^']*)'/g)].map((m) => m[1]).join('');
    expect(pieces).toBe(format);
    const run = runCli(['logs', 'fixtures/demo/logs/access.log', '--nginx-format', format!, '--format', 'json'], { cwd: repoRoot });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const findings = JSON.parse(run.stdout).findings as Array<{ ruleId: string; severity: string; message: string; file: string; line: number }>;
    expect(findings.map((finding) => finding.ruleId)).toEqual(['session-hops-nodes']);
    expect(findings[0]).toMatchObject({ severity: 'high', file: 'fixtures/demo/logs/access.log' });
    expect(findings[0].message).toMatch(/fatal: sessions are per node/);
    // Every text format says what was read: log inputs, not config files.
    const markdown = runCli(['logs', 'fixtures/demo/logs/access.log', '--nginx-format', format!, '--format', 'markdown'], { cwd: repoRoot });
    expect(markdown.stdout).toContain('**1 finding** (1 high) in 1 log input (380 requests).');
  });
});
