/**
 * Relative Strength Index with Wilder's smoothing (default period 14). The average gain and loss are
 * seeded with the plain mean of the first `period` price changes, then smoothed with α = 1 / period.
 * The first value needs `period + 1` closes. When the whole history is flat (no gain and no loss) the
 * RSI is undefined and stays NaN: it is reported as such, never as 50 or 100.
 */
export class Rsi {
  readonly period: number;
  private prevClose = Number.NaN;
  private gainSum = 0;
  private lossSum = 0;
  private avgGain = 0;
  private avgLoss = 0;
  /** Closes seen so far. */
  count = 0;
  value = Number.NaN;

  constructor(period = 14) {
    if (!Number.isInteger(period) || period < 1)
      throw new RangeError(`RSI period must be >= 1, got ${period}`);
    this.period = period;
  }

  update(close: number): number {
    this.count++;
    if (this.count === 1) {
      this.prevClose = close;
      return this.value;
    }
    const change = close - this.prevClose;
    this.prevClose = close;
    const gain = Math.max(change, 0);
    const loss = change > 0 ? 0 : -change;
    const changes = this.count - 1;
    const n = this.period;
    if (changes < n) {
      this.gainSum += gain;
      this.lossSum += loss;
      return this.value;
    }
    if (changes === n) {
      this.avgGain = (this.gainSum + gain) / n;
      this.avgLoss = (this.lossSum + loss) / n;
    } else {
      this.avgGain += (gain - this.avgGain) / n;
      this.avgLoss += (loss - this.avgLoss) / n;
    }
    this.value = rsiOf(this.avgGain, this.avgLoss);
    return this.value;
  }

  preview(close: number): number {
    const changes = this.count; // after adding `close`
    const n = this.period;
    if (changes < n) return Number.NaN;
    const change = close - this.prevClose;
    const gain = Math.max(change, 0);
    const loss = change > 0 ? 0 : -change;
    if (changes === n) return rsiOf((this.gainSum + gain) / n, (this.lossSum + loss) / n);
    return rsiOf(this.avgGain + (gain - this.avgGain) / n, this.avgLoss + (loss - this.avgLoss) / n);
  }
}

function rsiOf(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? Number.NaN : 100;
  return 100 - 100 / (1 + avgGain / avgLoss);
}
