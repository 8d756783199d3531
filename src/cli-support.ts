/** What every command's CLI wiring shares: exit codes, error lines, flags, report output, progress. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from './errors.js';
import { SEVERITIES, isSeverity, severityRank, type Report } from './model/index.js';
import type { ReporterOptions } from './reporters/types.js';

// Exit codes (shared/DESIGN.md): 0 clean, 1 findings at or above --fail-on, 2 could not do the job. Only
// cli.ts sets the process's exit code; command wiring reports its code through the setExit callback.
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export const FORMATS = ['table', 'json', 'sarif', 'github', 'markdown', 'html'] as const;

export function printError(message: string): void {
  process.stderr.write(`session-audit: ${message}\n`);
}

export function failOnThreshold(value: string): number {
  if (value === 'none') return Number.POSITIVE_INFINITY;
  if (!isSeverity(value)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none (got "${value}")`);
  return severityRank(value);
}

/** Exit code of a judged report: 2 when a file could not be parsed, else 1 when something reaches --fail-on. */
export function exitCodeOf(report: Report, failOn: string): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  const threshold = failOnThreshold(failOn);
  return report.findings.some((finding) => severityRank(finding.severity) >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}

/** A duration flag's value in seconds, or one clear usage line. */
export async function durationFlag(flag: string, value: string, examples: string): Promise<number> {
  const { parseDuration } = await import('./util/duration.js');
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0) throw new UsageError(`${flag}: not a duration: "${value}" (use e.g. ${examples})`);
  return seconds;
}

/** The options of every command that judges config files and prints a report (check, scan). */
export function withReportOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when a finding is at or above this severity (${SEVERITIES.join('|')}|none)`, 'low')
    .option('--baseline <file>', 'do not report findings listed in this baseline file')
    .option('--sticky-cookie-max-age <duration>', 'longest acceptable affinity cookie lifetime (sticky-cookie-lifetime)', '1d')
    .option('-v, --verbose', 'list the files skipped as in no known format, and why parts of the session map could not be linked');
}

export interface ReportOptions {
  format: (typeof FORMATS)[number];
  output?: string;
  failOn: string;
  baseline?: string;
  stickyCookieMaxAge: string;
  verbose?: boolean;
}

/** Checked before any work starts, so a typo costs nothing. */
export async function reportSettings(options: ReportOptions) {
  failOnThreshold(options.failOn);
  const stickyCookieMaxAge = await durationFlag('--sticky-cookie-max-age', options.stickyCookieMaxAge, '3600, 12h, 1d');
  const { readBaseline } = await import('./analysis/baseline.js');
  return { stickyCookieMaxAge, accepted: options.baseline ? readBaseline(options.baseline) : undefined };
}

/** Skipped files (with --verbose) and unreadable inputs on stderr, then the report. */
export async function emitResult(result: { report: Report; skipped: string[] }, options: ReportOptions): Promise<void> {
  if (options.verbose) {
    for (const file of result.skipped) process.stderr.write(`session-audit: skipped ${file}: not a known config format\n`);
  }
  for (const problem of result.report.errors) {
    const where = [problem.file, problem.line, problem.column].filter((part) => part !== null).join(':');
    printError(`${where}: ${problem.message}`);
  }
  await emitReport(result.report, options.format, options.output, options.verbose === true);
}

/** A status line on stderr: `text` replaces it, `log` prints a line above it, `stop` clears it. */
export interface Spinner {
  text(line: string): void;
  log(line: string): void;
  stop(): void;
}

/**
 * An ora spinner on stderr, only at a terminal; elsewhere `text` does nothing and `log` prints the
 * line. A terminal of no width (script(1) without a size) makes ora redraw forever: no spinner there.
 * discardStdin is off: stdin may be a wordlist or a confirmation, and Ctrl-C must reach the command.
 */
export async function terminalSpinner(first = 'reading…'): Promise<Spinner> {
  const log = (line: string) => process.stderr.write(`session-audit: ${line}\n`);
  if (!process.stderr.isTTY || !process.stderr.columns) return { text: () => {}, log, stop: () => {} };
  const { default: ora } = await import('ora');
  const spin = ora({ text: first, stream: process.stderr, discardStdin: false }).start();
  return {
    text: (line) => (spin.text = line),
    log: (line) => {
      spin.clear();
      log(line);
      spin.render();
    },
    stop: () => spin.stop(),
  };
}

/** Keys scanned and the rate, for scan. */
export async function startProgress(): Promise<{ update: (source: string, keys: number) => void; stop: () => void }> {
  const spinner = await terminalSpinner();
  let started = { source: '', at: performance.now() };
  return {
    update: (source, keys) => {
      if (source !== started.source) started = { source, at: performance.now() };
      const rate = keys / Math.max(0.001, (performance.now() - started.at) / 1000);
      spinner.text(`${source}: ${keys.toLocaleString('en-US')} keys (${Math.round(rate).toLocaleString('en-US')}/s)`);
    },
    stop: spinner.stop,
  };
}

/**
 * Print (or write to `output`) a report in `format`. `render`: a command's own text for some formats
 * (token audit's table), undefined for the shared reporters.
 */
export async function emitReport(
  report: Report,
  format: (typeof FORMATS)[number],
  output: string | undefined,
  verbose = false,
  render?: (options: ReporterOptions) => Promise<string | undefined>,
): Promise<void> {
  const { REPORTERS } = await import('./reporters/index.js');
  const { wantsColor, writeFileAtomic } = await import('./output.js');
  const toTerminal = !output && process.stdout.isTTY === true;
  const options: ReporterOptions = {
    color: output ? false : wantsColor(process.stdout),
    width: toTerminal ? Math.max(80, process.stdout.columns ?? 120) : 120,
    verbose,
  };
  const text = (await render?.(options)) ?? REPORTERS[format](report, options);
  if (output) writeFileAtomic(output, text);
  else process.stdout.write(text);
}
