/** Previewing an unclosed candle shows its values without corrupting the committed state. */
import { describe, expect, it } from "vitest";
import { IndicatorSet } from "../../src/indicators/indicator-set.js";
import type { IndicatorSpec } from "../../src/indicators/spec.js";
import { randomCandles, rng } from "./series.js";

const SPECS: IndicatorSpec[] = [
  { kind: "sma", period: 50 },
  { kind: "sma", period: 200 },
  { kind: "ema", period: 10 },
  { kind: "rsi", period: 14 },
  { kind: "atr", period: 14 },
  { kind: "volume_ratio", period: 5 },
];

describe("IndicatorSet preview", () => {
  it("previews equal the committed result of the same candle, and never change committed state", () => {
    const candles = randomCandles(3_000, 99);
    const r = rng(5);
    const a = new IndicatorSet(SPECS); // previews a lot
    const b = new IndicatorSet(SPECS); // never previews
    for (const candle of candles) {
      // a live candle evolves: random partial candles first, then the final one
      for (let k = Math.floor(r() * 4); k > 0; k--) {
        a.preview({
          h: candle.h * (1 + r() * 0.01),
          l: candle.l,
          c: candle.c * (1 + (r() - 0.5) * 0.02),
          v: r() * 500,
        });
      }
      a.preview(candle);
      const previewed = SPECS.map((_, s) => a.value(s));
      const previewedPrev = SPECS.map((_, s) => a.previous(s));
      a.commit(candle);
      b.commit(candle);
      SPECS.forEach((spec, s) => {
        const committed = b.value(s);
        // committed state is bit-identical whatever was previewed
        expect(Object.is(a.value(s), committed), `${spec.kind}${spec.period}`).toBe(true);
        expect(Object.is(a.previous(s), b.previous(s))).toBe(true);
        // the preview of the final candle is the committed value (same math, rounding may differ by ulps)
        if (Number.isNaN(committed)) expect(previewed[s]).toBeNaN();
        else expect(Math.abs(previewed[s]! - committed)).toBeLessThanOrEqual(1e-12 * Math.abs(committed));
        expect(Object.is(previewedPrev[s], b.previous(s))).toBe(true);
      });
    }
  });

  it("explains a missing value with the candles needed and seen", () => {
    const set = new IndicatorSet(SPECS);
    for (const c of randomCandles(9, 3)) set.commit(c);
    const rsi = set.reading(set.slot({ kind: "rsi", period: 14 }));
    expect(rsi.value).toBeUndefined();
    expect(rsi.missing).toBe("RSI(14) needs 15 candles, have 9");
    set.preview(randomCandles(1, 4)[0]!);
    expect(set.reading(set.slot({ kind: "sma", period: 200 })).missing).toBe(
      "MA200 needs 200 candles, have 10",
    );
    set.clearPreview();
    const ema = set.reading(set.slot({ kind: "ema", period: 10 }));
    expect(ema.have).toBe(9);
    expect(ema.value).toBeUndefined();
  });

  it("an indicator added late starts without history instead of inventing it", () => {
    const set = new IndicatorSet([{ kind: "sma", period: 3 }]);
    for (const c of randomCandles(10, 3)) set.commit(c);
    const late = set.slot({ kind: "sma", period: 2 });
    expect(set.reading(late).value).toBeUndefined();
    expect(set.reading(late).have).toBe(0);
  });
});
