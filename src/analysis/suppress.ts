import { readFileSync } from 'node:fs';
import type { Finding } from '../model/index.js';
import type { RawFinding } from './run-rules.js';

/**
 * `session-audit-ignore RULE-ID[, RULE-ID...]: reason` in a comment on the finding's line or the line before.
 * Any comment syntax works (#, //, /* *\/, <!-- -->): the marker is looked for in the raw line.
 */
const INLINE_MARKER = /session-audit-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/i;

export interface SuppressionResult {
  kept: Finding[];
  suppressed: Finding[];
}

export function applyInlineSuppressions(raw: RawFinding[], linesOf: (file: string) => string[] | undefined): SuppressionResult {
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const { finding, node } of raw) {
    const ignoredHere = (node.kind === 'affinity' ? node.ignoredRules : undefined) ?? [];
    if (ignoredHere.includes(finding.ruleId) || ignoredHere.includes('all') || inlineIgnores(finding, linesOf)) {
      suppressed.push(finding);
    } else {
      kept.push(finding);
    }
  }
  return { kept, suppressed };
}

function inlineIgnores(finding: Finding, linesOf: (file: string) => string[] | undefined): boolean {
  if (finding.file === null || finding.line === null) return false;
  const lines = linesOf(finding.file);
  if (!lines) return false;
  for (const index of [finding.line - 1, finding.line - 2]) {
    const match = INLINE_MARKER.exec(lines[index] ?? '');
    if (!match) continue;
    const ids = match[1].split(',').map((id) => id.trim().toLowerCase());
    if (ids.includes(finding.ruleId) || ids.includes('all')) return true;
  }
  return false;
}

/** Lines of files by shown path, read once; included files that were not walked are read on demand. */
export function lineCache(initial: Map<string, string[]>): (file: string) => string[] | undefined {
  return (file) => {
    if (!initial.has(file)) {
      try {
        initial.set(file, readFileSync(file, 'utf8').split(/\r?\n/));
      } catch {
        return undefined;
      }
    }
    return initial.get(file);
  };
}
