import type { Severity } from '../model/index.js';
import type { Reporter } from './types.js';

// GitHub Actions workflow commands:
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#setting-a-warning-message
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'warning',
  info: 'notice',
};

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const githubReporter: Reporter = (report) => {
  const lines: string[] = [];
  for (const finding of report.findings) {
    const properties = [
      finding.file ? `file=${escapeProperty(finding.file)}` : null,
      finding.line ? `line=${finding.line}` : null,
      finding.column ? `col=${finding.column}` : null,
      `title=${escapeProperty(`session-audit ${finding.ruleId} (${finding.severity})`)}`,
    ].filter(Boolean);
    lines.push(`::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`);
  }
  for (const problem of report.errors) {
    const properties = [
      problem.file ? `file=${escapeProperty(problem.file)}` : null,
      problem.line ? `line=${problem.line}` : null,
      problem.column ? `col=${problem.column}` : null,
      'title=session-audit parse error',
    ].filter(Boolean);
    lines.push(`::error ${properties.join(',')}::${escapeData(problem.message)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
};
