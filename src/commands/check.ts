import { baselineOf, type BaselineFile } from '../analysis/baseline.js';
import { discoverFiles } from '../analysis/discover.js';
import { parseFiles } from '../analysis/parse-files.js';
import { runRules } from '../analysis/run-rules.js';
import { applyInlineSuppressions, lineCache } from '../analysis/suppress.js';
import { countBySeverity, emptyModel, severityRank, type Finding, type Report } from '../model/index.js';
import { linkSystem, type LinkedSystem } from '../map/link.js';
import { RULES } from '../rules/index.js';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from '../rules/types.js';
import { VERSION } from '../version.js';

export interface CheckOptions {
  paths: string[];
  ruleOptions?: Partial<RuleOptions>;
  /** Fingerprints of a baseline's findings, which are not reported. */
  accepted?: ReadonlySet<string>;
}

export interface CheckResult {
  report: Report;
  /** Files in no known format, for --verbose. */
  skipped: string[];
  /** A baseline of every finding reported (after inline suppressions), for --write-baseline. */
  baseline: BaselineFile;
  /** The files linked into one system, for scan's map. */
  system: LinkedSystem;
}

export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const accepted = options.accepted ?? new Set<string>();
  const files = discoverFiles(options.paths.length > 0 ? options.paths : ['.']);
  const parsed = parseFiles(files);
  const system = linkSystem(parsed);
  const raw = runRules(
    { ...emptyModel(), affinities: parsed.affinities, sessionConfigs: parsed.sessionConfigs, routes: system.routes },
    RULES,
    { ...DEFAULT_RULE_OPTIONS, ...options.ruleOptions },
  );
  const { kept: suppressionsApplied, suppressed } = applyInlineSuppressions(raw, lineCache(parsed.linesByFile));
  // Duplicates go before the baseline: they must neither count as baselined nor be written to one.
  const kept = onePerPlace(suppressionsApplied);
  const findings = kept.filter((finding) => !accepted.has(finding.fingerprint)).sort(byLocation);
  return {
    report: {
      tool: { name: 'session-audit', version: VERSION },
      findings,
      summary: {
        files: parsed.checked.length,
        findings: findings.length,
        bySeverity: countBySeverity(findings),
        suppressed: suppressed.length,
        baselined: kept.length - findings.length,
        errors: parsed.problems.length,
      },
      errors: parsed.problems,
    },
    skipped: parsed.skipped,
    baseline: baselineOf(kept),
    system,
  };
}


function byLocation(a: Finding, b: Finding): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/**
 * One finding per rule, line and message: a settings module that star-imports another (Django's
 * production.py from base.py) carries the base file's lines, which the base file reports too.
 */
function onePerPlace(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}\0${finding.file}\0${finding.line}\0${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
