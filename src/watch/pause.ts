/**
 * The wait between two watch reports: resolves after `ms`, or at once when stopped; rejects when
 * `lost` does (a subscriber connection dropped).
 *
 * setTimeout cannot wait longer than 2^31-1 ms (about 24.8 days): beyond that Node fires after 1 ms,
 * which turned `--interval 30d` into a loop printing a report every millisecond. Longer waits are
 * made of several timers in a row.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function pause(ms: number, signal: AbortSignal, lost: Promise<never>): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const until = performance.now() + Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const waited = new Promise<void>((resolve) => {
    const arm = () => {
      const left = until - performance.now();
      if (left <= 0) return resolve();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([waited, lost]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort!);
  });
}
