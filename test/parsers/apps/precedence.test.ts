// The expression readers group arithmetic as the languages do: settings like 60 * 60 + 30 read right.
import { describe, expect, it } from 'vitest';
import { foldByPrecedence, jsPrecedence, pyPrecedence } from '../../../src/parsers/apps/precedence.js';

const evaluate = (op: string, a: number, b: number) =>
  op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '**' ? a ** b : op === '%' ? a % b : NaN;

describe('foldByPrecedence', () => {
  it('multiplies before adding and groups ** to the right, in both languages', () => {
    for (const precedence of [jsPrecedence, pyPrecedence]) {
      expect(foldByPrecedence([60, 2, 3], ['+', '*'], precedence, evaluate)).toBe(66);
      expect(foldByPrecedence([60, 60, 24, 7], ['*', '*', '*'], precedence, evaluate)).toBe(604_800);
      expect(foldByPrecedence([2, 3, 2], ['**', '**'], precedence, evaluate)).toBe(512);
      expect(foldByPrecedence([100, 10, 2], ['-', '-'], precedence, evaluate)).toBe(88);
      expect(foldByPrecedence([1, 2, 3, 4], ['*', '+', '*'], precedence, evaluate)).toBe(14);
    }
  });
});
