import { UsageError } from '../errors.js';

/** How `token audit`'s flags read, shared by the CLI and the rule fixtures' `# --flag value` directives. */

/** --now: seconds since the epoch (1767225600), or an ISO 8601 date or date-time (2026-01-01T00:00:00Z). */
export function parseNow(value: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new UsageError(`--now: not a time: "${value}" (use ISO 8601, e.g. 2026-01-01T00:00:00Z, or seconds since the epoch)`);
}

/** --alg: names separated by commas or spaces; case kept (JOSE alg names are case-sensitive). */
export function parseAlgList(value: string): string[] {
  const algs = value.split(/[\s,]+/).filter(Boolean);
  if (algs.length === 0) throw new UsageError('--alg: give one or more algorithm names, e.g. RS256,ES256');
  return algs;
}
