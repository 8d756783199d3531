/**
 * Log timestamps to ms since the epoch, by hand: Date.parse does not read the Common Log Format at
 * all and is slow on ISO strings; at 500k lines/s every line's time must cost next to nothing.
 * NaN when the text is not a time.
 */

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

// Access logs repeat each second's text on many consecutive lines: one remembered value covers them.
let lastClf = '';
let lastClfValue = NaN;

/**
 * nginx $time_local / Apache %t: "10/Oct/2000:13:55:36 -0700"; HAProxy's accept date
 * "06/Feb/2009:12:14:14.655" (milliseconds, no zone: HAProxy logs its host's local time, read as UTC).
 */
export function parseClfTime(text: string): number {
  if (text === lastClf) return lastClfValue;
  const value = clf(text);
  lastClf = text;
  lastClfValue = value;
  return value;
}

function clf(text: string): number {
  if (text.length < 20 || text.charCodeAt(2) !== 47 || text.charCodeAt(6) !== 47 || text.charCodeAt(11) !== 58) return NaN;
  const month = MONTHS[text.slice(3, 6)];
  if (month === undefined) return NaN;
  const day = digits(text, 0, 2);
  const year = digits(text, 7, 4);
  const hour = digits(text, 12, 2);
  const minute = digits(text, 15, 2);
  const second = digits(text, 18, 2);
  let position = 20;
  let ms = 0;
  if (text.charCodeAt(position) === 46) {
    const end = digitRun(text, position + 1);
    ms = fraction(text, position + 1, end);
    position = end;
  }
  let offset = 0;
  if (position < text.length) {
    if (text.charCodeAt(position) !== 32) return NaN;
    offset = zone(text, position + 1);
  }
  return Date.UTC(year, month, day, hour, minute, second, ms) - offset;
}

/**
 * ISO 8601 as logs write it: "2000-10-10T13:55:36-07:00" ($time_iso8601), "2018-07-02T22:23:00.186641Z"
 * (ALB), "2021-01-13T21:32:38.095Z" (ECS, bunyan). A date without a zone is read as UTC.
 */
export function parseIsoTime(text: string): number {
  if (text.length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58) return Date.parse(text);
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32 && separator !== 116) return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2) - 1;
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let position = 19;
  let ms = 0;
  const mark = text.charCodeAt(position);
  if (mark === 46 || mark === 44) {
    const end = digitRun(text, position + 1);
    ms = fraction(text, position + 1, end);
    position = end;
  }
  const offset = position < text.length ? zone(text, position) : 0;
  return Date.UTC(year, month, day, hour, minute, second, ms) - offset;
}

/** nginx $msec, "1700000000.123" (seconds with ms). */
export function parseEpochSeconds(text: string): number {
  return text === '' || text === '-' ? NaN : Number(text) * 1000;
}

/** A JSON log's time field: a number (s, ms, µs or ns by magnitude) or a string in any format above. */
export function parseTimeValue(value: unknown): number {
  if (typeof value === 'number') return epochNumber(value);
  if (typeof value !== 'string' || value === '') return NaN;
  const first = value.charCodeAt(0);
  if (value.charCodeAt(2) === 47) return parseClfTime(value);
  if (value.length >= 10 && value.charCodeAt(4) === 45) return parseIsoTime(value);
  if (first >= 48 && first <= 57 && /^\d+(\.\d+)?$/.test(value)) return epochNumber(Number(value));
  return Date.parse(value);
}

function epochNumber(value: number): number {
  if (!Number.isFinite(value)) return NaN;
  if (value < 1e11) return value * 1000; // seconds (zap, caddy, $msec)
  if (value < 1e14) return value; // ms (pino, Date.now())
  if (value < 1e17) return value / 1000; // µs
  return value / 1e6; // ns
}

/** Zone "Z", "+0200", "-07:00" at position; returns its offset in ms (NaN when not a zone). */
function zone(text: string, position: number): number {
  const sign = text.charCodeAt(position);
  if (sign === 90 || sign === 122) return 0;
  if (sign !== 43 && sign !== 45) return NaN;
  const hours = digits(text, position + 1, 2);
  const minutes = text.charCodeAt(position + 3) === 58 ? digits(text, position + 4, 2) : digits(text, position + 3, 2);
  const offset = (hours * 60 + minutes) * 60_000;
  return sign === 45 ? -offset : offset;
}

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

function digitRun(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) break;
    index++;
  }
  return index;
}

/** The first three digits of a fraction of a second, as ms. */
function fraction(text: string, start: number, end: number): number {
  let ms = 0;
  for (let index = 0; index < 3; index++) ms = ms * 10 + (start + index < end ? text.charCodeAt(start + index) - 48 : 0);
  return ms;
}
