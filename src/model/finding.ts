import type { Location } from './location.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'sticky-session',
  'session-store',
  'session-ttl',
  'token',
  'cookie',
  'transport',
  'access-control',
  'revocation',
  'observability',
  'config-error',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Rank for comparisons: higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** Findings per severity, worst first (the report summary's `bySeverity`). One pass, no sort of the findings. */
export function countBySeverity(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {};
  for (const severity of SEVERITIES) counts[severity] = 0;
  for (const finding of findings) counts[finding.severity]!++;
  for (const severity of SEVERITIES) if (counts[severity] === 0) delete counts[severity];
  return counts;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** One finding, in the shape of the JSON report contract (shared/DESIGN.md). */
export interface Finding {
  ruleId: string;
  severity: Severity;
  category: Category;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  /** The store URL (password removed) for findings about a live store. */
  source: string | null;
  evidence: string | null;
  fix: string;
  /** What the finding is about, stable across edits: keys the baseline, not the line. */
  resource: string;
  /** Stable hash of file + resource + rule (+ occurrence), for baselines and SARIF. */
  fingerprint: string;
}

export function locationOf(finding: Finding): Location | null {
  if (finding.file === null || finding.line === null) return null;
  return { file: finding.file, line: finding.line, column: finding.column ?? 1 };
}
