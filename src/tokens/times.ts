/**
 * Token times for people: `--now` parsing (shared by decode and verify), ISO dates, and relative
 * phrases ("expires in 2h 13m", "expired 3 days ago", "issued 5 minutes ago").
 * All times are seconds since the epoch, as JWT NumericDate values are (RFC 7519 §2).
 */
import { UsageError } from '../errors.js';
import { parseDuration } from '../util/duration.js';

/** The claims that hold times, in the order they are shown. */
export const TIME_CLAIMS = ['iat', 'nbf', 'exp', 'auth_time'] as const;
export type TimeClaim = (typeof TIME_CLAIMS)[number];

/** Above this an epoch value is almost surely in milliseconds (this is the year 5138 in seconds). */
const MAX_EPOCH_SECONDS = 1e11;

/**
 * `--now`: ISO 8601 (`2025-11-03T10:00:00Z`, `2025-11-03`) or epoch seconds (`1762164000`), as whole
 * seconds (JWT times are compared in whole seconds, as jose does). Undefined: the clock.
 */
export function parseNow(value: string | undefined, clock: () => number = Date.now): number {
  if (value === undefined) return Math.floor(clock() / 1000);
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (seconds >= MAX_EPOCH_SECONDS) throw new UsageError(`--now ${value}: looks like milliseconds; give epoch seconds or an ISO date`);
    return Math.floor(seconds);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    // A date-time without a zone would be local time in Date.parse: JWT times are UTC, so say so.
    const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text}Z` : text;
    const ms = Date.parse(withZone.replace(' ', 'T'));
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new UsageError(`--now ${value}: not a time (use an ISO date like 2025-11-03T10:00:00Z, or epoch seconds like 1762164000)`);
}

/**
 * A duration option (`--max-age 1h`, `--clock-tolerance 30s`) in seconds: 90, 90s, 15m, 1h30m, 2d.
 * `allowZero` for tolerances, where 0 is meaningful.
 */
export function parseDurationOption(flag: string, value: string, allowZero = false): number {
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds < 0 || (!allowZero && seconds === 0) || !Number.isFinite(seconds)) {
    throw new UsageError(`${flag} ${value}: not a duration (use e.g. 90, 90s, 15m, 1h30m, 2d)`);
  }
  return seconds;
}

/** `2025-11-03T10:00:00Z`: whole seconds, UTC. Fractions are kept when the value has them. */
export function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (!Number.isFinite(date.getTime())) return seconds > 0 ? 'never (out of range)' : 'out of range';
  const iso = date.toISOString();
  return Number.isInteger(seconds) ? iso.replace(/\.\d{3}Z$/, 'Z') : iso;
}

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/**
 * A span for people, rounded the way one would say it: "45 seconds", "5 minutes", "2h 13m",
 * "3 days", "4 months", "2 years".
 */
export function humanSpan(seconds: number): string {
  const s = Math.abs(seconds);
  if (!Number.isFinite(s)) return 'forever';
  if (s < 60) return plural(Math.floor(s), 'second');
  if (s < 3600) return plural(Math.floor(s / 60), 'minute');
  if (s < 86400) {
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  if (s < 60 * 86400) return plural(Math.floor(s / 86400), 'day');
  if (s < 730 * 86400) return plural(Math.floor(s / (30 * 86400)), 'month');
  return plural(Math.floor(s / (365 * 86400)), 'year');
}

/** "in 2h 13m" or "3 days ago" (and "just now" within a second). */
export function relativeTime(seconds: number, now: number): string {
  const delta = seconds - now;
  if (Math.abs(delta) < 1) return 'just now';
  return delta > 0 ? `in ${humanSpan(delta)}` : `${humanSpan(delta)} ago`;
}

/** What one time claim says about the token at `now`, as a phrase. */
export function describeTimeClaim(claim: TimeClaim, seconds: number, now: number): string {
  const when = relativeTime(seconds, now);
  switch (claim) {
    case 'exp':
      // jose (and RFC 7519) treat the token as expired AT exp, not after it.
      return seconds <= now ? `expired ${when}` : `expires ${when}`;
    case 'nbf':
      return seconds > now ? `not valid before then (${when})` : `valid since ${when}`;
    case 'iat':
      return seconds > now ? `issued ${when} (in the future)` : `issued ${when}`;
    case 'auth_time':
      return seconds > now ? `authenticated ${when} (in the future)` : `authenticated ${when}`;
  }
}

export interface TimeInfo {
  /** The claim's value as given. */
  value: unknown;
  /** ISO 8601, UTC; absent when the value is not a number. */
  iso?: string;
  /** "expires in 2h 13m", "expired 3 days ago", "issued 5 minutes ago". */
  relative?: string;
  /** Set when the claim is not a number (RFC 7519 NumericDate), which verifiers reject. */
  problem?: string;
}

/** The time claims a payload has, described at `now`. */
export function tokenTimes(payload: Record<string, unknown> | null, now: number): Partial<Record<TimeClaim, TimeInfo>> {
  const times: Partial<Record<TimeClaim, TimeInfo>> = {};
  if (!payload) return times;
  for (const claim of TIME_CLAIMS) {
    if (!Object.hasOwn(payload, claim)) continue;
    const value = payload[claim];
    if (typeof value === 'number' && Number.isFinite(value)) {
      times[claim] = { value, iso: isoTime(value), relative: describeTimeClaim(claim, value, now) };
    } else {
      times[claim] = { value, problem: 'not a number (a NumericDate is seconds since the epoch)' };
    }
  }
  return times;
}
