/**
 * Failed-authentication throttle per client IP: after MAX_FAILURES failures within WINDOW_MS the IP
 * is refused (429 with Retry-After) until BLOCK_MS after its last failure.
 *
 * Invariants:
 * - Time comes from the injected clock only.
 * - Memory is bounded: entries idle longer than the window are dropped once the map grows large.
 */
import type { Clock } from "../../util/clock.js";

export const AUTH_MAX_FAILURES = 5;
export const AUTH_WINDOW_MS = 60_000;
export const AUTH_BLOCK_MS = 60_000;
const PRUNE_AT = 10_000;

interface Entry {
  failures: number[];
  blockedUntil: number;
}

export class AuthThrottle {
  private readonly byIp = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Seconds until the IP may try again (0: not blocked). */
  retryAfterS(ip: string): number {
    const e = this.byIp.get(ip);
    const left = e ? e.blockedUntil - this.clock.now() : 0;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Records a failure; true when the IP is now blocked. */
  fail(ip: string): boolean {
    const now = this.clock.now();
    if (this.byIp.size > PRUNE_AT) this.prune(now);
    const e = this.byIp.get(ip) ?? { failures: [], blockedUntil: 0 };
    e.failures = e.failures.filter((t) => now - t < AUTH_WINDOW_MS);
    e.failures.push(now);
    if (e.failures.length >= AUTH_MAX_FAILURES) e.blockedUntil = now + AUTH_BLOCK_MS;
    this.byIp.set(ip, e);
    return e.blockedUntil > now;
  }

  private prune(now: number): void {
    for (const [ip, e] of this.byIp) {
      const last = e.failures.at(-1) ?? 0;
      if (now - last > AUTH_WINDOW_MS && e.blockedUntil <= now) this.byIp.delete(ip);
    }
  }
}
