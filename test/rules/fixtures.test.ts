import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runLogs } from '../../src/commands/logs.js';
import { logsSettings, type LogsSettingsFlags } from '../../src/cli-logs.js';
import { runRules } from '../../src/analysis/run-rules.js';
import { emptyModel, type Finding } from '../../src/model/index.js';
import { RULES } from '../../src/rules/index.js';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../../src/rules/types.js';
import { analyseSnapshot, type StoreSnapshot } from '../../src/stores/snapshot.js';
import { auditTokens } from '../../src/tokens/audit.js';
import { parseAlgList, parseNow } from '../../src/tokens/audit-flags.js';
import { decodeToken } from '../../src/tokens/decode.js';
import { parseDuration } from '../../src/util/duration.js';
import { repoRoot } from '../support/parse.js';

// Every fixture in fixtures/rules/<rule-id>/ must make that rule fire; every `.ok.` fixture must not.
// A fixture that fails to parse fails the test: fixtures are real syntax. A folder fixture is a small
// system (compose, proxy config, app code) checked as a whole, for the rules that link files. `*.store.json` fixtures are
// store snapshots (what scan reads from a live store), run through the same analysis as a live scan.
// `*.jwt` fixtures hold one token (JWS or JWE) on a line of its own, run through `token audit`'s analysis
// (auditTokens). Lines starting with `#` before it are comments, except `# --FLAG VALUE` directives, which
// set what the `token audit` flag of that name would: `--now` (ISO 8601 or epoch seconds; default
// 2026-01-01T00:00:00Z, so fixtures never go stale), `--alg RS256,ES256`, `--max-lifetime 30m`,
// `--secret VALUE` (the rest of the line), `--show-secret`. An unknown directive fails the test.
// `*.log` / `*.jsonl` fixtures are access or app logs in a real format, run through the real readers and
// `session-audit logs`' analysis. Leading `# --FLAG VALUE` lines set that `logs` flag (--nginx-format takes
// the rest of the line, --field and the thresholds too) and are stripped before reading; findings must then
// point at the fixture's own lines. A `.ok.` log fixture must raise nothing at all (clean logs).

async function configFindings(file: string, ruleId: string, name: string): Promise<Finding[]> {
  const { report } = await runCheck({ paths: [path.join(repoRoot, file)] });
  expect(report.errors).toEqual([]);
  if (isFolder(file)) expect(report.summary.files, `nothing in ${name} is recognised`).toBeGreaterThan(0);
  else expect(report.summary.files, `${name} is not recognised as any config format`).toBe(1);
  return report.findings.filter((finding) => finding.ruleId === ruleId);
}

/** A folder fixture is a small system (compose + proxy + app code) for the rules that link files. */
const isFolder = (file: string) => statSync(path.join(repoRoot, file)).isDirectory();

function storeFindings(file: string, ruleId: string): Finding[] {
  const snapshot = JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as StoreSnapshot;
  const { namespaces, facts } = analyseSnapshot(snapshot);
  const raw = runRules({ ...emptyModel(), namespaces, stores: [facts] }, RULES, DEFAULT_RULE_OPTIONS);
  return raw.map(({ finding }) => finding).filter((finding) => finding.ruleId === ruleId);
}
/** The default --now of token fixtures: a fixed instant, so time-based verdicts never change. */
const FIXTURE_NOW = '2026-01-01T00:00:00Z';

async function tokenFindings(file: string, ruleId: string): Promise<Finding[]> {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split(/\r?\n/);
  let now = parseNow(FIXTURE_NOW);
  const ruleOptions: Partial<RuleOptions> = {};
  let secret: Buffer | undefined;
  let token: { raw: string; line: number } | undefined;
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      const directive = /^#\s*--([a-z-]+)(?:\s+(.*))?$/.exec(text);
      if (!directive) return;
      const [, flag, value = ''] = directive;
      if (flag === 'now') now = parseNow(value);
      else if (flag === 'alg') ruleOptions.tokenAlgs = parseAlgList(value);
      else if (flag === 'max-lifetime') ruleOptions.tokenMaxLifetime = parseDuration(value) ?? Number.NaN;
      else if (flag === 'secret') secret = Buffer.from(value, 'utf8');
      else if (flag === 'show-secret') ruleOptions.tokenShowSecret = true;
      else throw new Error(`${file}:${index + 1}: unknown directive --${flag}`);
      return;
    }
    if (token) throw new Error(`${file}:${index + 1}: a token fixture holds one token`);
    token = { raw: text.trim(), line: index + 1 };
  });
  if (!token) throw new Error(`${file}: no token`);
  const shown = file.split(path.sep).join('/');
  const decoded = decodeToken(token.raw, { source: shown, location: { file: shown, line: token.line, column: 1 }, now });
  const findings = await auditTokens([decoded], { ruleOptions, secret });
  for (const finding of findings) expect(finding.category).toBe('token');
  return findings.filter((finding) => finding.ruleId === ruleId);
}

