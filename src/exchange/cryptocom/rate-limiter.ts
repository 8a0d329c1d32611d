/**
 * Client-side rate limits (reference §6), one bucket per method with the limit of its class from
 * endpoints.ts (e.g. create-order 15 / 100 ms, get-order-history 1 / s, public 100 / s).
 *
 * Invariants:
 * - Calls queue in FIFO order; nothing is ever dropped or failed by the limiter.
 * - A token spent at time t comes back at t + window × (1 + margin): no window of that length ever
 *   sees more than `limit` requests (a refill-rate bucket would allow 2× at a window edge, which a
 *   fixed-window server counts as a violation). The margin absorbs network jitter.
 * - A token acquired with `{ held: true }` (the REST client) comes back a window after the request's
 *   ANSWER (its `release()`), not after its acquisition: a request that left late (the event loop
 *   busy, undici's queue) can never arrive inside the same server window as the `limit` requests
 *   after it, however much they bunch on the way. A held token never released comes back after
 *   MAX_HOLD_MS (a bug never stalls a method for good).
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

/** How long a held token may stay out before it counts as back anyway. */
export const MAX_HOLD_MS = 60_000;

/** Frees a held token: it comes back one window after this call. */
export type ReleaseToken = () => void;

class Bucket {
  /** When each spent token comes back (ms); a held one: acquisition + MAX_HOLD_MS until released. */
  private readonly backAt: number[] = [];
  readonly queue: { resolve: (release: ReleaseToken) => void; held: boolean }[] = [];
  blockedUntil = 0;
  consecutive429 = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly limit: number,
    readonly spanMs: number,
  ) {}

  /** Earliest time a new request may go out. */
  earliest(): number {
    if (this.backAt.length < this.limit) return this.blockedUntil;
    let first = Number.POSITIVE_INFINITY;
    for (const t of this.backAt) if (t < first) first = t;
    return Math.max(first, this.blockedUntil);
  }

  /** Spends the token that came back first (or a new one); returns its slot. */
  take(t: number, held: boolean): number {
    const back = held ? t + MAX_HOLD_MS : t + this.spanMs;
    if (this.backAt.length < this.limit) return this.backAt.push(back) - 1;
    let slot = 0;
    for (let i = 1; i < this.backAt.length; i++) if (this.backAt[i]! < this.backAt[slot]!) slot = i;
    this.backAt[slot] = back;
    return slot;
  }

  /** The held token of `slot` comes back one window after `t`. */
  release(slot: number, t: number): void {
    this.backAt[slot] = t + this.spanMs;
  }
}

const NO_RELEASE: ReleaseToken = () => undefined;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly margin: number;
  private readonly limitFor: (method: string) => RateLimit;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  readonly enabled: boolean;
  /** Calls that had to queue (their token was not there when they asked), since construction. */
  private queuedCalls = 0;

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

  /**
   * Resolves when `method` may be sent (FIFO per method), with the token's release. `held`: the
   * token stays out until `release()` (call it when the answer is in, or the request failed).
   */
  acquire(method: string, opts: { held?: boolean } = {}): Promise<ReleaseToken> {
    const held = opts.held ?? false;
    const now = this.tryAcquire(method, held);
    if (now !== undefined) return Promise.resolve(now);
    const b = this.bucket(method);
    this.queuedCalls += 1;
    return new Promise<ReleaseToken>((resolve) => {
      b.queue.push({ resolve, held });
      this.pump(b);
    });
  }

  /**
   * The token for `method` when one is there now and nobody queues before this call (the same rule
   * as `acquire`, without a promise); undefined when the call has to wait: then `acquire` queues it.
   */
  tryAcquire(method: string, held = false): ReleaseToken | undefined {
    if (!this.enabled) return NO_RELEASE;
    const b = this.bucket(method);
    return b.queue.length === 0 && b.earliest() <= this.now() ? this.spend(b, held) : undefined;
  }

  private spend(b: Bucket, held: boolean): ReleaseToken {
    const slot = b.take(this.now(), held);
    if (!held) return NO_RELEASE;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      b.release(slot, this.now());
      if (b.queue.length > 0) {
        if (b.timer) clearTimeout(b.timer);
        b.timer = undefined;
        this.pump(b);
      }
    };
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
      const next = b.queue.shift()!;
      next.resolve(this.spend(b, next.held));
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

  /** How many calls had to wait for a token so far (all methods; for diagnostics and benches). */
  get waits(): number {
    return this.queuedCalls;
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
