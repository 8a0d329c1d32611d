/**
 * Average True Range with Wilder's smoothing (default period 14). The true range of the first candle
 * is high − low (no previous close); the average is seeded with the mean of the first `period` true
 * ranges, then smoothed with α = 1 / period. NaN until `period` candles were seen.
 */
export interface HighLowClose {
  h: number;
  l: number;
  c: number;
}

export class Atr {
  readonly period: number;
  private prevClose = Number.NaN;
  private trSum = 0;
  count = 0;
  value = Number.NaN;

  constructor(period = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`ATR period must be >= 1, got ${period}`);
    this.period = period;
  }

  private trueRange(h: number, l: number): number {
    const range = h - l;
    if (this.count === 0) return range;
    const up = Math.abs(h - this.prevClose);
    const down = Math.abs(l - this.prevClose);
    return Math.max(range, up, down);
  }

  update(candle: HighLowClose): number {
    const tr = this.trueRange(candle.h, candle.l);
    this.prevClose = candle.c;
    this.count++;
    const n = this.period;
    if (this.count < n) this.trSum += tr;
    else if (this.count === n) this.value = (this.trSum + tr) / n;
    else this.value += (tr - this.value) / n;
    return this.value;
  }

  preview(candle: HighLowClose): number {
    const next = this.count + 1;
    const n = this.period;
    if (next < n) return Number.NaN;
    const tr = this.trueRange(candle.h, candle.l);
    if (next === n) return (this.trSum + tr) / n;
    return this.value + (tr - this.value) / n;
  }
}
