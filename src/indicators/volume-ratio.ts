/**
 * Volume ratio: the volume of the current candle divided by the average volume of the `period`
 * closed candles before it (the original used 5). NaN until `period` earlier candles exist, and NaN
 * when their average volume is 0 (a ratio to nothing is undefined, not "infinitely high").
 */
import { RunningSum } from "./sum.js";

export class VolumeRatio {
  readonly period: number;
  private readonly ring: Float64Array;
  private readonly sum = new RunningSum();
  private pos = 0;
  count = 0;
  value = Number.NaN;

  constructor(period = 5) {
    if (!Number.isInteger(period) || period < 1) {
      throw new RangeError(`volume ratio period must be >= 1, got ${period}`);
    }
    this.period = period;
    this.ring = new Float64Array(period);
  }

  /** Ratio of `v` to the average of the previous `period` volumes (NaN if unknown). */
  private ratio(v: number): number {
    if (this.count < this.period) return Number.NaN;
    const avg = this.sum.value / this.period;
    return avg > 0 ? v / avg : Number.NaN;
  }

  update(v: number): number {
    this.value = this.ratio(v);
    if (this.count >= this.period) this.sum.add(-this.ring[this.pos]!);
    this.ring[this.pos] = v;
    this.sum.add(v);
    this.pos = this.pos + 1 === this.period ? 0 : this.pos + 1;
    this.count++;
    return this.value;
  }

  preview(v: number): number {
    return this.ratio(v);
  }
}
