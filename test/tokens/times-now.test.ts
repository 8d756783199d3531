import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { describeTimeClaim, humanSpan, isoTime, parseDurationOption, parseNow, relativeTime, tokenTimes } from '../../src/tokens/times.js';

const NOW = 1_762_164_000; // 2025-11-03T10:00:00Z

describe('--now', () => {
  it('reads epoch seconds and ISO dates, in UTC', () => {
    expect(parseNow('1762164000')).toBe(NOW);
    expect(parseNow('1762164000.9')).toBe(NOW);
    expect(parseNow('2025-11-03T10:00:00Z')).toBe(NOW);
    expect(parseNow('2025-11-03T10:00:00.500Z')).toBe(NOW);
    expect(parseNow('2025-11-03T11:00:00+01:00')).toBe(NOW);
    expect(parseNow('2025-11-03T10:00')).toBe(NOW); // no zone: UTC, not local time
    expect(parseNow('2025-11-03 10:00:00')).toBe(NOW);
    expect(parseNow('2025-11-03')).toBe(NOW - 10 * 3600);
  });

  it('defaults to the clock, in whole seconds', () => {
    expect(parseNow(undefined, () => NOW * 1000 + 999)).toBe(NOW);
  });

  it('refuses what is not a time, and milliseconds', () => {
    expect(() => parseNow('yesterday')).toThrow(UsageError);
    expect(() => parseNow('2025-13-45')).toThrow(/not a time/);
    expect(() => parseNow('1762164000000')).toThrow('--now 1762164000000: looks like milliseconds; give epoch seconds or an ISO date');
    expect(() => parseNow('-5')).toThrow(/not a time/);
  });
});

describe('durations', () => {
  it('reads 90, 90s, 15m, 1h30m, 2d', () => {
    expect(parseDurationOption('--max-age', '90')).toBe(90);
    expect(parseDurationOption('--max-age', '15m')).toBe(900);
    expect(parseDurationOption('--max-age', '1h30m')).toBe(5400);
    expect(parseDurationOption('--max-age', '2d')).toBe(172800);
    expect(parseDurationOption('--clock-tolerance', '0', true)).toBe(0);
  });

  it('refuses junk, negatives and (unless allowed) zero', () => {
    expect(() => parseDurationOption('--max-age', '0')).toThrow('--max-age 0: not a duration (use e.g. 90, 90s, 15m, 1h30m, 2d)');
    expect(() => parseDurationOption('--max-age', 'soon')).toThrow(UsageError);
    expect(() => parseDurationOption('--clock-tolerance', '-5', true)).toThrow(UsageError);
  });
});

describe('relative times', () => {
  it('says spans the way people do', () => {
    expect(humanSpan(45)).toBe('45 seconds');
    expect(humanSpan(60)).toBe('1 minute');
    expect(humanSpan(300)).toBe('5 minutes');
    expect(humanSpan(2 * 3600 + 13 * 60 + 59)).toBe('2h 13m');
    expect(humanSpan(3600)).toBe('1h');
    expect(humanSpan(86400)).toBe('1 day');
    expect(humanSpan(3 * 86400 + 5)).toBe('3 days');
    expect(humanSpan(90 * 86400)).toBe('3 months');
    expect(humanSpan(3 * 365 * 86400)).toBe('3 years');
  });

  it('in / ago / just now', () => {
    expect(relativeTime(NOW + 8000, NOW)).toBe('in 2h 13m');
    expect(relativeTime(NOW - 3 * 86400, NOW)).toBe('3 days ago');
    expect(relativeTime(NOW, NOW)).toBe('just now');
  });

  it('per claim', () => {
    expect(describeTimeClaim('exp', NOW + 8000, NOW)).toBe('expires in 2h 13m');
    expect(describeTimeClaim('exp', NOW - 3 * 86400, NOW)).toBe('expired 3 days ago');
    expect(describeTimeClaim('exp', NOW, NOW)).toBe('expired just now');
    expect(describeTimeClaim('iat', NOW - 300, NOW)).toBe('issued 5 minutes ago');
    expect(describeTimeClaim('iat', NOW + 300, NOW)).toBe('issued in 5 minutes (in the future)');
    expect(describeTimeClaim('nbf', NOW + 60, NOW)).toBe('not valid before then (in 1 minute)');
    expect(describeTimeClaim('nbf', NOW - 60, NOW)).toBe('valid since 1 minute ago');
    expect(describeTimeClaim('auth_time', NOW - 7200, NOW)).toBe('authenticated 2h ago');
  });

  it('ISO dates in UTC, whole seconds', () => {
    expect(isoTime(NOW)).toBe('2025-11-03T10:00:00Z');
    expect(isoTime(NOW + 0.25)).toBe('2025-11-03T10:00:00.250Z');
    expect(isoTime(1e20)).toBe('never (out of range)');
  });

  it('tokenTimes: the time claims present, numbers or not', () => {
    expect(tokenTimes({ sub: 'a', exp: NOW - 60, iat: 'yesterday' }, NOW)).toEqual({
      exp: { value: NOW - 60, iso: '2025-11-03T09:59:00Z', relative: 'expired 1 minute ago' },
      iat: { value: 'yesterday', problem: 'not a number (a NumericDate is seconds since the epoch)' },
    });
    expect(tokenTimes(null, NOW)).toEqual({});
  });
});
