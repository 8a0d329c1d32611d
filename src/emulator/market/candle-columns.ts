/**
 * One timeframe's candles, newest last, in columns of floats (start, open, high, low, close,
 * volume) instead of one object per candle: a 300-day history is ~20,000 candles per instrument,
 * and as objects every one of them was copied by the young-generation collector and traced by
 * every full collection while the emulator started. Candles leave as fresh objects (`at`), so a
 * caller can never change the history by changing what it was given.
 *
 * At most `max` candles are kept: older ones are dropped from the front (the columns are compacted
 * once the dropped part is as large as the kept one).
 */
import type { Candle } from "../../domain/market.js";

const FIELDS = 6;
const T = 0;
const O = 1;
const H = 2;
const L = 3;
const C = 4;
const V = 5;

export class CandleColumns {
  /** Row i of the series is at offset (first + i) * FIELDS. */
  private data = new Float64Array(256 * FIELDS);
  private first = 0;
  private count = 0;
  /** Where the newest candle's bucket ends (exclusive), as its `push` said. */
  private lastEnd = Number.NEGATIVE_INFINITY;

  constructor(private readonly max: number) {}

  get length(): number {
    return this.count;
  }

  /** The newest candle's start, or undefined when empty. */
  lastStart(): number | undefined {
    return this.count === 0 ? undefined : this.data[(this.first + this.count - 1) * FIELDS + T];
  }

  /** Whether time `t` falls in the newest candle's bucket (its start ≤ t < its end). */
  holds(t: number): boolean {
    const last = this.lastStart();
    return last !== undefined && last <= t && t < this.lastEnd;
  }

  /** The i-th candle (0 = the oldest kept) as a new object. */
  at(i: number): Candle {
    const k = (this.first + i) * FIELDS;
    const d = this.data;
    return { t: d[k + T]!, o: d[k + O]!, h: d[k + H]!, l: d[k + L]!, c: d[k + C]!, v: d[k + V]! };
  }

  /** The i-th candle's start. */
  startAt(i: number): number {
    return this.data[(this.first + i) * FIELDS + T]!;
  }

  /** A new newest candle starting at `t`, its bucket ending at `end` (exclusive). */
  push(t: number, end: number, o: number, h: number, l: number, c: number, v: number): void {
    if ((this.first + this.count + 1) * FIELDS > this.data.length) this.makeRoom();
    const k = (this.first + this.count) * FIELDS;
    const d = this.data;
    d[k + T] = t;
    d[k + O] = o;
    d[k + H] = h;
    d[k + L] = l;
    d[k + C] = c;
    d[k + V] = v;
    this.count++;
    this.lastEnd = end;
    if (this.count > this.max) {
      this.first += this.count - this.max;
      this.count = this.max;
    }
  }

  /** Merges a bar into the newest candle: high and low widened, close replaced, volume added. */
  mergeLast(h: number, l: number, c: number, v: number): void {
    const k = (this.first + this.count - 1) * FIELDS;
    const d = this.data;
    if (h > d[k + H]!) d[k + H] = h;
    if (l < d[k + L]!) d[k + L] = l;
    d[k + C] = c;
    d[k + V]! += v;
  }

  /** Multiplies every price (not volumes or starts) by `factor`. */
  scale(factor: number): void {
    const d = this.data;
    const end = (this.first + this.count) * FIELDS;
    for (let k = this.first * FIELDS; k < end; k += FIELDS) {
      d[k + O]! *= factor;
      d[k + H]! *= factor;
      d[k + L]! *= factor;
      d[k + C]! *= factor;
    }
  }

  /** Drops the dropped rows when they are at least half the columns, else doubles the columns. */
  private makeRoom(): void {
    const from = this.first * FIELDS;
    const to = (this.first + this.count) * FIELDS;
    if (this.first >= this.count) this.data.copyWithin(0, from, to);
    else {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data.subarray(from, to));
      this.data = bigger;
    }
    this.first = 0;
  }
}
