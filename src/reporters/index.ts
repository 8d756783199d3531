import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import { tableReporter } from './table.js';
import type { Reporter } from './types.js';

export const REPORTERS = {
  table: tableReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  markdown: markdownReporter,
  html: htmlReporter,
} satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof REPORTERS;
export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];
