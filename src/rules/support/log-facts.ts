/** Small wording helpers shared by the log rules (session-reuse-many-ips, logout-storm...). */
import { formatDuration } from '../../util/duration.js';

export const count = (value: number): string => value.toLocaleString('en-US');
export const plural = (value: number, word: string, many = `${word}s`): string => `${count(value)} ${value === 1 ? word : many}`;
export const percent = (part: number, whole: number): string => {
  if (whole <= 0) return '0%';
  const value = (100 * part) / whole;
  return value >= 10 || value === 0 ? `${Math.round(value)}%` : `${value.toFixed(1)}%`;
};

/** "2026-01-05 10:02 UTC", or "unknown time". */
export function minuteOf(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const seconds = (value: number): string => formatDuration(value);

/** A list shown in a message: the first few, then how many more. */
export function someOf(values: string[], shown = 4): string {
  const head = values.slice(0, shown).join(', ');
  return values.length > shown ? `${head} and ${values.length - shown} more` : head;
}
