import { UsageError } from '../errors.js';
import { parseNow as readNow } from './times.js';

/** How `token audit`'s flags read, shared by the CLI and the rule fixtures' `# --flag value` directives. */

/**
 * --now: read as decode and verify read it (times.ts: UTC for a date-time without a zone, refuses
 * milliseconds); only the wording of the error is audit's.
 */
export function parseNow(value: string): number {
  try {
    return readNow(value);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`--now: not a time: "${value}" (use ISO 8601, e.g. 2026-01-01T00:00:00Z, or seconds since the epoch)`);
  }
}

/** --alg: names separated by commas or spaces; case kept (JOSE alg names are case-sensitive). */
export function parseAlgList(value: string): string[] {
  const algs = value.split(/[\s,]+/).filter(Boolean);
  if (algs.length === 0) throw new UsageError('--alg: give one or more algorithm names, e.g. RS256,ES256');
  return algs;
}
