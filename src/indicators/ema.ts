/**
 * Exponential moving average, α = 2 / (period + 1), seeded with the SMA of the first `period` inputs
 * (the TA-Lib and TradingView `ta.ema` convention). NaN until `period` inputs were seen.
 */
export class Ema {
  readonly period: number;
  private readonly alpha: number;
  private seedSum = 0;
  count = 0;
  value = Number.NaN;

  constructor(period: number) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`EMA period must be >= 1, got ${period}`);
    this.period = period;
    this.alpha = 2 / (period + 1);
  }

  update(x: number): number {
    this.count++;
    if (this.count < this.period) {
      this.seedSum += x;
    } else if (this.count === this.period) {
      this.value = (this.seedSum + x) / this.period;
    } else {
      this.value += this.alpha * (x - this.value);
    }
    return this.value;
  }

  preview(x: number): number {
    const next = this.count + 1;
    if (next < this.period) return Number.NaN;
    if (next === this.period) return (this.seedSum + x) / this.period;
    return this.value + this.alpha * (x - this.value);
  }
}
