import type { Command } from 'commander';
import { Option } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, terminalSpinner } from './cli-support.js';
import { UsageError } from './errors.js';
import type { TokenCrackResult } from './commands/token-crack.js';
import type { CrackProgress } from './tokens/crack.js';

/** Ctrl-C: the shell's convention for a run stopped by SIGINT (128 + 2). */
const EXIT_INTERRUPTED = 130;

interface CrackFlags {
  wordlist?: string[];
  mask?: string[];
  charset?: string;
  increment?: boolean;
  minLength?: string;
  maxLength?: string;
  builtin: boolean;
  threads?: string;
  yes?: boolean;
  showSecret?: boolean;
  format: 'text' | 'json';
}

/** `session-audit token crack`: guess the HMAC secret of an HS256/384/512 token. */
export function defineTokenCrack(token: Command, setExit: (code: number) => void): void {
  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  token
    .command('crack')
    .description('guess the HMAC secret of an HS256/HS384/HS512 token: built-in list of sample secrets, wordlists, masks')
    .argument('[token]', 'the token (or a header line, cookie, URL... holding it), or - to read it from stdin')
    .option('-w, --wordlist <file>', 'try every line of this file, streamed (- for stdin; repeatable)', collect)
    .option('-m, --mask <mask>', 'try every secret the mask describes: ?l ?u ?d ?s ?a ?h ?H ?b ?1 and literals, e.g. ?u?l?l?l?d?d (repeatable)', collect)
    .option('--charset <chars>', 'the set ?1 stands for, e.g. "?l?d_-"; with --max-length, the set to draw from (default ?a)')
    .option('--increment', "with --mask: also try the mask's shorter prefixes, shortest first")
    .option('--max-length <n>', 'try every secret of 1 to N characters from --charset')
    .option('--min-length <n>', 'with --max-length: start at this length instead of 1')
    .option('--no-builtin', 'skip the built-in list of sample secrets (jwt.io, framework docs, tutorials)')
    .option('--threads <n>', 'worker threads (default: one per core)')
    .option('--yes', `run masks of more than ${(1e10).toExponential()} candidates`)
    .option('--show-secret', 'print a found secret in full (masked by default: first 2 characters and its length)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Tries, in order: the built-in list (with the empty secret), each --wordlist, each mask. Stops at the
first hit. Exit 0 found, 1 not found, 2 bad usage or input, 130 stopped by Ctrl-C.

Examples:
  $ session-audit token crack eyJhbGciOiJIUzI1NiJ9...
  $ session-audit token crack "$TOKEN" --wordlist rockyou.txt
  $ zcat words.gz | session-audit token crack "$TOKEN" --wordlist -
  $ session-audit token crack "$TOKEN" --mask '?l?l?l?l?d?d' --show-secret
  $ session-audit token crack "$TOKEN" --charset '?l?d' --max-length 6 --format json`,
    )
    .action(async (argument: string | undefined, flags: CrackFlags) => {
      const options = {
        token: argument,
        wordlists: flags.wordlist ?? [],
        masks: flags.mask ?? [],
        charset: flags.charset,
        increment: flags.increment,
        minLength: wholeNumber('--min-length', flags.minLength, 0),
        maxLength: wholeNumber('--max-length', flags.maxLength, 1),
        builtIn: flags.builtin,
        threads: wholeNumber('--threads', flags.threads, 1),
        yes: flags.yes,
        showSecret: flags.showSecret,
      };
      const { runTokenCrack } = await import('./commands/token-crack.js');
      const progress = await startCrackProgress();
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint); // a second Ctrl-C ends the process the default way
      let result: TokenCrackResult;
      try {
        result = await runTokenCrack({ ...options, signal: abort.signal, onProgress: progress.update });
      } finally {
        process.off('SIGINT', onSigint);
        progress.stop();
      }
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : describe(result, flags.showSecret === true));
      if (result.otherTokens) process.stderr.write(`session-audit: ${result.otherTokens} more token(s) in the input were not cracked: only the first is\n`);
      if (result.interrupted) {
        process.stderr.write(`session-audit: interrupted after ${count(result.tried)} candidates\n`);
        setExit(EXIT_INTERRUPTED);
        return;
      }
      setExit(result.found ? EXIT_OK : EXIT_FINDINGS);
    });
}

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min} (got "${value}")`);
  }
  return number;
}

function describe(result: TokenCrackResult, shown: boolean): string {
  const stats = `tried ${count(result.tried)} candidate${result.tried === 1 ? '' : 's'} in ${result.seconds.toFixed(2)} s: ${rate(result.rate)} on ${result.threads} thread${result.threads === 1 ? '' : 's'}`;
  if (!result.found) {
    const what = result.interrupted ? 'not found before the interruption' : 'not found';
    return `${result.token.alg} secret ${what}\n${stats}\n`;
  }
  const hint = shown ? '' : '  (--show-secret prints it)';
  // Shown in full: quoted, so leading or trailing spaces and escapes are visible.
  const secret = shown ? JSON.stringify(result.secret) : result.secret;
  return `${result.token.alg} secret found in the ${result.from}: ${secret}${hint}\n${stats}\n`;
}

const count = (value: number) => value.toLocaleString('en-US');

function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${Math.round(perSecond)}/s`;
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)}h ${Math.round((seconds % 3600) / 60)}m`;
  return `${Math.round(seconds / 86400)} days`;
}

/** Phase, candidates tried, rate, and ETA when the phase's size is known, on the terminal's status line. */
async function startCrackProgress(): Promise<{ update: (progress: CrackProgress) => void; stop: () => void }> {
  const spinner = await terminalSpinner('starting…');
  let shown = 0;
  // The rate over the last few seconds, not since the start: it shows what the machine does now.
  const samples: Array<{ at: number; tried: number }> = [];
  return {
    update: (progress) => {
      const now = performance.now();
      samples.push({ at: now, tried: progress.tried });
      while (samples.length > 2 && now - samples[1].at > 3000) samples.shift();
      if (now - shown < 100) return;
      shown = now;
      const since = samples[0];
      const recent = now - since.at > 500 ? ((progress.tried - since.tried) * 1000) / (now - since.at) : progress.tried / Math.max(progress.seconds, 0.001);
      const parts = [`${progress.phase.label}: ${count(progress.tried)} tried`, rate(recent)];
      const fraction = progress.phaseFraction;
      if (fraction !== undefined && fraction > 0) {
        parts.push(`${Math.floor(fraction * 100)}%`, `ETA ${eta((progress.phaseSeconds * (1 - fraction)) / fraction)}`);
      }
      spinner.text(parts.join(' · '));
    },
    stop: spinner.stop,
  };
}
