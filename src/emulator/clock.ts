/**
 * The emulator's clock: a time source plus `clock_offset_ms` (settable through the admin API and
 * moved by `clock_jump` faults). Every timestamp the emulator produces or checks reads it: market
 * time, the `Date` header, the nonce window, heartbeat ids, order and trade times, rate-limit
 * windows and the WebSocket book heartbeat.
 *
 * The source is the wall clock unless `startEmulator(config, { clock })` injects another one; a
 * `ManualClock` stands still until a test moves it, so no result depends on where the wall clock
 * happens to be. Waits (heartbeat interval and deadline, `market_tick_ms`, `order_latency_ms`,
 * latency faults, `ws_drop` and `clock_jump` delays) remain real timers.
 */

import type { Clock } from "../util/clock.js";

export const wallClock: Clock = { now: () => Date.now() };

/** A time source that moves only when told to (tests). */
export class ManualClock implements Clock {
  constructor(private t: number) {
    if (!Number.isFinite(t))
      throw new RangeError("ManualClock: the start time must be a finite number of ms");
  }

  now(): number {
    return this.t;
  }

  /** Moves the clock forward (or back, with a negative `ms`); returns the new time. */
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }

  set(ms: number): void {
    this.t = ms;
  }
}

export class EmulatorClock {
  constructor(
    private offsetMs = 0,
    private readonly source: Clock = wallClock,
  ) {}

  /** The exchange's time: the source plus the offset. */
  now(): number {
    return this.source.now() + this.offsetMs;
  }

  /** The source without the offset: what request-rate windows are measured in (offset changes and clock jumps do not move them). */
  local(): number {
    return this.source.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  jump(ms: number): void {
    this.offsetMs += ms;
  }
}
