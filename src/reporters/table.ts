import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Finding, Report, Severity } from '../model/index.js';
import type { Reporter } from './types.js';

const SEVERITY_STYLE: Record<Severity, (chalk: ChalkInstance) => ChalkInstance> = {
  critical: (c) => c.bgRed.white.bold,
  high: (c) => c.red.bold,
  medium: (c) => c.yellow,
  low: (c) => c.cyan,
  info: (c) => c.gray,
};

export const tableReporter: Reporter = (report, { color }) => {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const table = new Table({
      head: ['Severity', 'Rule', 'Where', 'Finding'],
      style: { head: color ? ['bold'] : [], border: color ? ['gray'] : [] },
      colWidths: [10, 24, 34, 60],
      wordWrap: true,
      wrapOnWordBoundary: false,
    });
    for (const finding of report.findings) {
      table.push([
        SEVERITY_STYLE[finding.severity](chalk)(finding.severity),
        finding.ruleId,
        whereOf(finding),
        finding.evidence ? `${finding.message}\n${chalk.dim(finding.evidence)}` : finding.message,
      ]);
    }
    lines.push(table.toString());
  }
  lines.push(summaryLine(report, chalk));
  return `${lines.join('\n')}\n`;
};

export function whereOf(finding: Finding): string {
  if (finding.file) return finding.line ? `${finding.file}:${finding.line}` : finding.file;
  return finding.source ?? '';
}

function summaryLine(report: Report, chalk: ChalkInstance): string {
  const { summary } = report;
  const files = `${summary.files} config file${summary.files === 1 ? '' : 's'}`;
  const extras = [
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    summary.baselined ? `${summary.baselined} in baseline` : '',
    summary.errors ? chalk.red(`${summary.errors} file${summary.errors === 1 ? '' : 's'} could not be parsed`) : '',
  ].filter(Boolean);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  if (summary.findings === 0) return `${chalk.green('No findings')} in ${files}${tail}.`;
  const counts = Object.entries(summary.bySeverity)
    .map(([severity, count]) => SEVERITY_STYLE[severity as Severity](chalk)(`${count} ${severity}`))
    .join(', ');
  return `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${counts}) in ${files}${tail}.`;
}
