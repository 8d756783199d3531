// The wait between reports: longer than setTimeout's 2^31-1 ms limit (`--interval 30d`) it must
// still wait, not fire after 1 ms and print a report every millisecond.
import { describe, expect, it } from 'vitest';
import { pause } from '../../src/watch/pause.js';

const never = new Promise<never>(() => {});

describe('pause', () => {
  it('waits beyond setTimeout limit (30 days) instead of firing at once; a stop ends it', async () => {
    const controller = new AbortController();
    let done = false;
    const waiting = pause(30 * 86_400_000, controller.signal, never).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    controller.abort();
    await waiting;
    expect(done).toBe(true);
  });

  it('short waits resolve on time; a lost connection rejects', async () => {
    const started = performance.now();
    await pause(50, new AbortController().signal, never);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await expect(pause(10_000, new AbortController().signal, Promise.reject(new Error('lost')))).rejects.toThrow('lost');
  });
});
