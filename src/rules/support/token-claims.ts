import type { Token } from '../../model/index.js';
import { formatDuration } from '../../util/duration.js';

/** Small helpers the token rules share: claims, NumericDates, and how times read in messages. */

/** The readable claims: a JWS payload that is a JSON object. JWE payloads are closed; claim rules skip them. */
export function claimsOf(token: Token): Record<string, unknown> | null {
  return token.form === 'jws' ? token.payload : null;
}

/** A NumericDate claim (RFC 7519 §2: seconds since the epoch, a JSON number), or undefined when absent or not a number. */
export function numericDate(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** "2026-01-01T00:00:00Z" */
export function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString().replace(/\.000Z$/, 'Z');
}

/** "3d 2h ago", "in 2h 13m" */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** `"exp": 1767225600 (2026-01-01T00:00:00Z)`: evidence for a time claim. */
export function timeEvidence(name: string, seconds: number): string {
  return `"${name}": ${seconds} (${isoTime(seconds)})`;
}

/** A claim as JSON for evidence, cut to a readable length. */
export function jsonEvidence(name: string, value: unknown, max = 160): string {
  const text = `"${name}": ${JSON.stringify(value)}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** How a non-number claim is described: `a string ("1767225600")`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)})`;
  return `a ${typeof value}`;
}
