import { Chalk, type ChalkInstance } from 'chalk';
import type { BatchSummary, TokenAuditReport, TokenSummary } from '../commands/token-audit.js';
import type { Finding, Severity } from '../model/index.js';
import { renderBoxTable } from '../reporters/box-table.js';
import { SEVERITY_STYLE } from '../reporters/table.js';

/**
 * `token audit`'s table and markdown output. The shared reporters speak of config files ("in 0 config
 * files"); a token report names the token (single) or the token counts (--batch) instead.
 */


export const isBatch = (section: TokenSummary | BatchSummary): section is BatchSummary => 'withFindings' in section;

const whereOf = (finding: Finding) => (finding.file ? `${finding.file}:${finding.line}` : finding.source ?? '');

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

export function renderTokenTable(report: TokenAuditReport, { color, width = 120 }: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  const section = report.token;
  const batch = isBatch(section);
  if (!batch) {
    lines.push(
      chalk.bold(`Token from ${section.source}: ${section.form.toUpperCase()}, ${section.size} bytes`),
      `  header  ${cut(JSON.stringify(section.header), width - 10)}`,
      `  claims  ${section.claims ? cut(JSON.stringify(section.claims), width - 10) : chalk.dim(section.form === 'jwe' ? '(encrypted)' : '(not a JSON object)')}`,
      '',
    );
  }
  if (report.findings.length > 0) {
    const severityWidth = 10;
    const ruleWidth = Math.max(...report.findings.map((finding) => finding.ruleId.length)) + 2;
    const whereWidth = batch ? Math.min(Math.max(...report.findings.map((finding) => whereOf(finding).length)) + 2, Math.floor(width * 0.3)) : 0;
    const messageWidth = Math.max(30, width - severityWidth - ruleWidth - whereWidth - (batch ? 5 : 4));
    const rows = report.findings.map((finding) => [
      [{ text: finding.severity, style: (line: string) => SEVERITY_STYLE[finding.severity](chalk)(line) }],
      finding.ruleId,
      ...(batch ? [whereOf(finding)] : []),
      [{ text: finding.message }, ...(finding.evidence ? [{ text: finding.evidence, style: (line: string) => chalk.dim(line) }] : [])],
    ]);
    lines.push(
      renderBoxTable(rows, {
        widths: batch ? [severityWidth, ruleWidth, whereWidth, messageWidth] : [severityWidth, ruleWidth, messageWidth],
        head: batch ? ['Severity', 'Rule', 'Where', 'Finding'] : ['Severity', 'Rule', 'Finding'],
        headStyle: (text) => chalk.bold(text),
        borderStyle: (text) => chalk.gray(text),
      }),
    );
  }
  if (batch && Object.keys(section.byRule).length > 0) {
    lines.push('', chalk.bold('By rule:'), ...Object.entries(section.byRule).map(([rule, count]) => `  ${String(count).padStart(7)}  ${rule}`));
  }
  lines.push(summaryLine(report, (severity, text) => SEVERITY_STYLE[severity](chalk)(text), chalk));
  return `${lines.join('\n')}\n`;
}

function summaryLine(report: TokenAuditReport, paint: (severity: Severity, text: string) => string, chalk?: ChalkInstance): string {
  const section = report.token;
  const what = isBatch(section)
    ? `${section.tokens} token${section.tokens === 1 ? '' : 's'} (${section.withFindings} with findings${section.linesWithoutToken ? `; ${section.linesWithoutToken} line${section.linesWithoutToken === 1 ? '' : 's'} without a token` : ''})`
    : '1 token';
  const errors = report.errors.length ? `; ${report.errors.length} token${report.errors.length === 1 ? '' : 's'} could not be decoded` : '';
  const red = (text: string) => (chalk ? chalk.red(text) : text);
  if (report.findings.length === 0) return `${chalk ? chalk.green('No findings') : 'No findings'} in ${what}${errors ? red(errors) : ''}.`;
  const counts = Object.entries(report.summary.bySeverity)
    .map(([severity, count]) => paint(severity as Severity, `${count} ${severity}`))
    .join(', ');
  return `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${counts}) in ${what}${errors ? red(errors) : ''}.`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** For PR comments and job summaries. */
export function renderTokenMarkdown(report: TokenAuditReport): string {
  const section = report.token;
  const batch = isBatch(section);
  const lines = ['## session-audit token audit', ''];
  if (!batch) {
    lines.push(`Token from ${section.source}: ${section.form.toUpperCase()}, ${section.size} bytes, \`alg\` ${cell(JSON.stringify(section.header.alg))}.`, '');
  }
  lines.push(summaryLine(report, (_severity, text) => text).replace(/^(\d+ findings?)/, '**$1**'));
  if (report.findings.length > 0) {
    lines.push('', batch ? '| Severity | Rule | Where | Finding |' : '| Severity | Rule | Finding |', batch ? '|---|---|---|---|' : '|---|---|---|');
    for (const finding of report.findings) {
      const where = batch ? ` \`${cell(whereOf(finding))}\` |` : '';
      lines.push(`| ${finding.severity} | \`${finding.ruleId}\` |${where} ${cell(finding.message)} |`);
    }
  }
  if (report.errors.length > 0) {
    lines.push('', '### Tokens that could not be decoded', '');
    for (const problem of report.errors) {
      const where = [problem.file, problem.line].filter((part) => part !== null).join(':');
      lines.push(`- ${where ? `\`${cell(where)}\`: ` : ''}${cell(problem.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
