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

/** Fit the terminal (or 120 columns in a pipe): Severity and Rule fixed, Where as wide as it needs up to a share. */
function columnWidths(findings: Finding[], width: number): number[] {
  const severity = 10;
  const rule = Math.max(...findings.map((finding) => finding.ruleId.length)) + 2;
  const where = Math.min(Math.max(...findings.map((finding) => whereOf(finding).length)) + 2, Math.floor(width * 0.35));
  const message = Math.max(30, width - severity - rule - where - 5);
  return [severity, rule, where, message];
}

export const tableReporter: Reporter = (report, { color, width = 120 }) => {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const widths = columnWidths(report.findings, width);
    const table = new Table({
      head: ['Severity', 'Rule', 'Where', 'Finding'],
      style: { head: color ? ['bold'] : [], border: color ? ['gray'] : [] },
      colWidths: widths,
      wordWrap: true,
    });
    for (const finding of report.findings) {
      table.push([
        SEVERITY_STYLE[finding.severity](chalk)(finding.severity),
        finding.ruleId,
        wrapPath(whereOf(finding), widths[2] - 2),
        breakLongWords(finding.message, widths[3] - 2) +
          (finding.evidence ? `\n${chalk.dim(breakLongWords(finding.evidence, widths[3] - 2))}` : ''),
      ]);
    }
    lines.push(table.toString());
  }
  lines.push(summaryLine(report, chalk));
  return `${lines.join('\n')}\n`;
};

/** Paths have no spaces to wrap at: break them after a `/` (then a `.`, then anywhere) so the line number stays visible. */
function wrapPath(text: string, width: number): string {
  const pieces = text.split(/(?<=\/)/).flatMap((part) => (part.length > width ? part.split(/(?<=\.)/) : [part]));
  const lines: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current.length + piece.length > width && current) {
      lines.push(current);
      current = '';
    }
    current += piece;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current) lines.push(current);
  return lines.join('\n');
}

/** The table wraps at spaces and cuts a longer word with "…"; break such words (label keys, URLs) first. */
function breakLongWords(text: string, width: number): string {
  return text.replace(/\S+/g, (word) => (word.length > width ? wrapPath(word, width) : word));
}

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
