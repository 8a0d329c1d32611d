/**
 * Failed-token throttle of the signing proxy, per client IP: after `maxFailures` wrong or missing
 * tokens within `windowMs`, that IP is refused (HTTP 429) until the window since its first failure
 * has passed; a correct token does not clear a running block (a guesser cannot interleave good
 * and bad tokens to keep trying). Other IPs are unaffected.
 *
 * Invariants: time comes from the injected Clock; memory is bounded (at most `maxTracked` IPs;
 * the oldest entry is dropped first).
 */
import type { Clock } from "../util/clock.js";

export interface ThrottleOptions {
  maxFailures?: number | undefined;
  windowMs?: number | undefined;
  maxTracked?: number | undefined;
}

interface Entry {
  first: number;
  failures: number;
}

export class TokenFailureThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxTracked: number;

  constructor(
    private readonly clock: Clock,
    opts: ThrottleOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
    this.maxTracked = opts.maxTracked ?? 10_000;
  }

  private current(ip: string): Entry | undefined {
    const e = this.entries.get(ip);
    if (e && this.clock.now() - e.first >= this.windowMs) {
      this.entries.delete(ip);
      return undefined;
    }
    return e;
  }

  /** Ms until `ip` may try again; 0 when it is not blocked. */
  blockedForMs(ip: string): number {
    const e = this.current(ip);
    if (!e || e.failures < this.maxFailures) return 0;
    return e.first + this.windowMs - this.clock.now();
  }

  recordFailure(ip: string): void {
    const e = this.current(ip);
    if (e) {
      e.failures += 1;
      return;
    }
    if (this.entries.size >= this.maxTracked) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(ip, { first: this.clock.now(), failures: 1 });
  }
}
