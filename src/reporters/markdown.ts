import type { Reporter } from './types.js';
import { whereOf } from './table.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

/** For PR comments and job summaries ($GITHUB_STEP_SUMMARY). */
export const markdownReporter: Reporter = (report) => {
  const { summary } = report;
  const lines = ['## session-audit', ''];
  if (summary.findings === 0) {
    lines.push(`No findings in ${summary.files} config files.`);
  } else {
    const counts = Object.entries(summary.bySeverity)
      .map(([severity, count]) => `${count} ${severity}`)
      .join(', ');
    lines.push(`**${summary.findings} findings** (${counts}) in ${summary.files} config files.`, '');
    lines.push('| Severity | Rule | Where | Finding |', '|---|---|---|---|');
    for (const finding of report.findings) {
      lines.push(`| ${finding.severity} | \`${finding.ruleId}\` | \`${cell(whereOf(finding))}\` | ${cell(finding.message)} |`);
    }
  }
  if (report.errors.length > 0) {
    lines.push('', '### Files that could not be parsed', '');
    for (const problem of report.errors) {
      const where = [problem.file, problem.line, problem.column].filter((part) => part !== null).join(':');
      lines.push(`- \`${cell(where)}\`: ${cell(problem.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
};
