import { runRules } from '../analysis/run-rules.js';
import { InputError } from '../errors.js';
import { countBySeverity, emptyModel, severityRank, type Finding, type Report } from '../model/index.js';
import { LogAnalyser, shownFile, type LogsSection } from '../logs/analyse.js';
import { readLogs as defaultReadLogs } from '../logs/read-logs.js';
import type { LogReadOptions, LogReadSummary, ReadLogs } from '../logs/record.js';
import { RULES } from '../rules/index.js';
import type { RuleOptions } from '../rules/types.js';
import { VERSION } from '../version.js';

export interface LogsOptions {
  /** Files as given ("-" for stdin). */
  inputs: string[];
  read: LogReadOptions;
  ruleOptions?: Partial<RuleOptions>;
  /** Ids tracked at once per kind (--max-tracked). */
  maxTracked?: number;
  /** Fingerprints of a baseline's findings, which are not reported. */
  accepted?: ReadonlySet<string>;
  /** The reader; the real one (src/logs/read-logs.ts) by default. Tests may pass their own. */
  readLogs?: ReadLogs;
}

export type LogsReport = Report & { logs: LogsSection };

export interface LogsResult {
  report: LogsReport;
  /** Things to tell the user on stderr. */
  notes: string[];
}

/** The log rules: only they see log nodes. */
const LOG_RULES = RULES.filter((rule) => rule.appliesTo.some((kind) => String(kind).startsWith('log-')));

export async function runLogs(options: LogsOptions): Promise<LogsResult> {
  const analyser = new LogAnalyser({ ruleOptions: options.ruleOptions, maxTracked: options.maxTracked });
  const readLogs = options.readLogs ?? defaultReadLogs;
  const summary: LogReadSummary = await readLogs(options.inputs, options.read, analyser.add);
  // An input none of whose lines could be read is not a log in that format: one clear line, exit 2.
  for (const input of summary.inputs) {
    if (input.skipped > 0 && input.parsed === 0) {
      const first = input.firstSkipped;
      throw new InputError(`not ${articled(input.format)} log: ${first?.reason ?? 'no line could be read'}${input.lines > 1 ? ` (nor any of its ${input.lines} lines)` : ''}`, shownFile(input.file), first?.line);
    }
  }
  // Nothing at all to read (empty files, a pipe that gave nothing): "no findings" would be a false all-clear.
  // One empty input among others (a fresh rotation) is only a note below.
  if (summary.inputs.length > 0 && summary.inputs.every((input) => input.parsed === 0)) {
    throw new InputError('no log lines to read (empty, or only blank lines)', shownFile(summary.inputs[0].file));
  }
  const { nodes, section } = analyser.finish(summary);
  const raw = runRules({ ...emptyModel(), logs: nodes }, LOG_RULES, analyser.options);
  const accepted = options.accepted ?? new Set<string>();
  const all = raw.map(({ finding }) => finding);
  const findings = all.filter((finding) => !accepted.has(finding.fingerprint)).sort(bySeverityThenPlace);
  const notes: string[] = [];
  for (const input of summary.inputs) {
    if (input.parsed === 0) notes.push(`${shownFile(input.file)}: no log lines (empty), nothing read`);
    if (input.skipped > 0) {
      const first = input.firstSkipped ? ` (first: line ${input.firstSkipped.line}: ${input.firstSkipped.reason})` : '';
      notes.push(`${shownFile(input.file)}: ${input.skipped.toLocaleString('en-US')} of ${input.lines.toLocaleString('en-US')} lines could not be read as ${input.format} and were skipped${first}`);
    }
  }
  if (section.tracking.evicted > 0) {
    notes.push(
      `${section.tracking.evicted.toLocaleString('en-US')} session ids and jtis (idle ones first, else the least recently seen) were dropped to stay within --max-tracked ${section.tracking.capacity.toLocaleString('en-US')}; findings already made are kept`,
    );
  }
  if (section.requests > 0 && section.inputs.every((input) => input.withSession === 0 && input.withJti === 0)) {
    notes.push('no session id or token was found in the logs: give --session-cookie NAME (or --field session=...) for the session rules');
  }
  return {
    report: {
      tool: { name: 'session-audit', version: VERSION },
      findings,
      summary: {
        files: summary.inputs.length,
        findings: findings.length,
        bySeverity: countBySeverity(findings),
        suppressed: 0,
        baselined: all.length - findings.length,
        errors: 0,
      },
      errors: [],
      logs: section,
    },
    notes,
  };
}


const articled = (format: string) => (/^[aeiou]/i.test(format) ? `an ${format}` : `a ${format}`);

function bySeverityThenPlace(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0)
  );
}
