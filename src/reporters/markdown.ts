import { hasMap } from './map-common.js';
import { mermaidOf } from './mermaid.js';
import type { Reporter } from './types.js';
import { whereOf } from './table.js';
import { scopeOf } from './scope.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
/** Prose from config files: markup in it (a `<script>` in a name) must show as text, not be rendered. */
const prose = (text: string) => cell(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));

/** For PR comments and job summaries ($GITHUB_STEP_SUMMARY); GitHub renders the ```mermaid map. */
export const markdownReporter: Reporter = (report) => {
  const { summary } = report;
  const lines = ['## session-audit', ''];
  const mapSection = hasMap(report.map) ? ['### Session map', '', '```mermaid', mermaidOf(report.map).trimEnd(), '```', ''] : [];
  if (summary.findings === 0) {
    lines.push(`No findings in ${scopeOf(report)}.`);
    if (mapSection.length > 0) lines.push('', ...mapSection);
  } else {
    const counts = Object.entries(summary.bySeverity)
      .map(([severity, count]) => `${count} ${severity}`)
      .join(', ');
    lines.push(`**${summary.findings} finding${summary.findings === 1 ? '' : 's'}** (${counts}) in ${scopeOf(report)}.`, '');
    lines.push(...mapSection);
    if (mapSection.length > 0) lines.push('### Findings', '');
    lines.push('| Severity | Rule | Where | Finding |', '|---|---|---|---|');
    for (const finding of report.findings) {
      lines.push(`| ${finding.severity} | \`${cell(finding.ruleId)}\` | \`${cell(whereOf(finding))}\` | ${prose(finding.message)} |`);
    }
  }
  if (report.errors.length > 0) {
    lines.push('', '### Files that could not be parsed', '');
    for (const problem of report.errors) {
      const where = [problem.file, problem.line, problem.column].filter((part) => part !== null).join(':');
      lines.push(`- \`${cell(where)}\`: ${prose(problem.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
};
