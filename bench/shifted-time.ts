/**
 * The trading benches' clock (bench/tick-to-order.bench.ts, bench/api-webhook.ts): the wall clock
 * moved by `offset` ms, so a bench can step the trader past its daily limits and cooldowns between
 * orders; timers are the real ones.
 */
import type { TimeSource } from "../src/util/clock.js";

export class ShiftedTime implements TimeSource {
  offset = 0;
  now = () => Date.now() + this.offset;
  setTimeout = (fn: () => void, ms: number) => setTimeout(fn, ms);
  clearTimeout = (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>);
}