const LOG_FLAGS: Record<string, keyof LogsSettingsFlags> = {
  'log-format': 'logFormat',
  'nginx-format': 'nginxFormat',
  'session-cookie': 'sessionCookie',
  'max-ips': 'maxIps',
  'max-user-agents': 'maxUserAgents',
  window: 'window',
  sessions: 'sessions',
  'min-failures': 'minFailures',
  'failure-factor': 'failureFactor',
  'storm-min': 'stormMin',
  'storm-factor': 'stormFactor',
  'max-tracked': 'maxTracked',
};

const isLogFixture = (name: string) => name.endsWith('.log') || name.endsWith('.jsonl');

/** All the findings of a log fixture (every log rule), with its directive lines stripped before reading. */
async function logFindings(file: string): Promise<Finding[]> {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const flags: Partial<LogsSettingsFlags> & { field?: string[] } = {};
  let skip = 0;
  for (; skip < lines.length && lines[skip].startsWith('#'); skip++) {
    const directive = /^#\s*--([a-z-]+)(?:\s+(.*))?$/.exec(lines[skip]);
    if (!directive) continue;
    const [, flag, value = ''] = directive;
    if (flag === 'field') flags.field = [...(flags.field ?? []), value];
    else if (LOG_FLAGS[flag]) (flags as Record<string, string>)[LOG_FLAGS[flag]] = value;
    else throw new Error(`${file}:${skip + 1}: unknown directive --${flag}`);
  }
  const shown = file.split(path.sep).join('/');
  const dir = mkdtempSync(path.join(tmpdir(), 'session-audit-log-fixture-'));
  const copy = path.join(dir, path.basename(file));
  try {
    writeFileSync(copy, lines.slice(skip).join('\n'));
    const { read, ruleOptions, maxTracked } = await logsSettings(flags);
    const { report } = await runLogs({ inputs: [copy], read, ruleOptions, maxTracked });
    expect(report.logs.inputs[0].parsed, `${shown}: no line was read`).toBeGreaterThan(0);
    expect(report.logs.inputs[0].skipped, `${shown}: lines were skipped`).toBe(0);
    return report.findings.map((finding) => {
      const text = JSON.stringify(finding).split(copy).join(shown);
      const moved = JSON.parse(text) as Finding;
      return { ...moved, line: moved.line === null ? null : moved.line + skip };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const rule of RULES) {
  const folder = path.join('fixtures/rules', rule.id);
  if (!existsSync(path.join(repoRoot, folder))) continue;
  describe(`${rule.id} fixtures`, () => {
    for (const name of readdirSync(path.join(repoRoot, folder)).sort()) {
      const file = path.join(folder, name);
      const mustFire = !name.includes('.ok.');
      it(`${name} ${mustFire ? 'fires' : 'does not fire'}`, async () => {
        if (isLogFixture(name)) {
          const all = await logFindings(file);
          const shown = file.split(path.sep).join('/');
          if (mustFire) {
            const fired = all.filter((finding) => finding.ruleId === rule.id);
            expect(fired.length, `${rule.id} did not fire`).toBeGreaterThan(0);
            for (const finding of fired) {
              expect(finding.file).toBe(shown);
              expect(finding.line).toBeGreaterThan(0);
              expect(finding.category).toBe(rule.category);
            }
          } else {
            expect(all.map((finding) => `${finding.ruleId} ${finding.line}: ${finding.message}`)).toEqual([]);
          }
          return;
        }
        const fired = name.endsWith('.store.json')
          ? storeFindings(file, rule.id)
          : name.endsWith('.jwt')
            ? await tokenFindings(file, rule.id)
            : await configFindings(file, rule.id, name);
        if (mustFire) {
          expect(fired.length, `${rule.id} did not fire`).toBeGreaterThan(0);
          for (const finding of fired) {
            if (finding.source !== null) continue; // a live-store finding names its store, not a file
            expect(finding.line).toBeGreaterThan(0);
            const shown = file.split(path.sep).join('/');
            if (isFolder(file)) expect(finding.file!.startsWith(`${shown}/`)).toBe(true);
            else expect(finding.file).toBe(shown);
          }
        } else {
          expect(fired.map((finding) => `${finding.line}: ${finding.message}`)).toEqual([]);
        }
      });
    }
  });
}
