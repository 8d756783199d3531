/**
 * Durations as frameworks write them in config and code, converted to seconds. Each function returns
 * undefined for text it does not recognise, so callers decide whether that is an error (a strict
 * config file) or merely unknown (source code).
 */

const SIMPLE_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Spring Boot's Duration conversion (org.springframework.boot.convert.DurationStyle): the simple form
 * `30m`, `10s`, `-1` (units ns, us, ms, s, m, h, d, any case; no unit means the property's
 * @DurationUnit, seconds for every session timeout) or ISO-8601 `PT30M`.
 * https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.typesafe-configuration-properties.conversion.durations
 */
export function springDurationSeconds(text: string, defaultUnitSeconds = 1): number | undefined {
  const value = text.trim();
  const simple = /^([+-]?\d+)([a-zA-Z]{0,2})$/.exec(value);
  if (simple) {
    const unit = simple[2] === '' ? defaultUnitSeconds : SIMPLE_UNITS[simple[2].toLowerCase()];
    return unit === undefined ? undefined : Number(simple[1]) * unit;
  }
  if (/^[+-]?[pP]/.test(value)) return isoDurationSeconds(value);
  return undefined;
}

/**
 * java.time.Duration.parse: `[-+]PnDTnHnMn.nS`, days counted as 24 hours, each part may carry its own
 * sign. https://docs.oracle.com/en/java/javase/17/docs/api/java.base/java/time/Duration.html#parse(java.lang.CharSequence)
 */
export function isoDurationSeconds(text: string): number | undefined {
  const match = /^([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text.trim());
  if (!match) return undefined;
  const [, sign, days, time, hours, minutes, seconds, fraction] = match;
  // "P" alone and "PT" with nothing after it are rejected by Java too.
  if (days === undefined && (time === undefined || (hours ?? minutes ?? seconds) === undefined)) return undefined;
  let total = Number(days ?? 0) * 86400 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  if (fraction) {
    const part = Number(`0.${fraction}`);
    total += seconds !== undefined && seconds.startsWith('-') ? -part : part;
  }
  return sign === '-' ? -total : total;
}

const TIMESPAN_FACTORS: Record<string, number> = { Days: 86400, Hours: 3600, Minutes: 60, Seconds: 1, Milliseconds: 1e-3, Microseconds: 1e-6 };

/** A C# numeric literal: `20`, `1.5`, `30d`, `1_000`. */
function csharpNumber(text: string): number | undefined {
  const cleaned = text.trim().replace(/_/g, '').replace(/[dDfFmMlLuU]+$/, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/**
 * A C# System.TimeSpan expression in seconds: `TimeSpan.FromMinutes(20)`, `new TimeSpan(0, 20, 0)`,
 * `TimeSpan.Parse("00:20:00")`, `TimeSpan.Zero`. null for `TimeSpan.MaxValue` and
 * `Timeout.InfiniteTimeSpan` (no expiry in practice); undefined for anything else (a variable, config).
 * https://learn.microsoft.com/dotnet/api/system.timespan
 */
export function timeSpanSeconds(expression: string): number | null | undefined {
  const text = expression.trim().replace(/^System\./, '');
  if (/^(TimeSpan\.MaxValue|(System\.Threading\.)?Timeout\.InfiniteTimeSpan)$/.test(text)) return null;
  if (text === 'TimeSpan.Zero') return 0;
  const from = /^TimeSpan\.From(Days|Hours|Minutes|Seconds|Milliseconds|Microseconds)\s*\(([^()]*)\)$/.exec(text);
  if (from) {
    // .NET 9 added integer overloads with several parts: FromMinutes(minutes, seconds, ...); the first is the unit given.
    const parts = from[2].split(',').map(csharpNumber);
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    const units = ['Days', 'Hours', 'Minutes', 'Seconds', 'Milliseconds', 'Microseconds'];
    const start = units.indexOf(from[1]);
    let total = 0;
    for (const [index, part] of parts.entries()) {
      const unit = units[start + index];
      if (unit === undefined) return undefined;
      total += (part as number) * TIMESPAN_FACTORS[unit];
    }
    return total;
  }
  const constructed = /^new(?:\s+TimeSpan)?\s*\(([^()]*)\)$/.exec(text); // `new TimeSpan(...)` or target-typed `new(...)`
  if (constructed) {
    const parts = constructed[1].split(',').map(csharpNumber);
    if (parts.some((part) => part === undefined)) return undefined;
    const n = parts as number[];
    // TimeSpan(ticks) | (hours, minutes, seconds) | (days, hours, minutes, seconds) | (+ milliseconds)
    if (n.length === 1) return n[0] / 1e7;
    if (n.length === 3) return n[0] * 3600 + n[1] * 60 + n[2];
    if (n.length === 4 || n.length === 5) return n[0] * 86400 + n[1] * 3600 + n[2] * 60 + n[3] + (n[4] ?? 0) / 1000;
    return undefined;
  }
  const parsed = /^TimeSpan\.Parse\s*\(\s*"([^"]*)"\s*\)$/.exec(text);
  if (parsed) return timeSpanText(parsed[1]);
  return undefined;
}

/** TimeSpan.Parse's invariant format `[-][d.]hh:mm[:ss[.fffffff]]`, or a whole number of days. */
export function timeSpanText(text: string): number | undefined {
  const match = /^(-)?(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d+))?)?$/.exec(text.trim());
  if (!match) return /^\d+$/.test(text.trim()) ? Number(text) * 86400 : undefined;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const total =
    Number(days ?? 0) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0) + (fraction ? Number(`0.${fraction}`) : 0);
  return minus ? -total : total;
}
