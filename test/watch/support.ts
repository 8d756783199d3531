/** `session-audit watch` as a child process the test can wait on (the "watching" line) and signal. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { WatchInterval } from '../../src/commands/watch.js';
import type { NamespaceRow } from '../../src/watch/counters.js';
import type { CliRun } from '../support/cli.js';
import { repoRoot } from '../support/parse.js';

export interface WatchRun {
  /** Resolves once watch says what it watches (subscribed, first SCAN done): from then on events count. */
  ready: Promise<string>;
  done: Promise<CliRun>;
  signal(name: NodeJS.Signals): void;
}

export function startWatch(args: string[]): WatchRun {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/session-audit.js'), 'watch', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', REDISCLI_AUTH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady: (line: string) => void;
  const ready = new Promise<string>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const line = stderr.split('\n').find((l) => /: watching |notifications off: sampling/.test(l));
    if (line) onReady(line);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      onReady(`(exited ${status}) ${stderr}`);
      resolve({ status, stdout, stderr });
    }),
  );
  return { ready, done, signal: (name) => child.kill(name) };
}

/** The JSON lines of a watch run. */
export function intervals(stdout: string): WatchInterval[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WatchInterval);
}

/** Sum of one event kind over every interval, for the namespaces whose pattern is `pattern`. */
export function total(lines: WatchInterval[], pattern: string, kind: 'created' | 'expired' | 'deleted' | 'evicted'): number {
  let sum = 0;
  for (const line of lines) for (const row of line.namespaces) if (row.pattern === pattern) sum += row.counts[kind] ?? 0;
  return sum;
}

/** The last interval's row for `pattern`. */
export function lastRow(lines: WatchInterval[], pattern: string): NamespaceRow | undefined {
  return lines[lines.length - 1]?.namespaces.find((row) => row.pattern === pattern);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
