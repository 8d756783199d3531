import type { Finding, Severity } from './finding.js';

export interface ReportProblem {
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
}

/** The JSON report contract of shared/DESIGN.md; commands add their own sections beside `findings`. */
export interface Report {
  tool: { name: 'session-audit'; version: string };
  findings: Finding[];
  summary: {
    /** Files recognised as a config format and checked. */
    files: number;
    findings: number;
    bySeverity: Partial<Record<Severity, number>>;
    /** Findings silenced by inline comments or annotations. */
    suppressed: number;
    /** Findings accepted by the baseline. */
    baselined: number;
    /** Files that could not be read or parsed (the exit code is then 2). */
    errors: number;
  };
  /** Files that could not be read or parsed, each with where and why. */
  errors: ReportProblem[];
}
