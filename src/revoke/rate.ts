/**
 * `--rate N`: at most about N keys per second, as a token bucket. The bucket holds at most one
 * send's worth of tokens (`burst`), so a pause never turns into a burst above the rate afterwards.
 * `take(n)` waits until n tokens are there; n above the burst is taken in several waits.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number = Math.max(1, Math.floor(rate / 10)),
    private readonly clock: Clock = realClock,
  ) {
    if (!(rate > 0)) throw new Error('rate must be above 0');
    // Start empty: the first send waits its share too, so short runs hold the rate as well.
    this.tokens = 0;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  async take(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      const want = Math.min(left, this.burst);
      this.refill();
      if (this.tokens < want) await this.clock.sleep(Math.ceil(((want - this.tokens) / this.rate) * 1000));
      this.refill();
      if (this.tokens >= want - 1e-9) {
        this.tokens -= want;
        left -= want;
      }
    }
  }
}

/** Keys per send under `--rate`: about a tenth of a second's worth, at most `max` (500: one variadic UNLINK). */
export function chunkFor(rate: number | undefined, max = 500): number {
  if (!rate) return max;
  return Math.max(1, Math.min(max, Math.floor(rate / 10)));
}
