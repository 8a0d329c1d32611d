/**
 * Client-side rate limits (reference §6), one bucket per method with the limit of its class from
 * endpoints.ts (e.g. create-order 15 / 100 ms, get-order-history 1 / s, public 100 / s).
 *
 * Invariants:
 * - Calls queue in FIFO order; nothing is ever dropped or failed by the limiter.
 * - A token spent at time t comes back at t + window × (1 + margin): no window of that length ever
 *   sees more than `limit` requests (a refill-rate bucket would allow 2× at a window edge, which a
 *   fixed-window server counts as a violation). The margin absorbs network jitter.
 * - After a 42901 the method's bucket is closed for a jittered, growing back-off (1 s, 2 s, 4 s … ≤ 10 s;
 *   "resumed in the next second" per the exchange) and queued calls wait; a success resets the growth.
 */
import { type RateLimit, rateLimitFor } from "./endpoints.js";

export interface RateLimiterOptions {
  /** Monotonic ms clock (default performance.now). */
  now?: (() => number) | undefined;
  /** Extra fraction of the window before a token returns (default 0.1). */
  marginRatio?: number | undefined;
  /** Limit lookup (default: the endpoint table); tests pass small windows. */
  limitFor?: ((method: string) => RateLimit) | undefined;
  /** Base back-off after a 42901 (default 1000 ms), doubled per consecutive 42901, capped at maxBackoffMs. */
  backoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
  random?: (() => number) | undefined;
  enabled?: boolean | undefined;
}

class Bucket {
  /** Send times of the last `limit` requests (ring buffer). */
  private readonly times: number[] = [];
  private head = 0;
  readonly queue: (() => void)[] = [];
  blockedUntil = 0;
  consecutive429 = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limit: number,
    readonly spanMs: number,
  ) {}

  /** Earliest time a new request may go out. */
  earliest(): number {
    const fromWindow = this.times.length < this.limit ? 0 : this.times[this.head]! + this.spanMs;
    return Math.max(fromWindow, this.blockedUntil);
  }

  take(t: number): void {
    if (this.times.length < this.limit) this.times.push(t);
    else {
      this.times[this.head] = t;
      this.head = (this.head + 1) % this.limit;
    }
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly margin: number;
  private readonly limitFor: (method: string) => RateLimit;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  readonly enabled: boolean;

  constructor(opts: RateLimiterOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.margin = opts.marginRatio ?? 0.1;
    this.limitFor = opts.limitFor ?? rateLimitFor;
    this.backoffMs = opts.backoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.random = opts.random ?? Math.random;
    this.enabled = opts.enabled ?? true;
  }

  private bucket(method: string): Bucket {
    let b = this.buckets.get(method);
    if (!b) {
      const l = this.limitFor(method);
      b = new Bucket(l.limit, l.windowMs * (1 + this.margin));
      this.buckets.set(method, b);
    }
    return b;
  }

  /** Resolves when `method` may be sent (FIFO per method). */
  acquire(method: string): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const b = this.bucket(method);
    if (b.queue.length === 0 && b.earliest() <= this.now()) {
      b.take(this.now());
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      b.queue.push(resolve);
      this.pump(b);
    });
  }

  private pump(b: Bucket): void {
    if (b.timer) return;
    while (b.queue.length > 0) {
      const t = this.now();
      const at = b.earliest();
      if (at > t) {
        b.timer = setTimeout(
          () => {
            b.timer = undefined;
            this.pump(b);
          },
          Math.max(1, Math.ceil(at - t)),
        );
        return;
      }
      b.take(t);
      b.queue.shift()!();
    }
  }

  /** A 42901 was received for `method`: closes its bucket for a back-off; returns the delay (ms). */
  onRateLimited(method: string): number {
    const b = this.bucket(method);
    b.consecutive429 += 1;
    const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (b.consecutive429 - 1));
    const delay = Math.round(base * (0.75 + 0.5 * this.random()));
    b.blockedUntil = Math.max(b.blockedUntil, this.now() + delay);
    return delay;
  }

  onSuccess(method: string): void {
    const b = this.buckets.get(method);
    if (b) b.consecutive429 = 0;
  }

  /** Calls waiting per method (for diagnostics). */
  queued(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [m, b] of this.buckets) if (b.queue.length) out[m] = b.queue.length;
    return out;
  }

  /** Cancels timers (queued calls stay pending; close only when nothing is waiting). */
  dispose(): void {
    for (const b of this.buckets.values()) {
      if (b.timer) clearTimeout(b.timer);
      b.timer = undefined;
    }
  }
}
