import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { candidateAt, lengthMasks, nextCandidate, parseCharset, parseMask, prefixesOf, type Mask } from '../../src/tokens/mask.js';

function all(mask: Mask): string[] {
  const key = new Uint8Array(mask.positions.length);
  const digits = new Int32Array(mask.positions.length);
  candidateAt(mask.positions, 0, key, digits);
  const out = [Buffer.from(key).toString('latin1')];
  while (nextCandidate(mask.positions, key, digits)) out.push(Buffer.from(key).toString('latin1'));
  return out;
}

describe('masks', () => {
  it('knows the hashcat placeholders', () => {
    const sizes = Object.fromEntries(['?l', '?u', '?d', '?s', '?a', '?h', '?H', '?b'].map((text) => [text, parseMask(text).size]));
    expect(sizes).toEqual({ '?l': 26, '?u': 26, '?d': 10, '?s': 33, '?a': 95, '?h': 16, '?H': 16, '?b': 256 });
    expect(parseMask('?l?l?l?l?d?d').size).toBe(26 ** 4 * 100);
  });

  it('takes literals, ?? and non-ASCII characters (one position per UTF-8 byte)', () => {
    expect(all(parseMask('a??b'))).toEqual(['a?b']);
    expect(parseMask('é?d').positions.length).toBe(3);
    expect(all(parseMask('x?d')).slice(0, 3)).toEqual(['x0', 'x1', 'x2']);
  });

  it('enumerates every candidate once, last position fastest, and can start anywhere', () => {
    const mask = parseMask('?1?d', parseCharset('ab'));
    const candidates = all(mask);
    expect(candidates).toEqual([...'ab'].flatMap((first) => [...'0123456789'].map((digit) => first + digit)));
    const key = new Uint8Array(2);
    const digits = new Int32Array(2);
    candidateAt(mask.positions, 13, key, digits);
    expect(Buffer.from(key).toString()).toBe('b3');
  });

  it('builds custom sets from placeholders and literals, without duplicates', () => {
    expect(parseCharset('?d?d-_').length).toBe(12);
    expect(parseCharset('?l?u').length).toBe(52);
  });

  it('--increment prefixes and --max-length lengths, shortest first', () => {
    expect(prefixesOf(parseMask('?d?d?d')).map((mask) => mask.size)).toEqual([10, 100, 1000]);
    const masks = lengthMasks(parseCharset('?d'), '?d', 1, 3);
    expect(masks.map((mask) => mask.size)).toEqual([10, 100, 1000]);
    expect(masks[2].text).toBe('?1?1?1 (?1 = ?d)');
  });

  it('refuses what it cannot read, with a usage error', () => {
    expect(() => parseMask('?x')).toThrow(UsageError);
    expect(() => parseMask('abc?')).toThrow(/lone \?/);
    expect(() => parseMask('?1')).toThrow(/--charset/);
    expect(() => parseCharset('é')).toThrow(/single byte/);
    expect(() => parseMask('')).toThrow(/empty/);
  });
});
