import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding, Report, Severity } from '../model/index.js';
import type { ScanReport } from '../commands/scan.js';
import { renderBoxTable } from './box-table.js';
import { renderMapTree } from './map-tree.js';
import { renderStores } from './stores-table.js';
import { renderTimelineText } from './timeline-text.js';
import type { LogsSection } from '../logs/analyse.js';
import { scopeOf } from './scope.js';
import type { Reporter } from './types.js';

/** How each severity is coloured wherever findings are listed (this table, token audit's). */
export const SEVERITY_STYLE: Record<Severity, (chalk: ChalkInstance) => ChalkInstance> = {
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

export const tableReporter: Reporter = (report, { color, width = 120, verbose = false }) => {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  if (report.map && report.map.nodes.length > 0) lines.push(renderMapTree(report.map, { color, verbose }), '');
  const stores = (report as Partial<ScanReport>).stores;
  if (stores && stores.length > 0) lines.push(renderStores(stores, chalk, width), '');
  const logs = (report as { logs?: LogsSection }).logs;
  if (logs) {
    const chart = renderTimelineText(logs, { color, width });
    if (chart) lines.push(chart, '');
  }
  if (report.findings.length > 0) {
    const rows = report.findings.map((finding) => [
      [{ text: finding.severity, style: (line: string) => SEVERITY_STYLE[finding.severity](chalk)(line) }],
      finding.ruleId,
      whereOf(finding),
      [{ text: finding.message }, ...(finding.evidence ? [{ text: finding.evidence, style: (line: string) => chalk.dim(line) }] : [])],
    ]);
    lines.push(
      renderBoxTable(rows, {
        widths: columnWidths(report.findings, width),
        head: ['Severity', 'Rule', 'Where', 'Finding'],
        headStyle: (text) => chalk.bold(text),
        borderStyle: (text) => chalk.gray(text),
      }),
    );
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
  const stores = (report as Partial<ScanReport>).stores?.length ?? 0;
  const files = scopeOf(report);
  const extras = [
    summary.suppressed ? `${summary.suppressed} suppressed` : '',
    summary.baselined ? `${summary.baselined} in baseline` : '',
    summary.errors ? chalk.red(`${summary.errors} input${summary.errors === 1 ? '' : 's'} could not be read or parsed`) : '',
  ].filter(Boolean);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  if (summary.findings === 0 && summary.files === 0 && stores === 0 && summary.errors > 0) {
    return chalk.red(`Nothing was checked: ${summary.errors} input${summary.errors === 1 ? '' : 's'} could not be read or parsed.`);
  }
  if (summary.findings === 0) return `${chalk.green('No findings')} in ${files}${tail}.`;
  const counts = Object.entries(summary.bySeverity)
    .map(([severity, count]) => SEVERITY_STYLE[severity as Severity](chalk)(`${count} ${severity}`))
    .join(', ');
  return `${summary.findings} finding${summary.findings === 1 ? '' : 's'} (${counts}) in ${files}${tail}.`;
}
