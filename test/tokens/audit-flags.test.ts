// token audit reads --now exactly as decode and verify do; only its error wording is its own.
import { describe, expect, it } from 'vitest';
import { parseNow as auditNow } from '../../src/tokens/audit-flags.js';
import { parseNow } from '../../src/tokens/times.js';

describe('token audit --now', () => {
  it('is the same instant as for decode and verify, UTC when no zone is written', () => {
    for (const text of ['2026-01-01T10:00', '2026-01-01 10:00:00', '2026-01-01', '1767225600', '2026-01-01T10:00:00+02:00']) {
      expect(auditNow(text), text).toBe(parseNow(text));
    }
    expect(auditNow('2026-01-01T10:00')).toBe(Date.UTC(2026, 0, 1, 10) / 1000);
  });

  it('refuses milliseconds and words, in one line', () => {
    expect(() => auditNow('1767225600000')).toThrow('--now: not a time: "1767225600000"');
    expect(() => auditNow('yesterday')).toThrow(/^--now: not a time: "yesterday"/);
  });
});
