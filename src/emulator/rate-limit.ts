/**
 * Rate limiting as the reference (§6) describes it. REST: a sliding window per bucket (method +
 * API key for private methods, method + IP for public ones) allowing `limit` requests in any
 * `windowMs`. WebSocket: an allowance per calendar second per connection, pro-rated in the second
 * the connection opened (why clients wait 1 s before their first message).
 * Both read an injected clock (the emulator's), never the wall clock directly.
 */

export class SlidingWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /** Records a request and says whether it is within `limit` per `windowMs`. */
  allow(bucket: string, limit: number, windowMs: number): boolean {
    const t = this.now();
    let times = this.windows.get(bucket);
    if (!times) {
      times = [];
      this.windows.set(bucket, times);
    }
    while (times.length > 0 && times[0]! <= t - windowMs) times.shift();
    if (times.length >= limit) return false;
    times.push(t);
    return true;
  }

  reset(): void {
    this.windows.clear();
  }
}

export class CalendarSecondLimiter {
  private second = -1;
  private used = 0;
  private readonly openedSecond: number;
  private readonly firstAllowance: number;

  constructor(
    private readonly perSecond: number,
    openedAtMs: number,
    prorate: boolean,
    private readonly now: () => number,
  ) {
    this.openedSecond = Math.floor(openedAtMs / 1000);
    // In integer milliseconds: 1 − 0.9 in floats is 0.0999…, which would round 10 % of 20 down to 1.
    const remainingMs = 1000 - (((openedAtMs % 1000) + 1000) % 1000);
    this.firstAllowance = prorate ? Math.floor((perSecond * remainingMs) / 1000) : perSecond;
  }

  allow(): boolean {
    const t = this.now();
    const s = Math.floor(t / 1000);
    if (s !== this.second) {
      this.second = s;
      this.used = 0;
    }
    const allowance = s === this.openedSecond ? this.firstAllowance : this.perSecond;
    if (this.used >= allowance) return false;
    this.used++;
    return true;
  }
}
