import { describe, expect, it } from 'vitest';
import { fitText, textWidth } from '../../src/reporters/text-width.js';

describe('fitText', () => {
  it('keeps text that fits', () => {
    expect(fitText('nginx', 200, 13)).toBe('nginx');
  });

  it('cuts long text at the end with an ellipsis, within the width', () => {
    const text = 'sessions: MemoryStore (per node), with a long explanation';
    const fitted = fitText(text, 200, 11.5);
    expect(fitted.endsWith('…')).toBe(true);
    expect(text.startsWith(fitted.slice(0, -1))).toBe(true);
    expect(textWidth(fitted, 11.5)).toBeLessThanOrEqual(200);
  });

  it('keeps the end of a path: the file name', () => {
    const fitted = fitText('fixtures/demo/deploy/haproxy/haproxy.cfg', 150, 11.5);
    expect(fitted.startsWith('…/')).toBe(true);
    expect(fitted.endsWith('haproxy.cfg')).toBe(true);
    expect(textWidth(fitted, 11.5)).toBeLessThanOrEqual(150);
  });

  it('counts bold as wider', () => {
    expect(textWidth('upstream account_backend', 13, true)).toBeGreaterThan(textWidth('upstream account_backend', 13));
  });
});
