/**
 * Simple moving average over the last `period` closed inputs. O(1) per update (ring buffer and a
 * compensated running sum). `NaN` means "not enough inputs yet", never a made-up value.
 */
import { RunningSum } from "./sum.js";

export class Sma {
  readonly period: number;
  private readonly ring: Float64Array;
  private readonly sum = new RunningSum();
  private pos = 0;
  /** Closed inputs seen so far. */
  count = 0;
  /** Current value (NaN until `period` inputs were seen). */
  value = Number.NaN;

  constructor(period: number) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`SMA period must be >= 1, got ${period}`);
    this.period = period;
    this.ring = new Float64Array(period);
  }

  update(x: number): number {
    const n = this.period;
    if (this.count >= n) this.sum.add(-this.ring[this.pos]!);
    this.ring[this.pos] = x;
    this.sum.add(x);
    this.pos = this.pos + 1 === n ? 0 : this.pos + 1;
    this.count++;
    this.value = this.count >= n ? this.sum.value / n : Number.NaN;
    return this.value;
  }

  /** The value if `x` were the next closed input; does not change state. */
  preview(x: number): number {
    const n = this.period;
    if (this.count + 1 < n) return Number.NaN;
    const drop = this.count >= n ? this.ring[this.pos]! : 0;
    return (this.sum.value - drop + x) / n;
  }
}
