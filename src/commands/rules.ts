import { Chalk } from 'chalk';
import { UsageError } from '../errors.js';
import { renderBoxTable } from '../reporters/box-table.js';
import { RULES, findRule } from '../rules/index.js';

export function listRules(format: 'table' | 'json', color: boolean): string {
  if (format === 'json') {
    const rules = RULES.map(({ id, category, severity, docs }) => ({ id, category, severity, ...docs }));
    return `${JSON.stringify({ rules }, null, 2)}\n`;
  }
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const table = renderBoxTable(
    RULES.map((rule) => [[{ text: rule.id, style: (line: string) => chalk.bold(line) }], rule.severity, rule.category, rule.docs.summary]),
    {
      widths: [28, 10, 16, 62],
      head: ['Rule', 'Severity', 'Category', 'Summary'],
      headStyle: (text) => chalk.bold(text),
      borderStyle: (text) => chalk.gray(text),
    },
  );
  return `${table}\nRun "session-audit explain RULE" for a rule's rationale and fix.\n`;
}

export function explainRule(id: string): string {
  const rule = findRule(id);
  if (!rule) {
    const close = RULES.filter((candidate) => candidate.id.includes(id) || id.includes(candidate.id)).map((r) => r.id);
    const hint = close.length ? `did you mean ${close.join(', ')}?` : 'run "session-audit rules" for the list';
    throw new UsageError(`unknown rule "${id}": ${hint}`);
  }
  return [
    `${rule.id} (${rule.severity}, category ${rule.category})`,
    '',
    rule.docs.summary,
    '',
    'Why it matters:',
    `  ${rule.docs.rationale}`,
    '',
    'How to fix:',
    `  ${rule.docs.fix}`,
    '',
    rule.category === 'token'
      ? 'Token findings are judged per token: leave a token out of the batch, or raise --fail-on, to accept one.'
      : `Suppress one finding with a comment on the line before it: session-audit-ignore ${rule.id}: <reason>`,
    '',
  ].join('\n');
}
