/**
 * Crafted candle series: a piecewise path of relative moves, each segment with its own volume, so a
 * test can state the market shape it needs ("long uptrend, sharp dip, strong bounce").
 */
import type { Candle } from "../../src/domain/market.js";

export interface Segment {
  /** Number of candles. */
  n: number;
  /** Total relative move over the segment (0.2 = +20 %). */
  move: number;
  /** Volume of each candle (default 100). */
  volume?: number;
}

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2025, 0, 1);

/** Deterministic candles along the segments, with a small alternating wiggle so RSI is defined. */
export function craft(segments: Segment[], start = 100, tfMs = HOUR, t0 = T0): Candle[] {
  const out: Candle[] = [];
  let price = start;
  let i = 0;
  for (const seg of segments) {
    const step = (1 + seg.move) ** (1 / seg.n);
    for (let k = 0; k < seg.n; k++) {
      const wiggle = i % 2 === 0 ? 1.001 : 0.999;
      const o = price;
      const c = price * step * wiggle;
      out.push({
        t: t0 + i * tfMs,
        o,
        h: Math.max(o, c) * 1.002,
        l: Math.min(o, c) * 0.998,
        c,
        v: seg.volume ?? 100,
      });
      price = c / wiggle;
      i++;
    }
  }
  return out;
}
