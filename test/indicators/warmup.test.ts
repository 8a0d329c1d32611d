/** specWarmup: after that many candles, where the history started no longer matters (to ~1e-9). */
import { describe, expect, it } from "vitest";
import { IndicatorSet } from "../../src/indicators/indicator-set.js";
import { type IndicatorSpec, specNeeded, specWarmup } from "../../src/indicators/spec.js";
import { randomCandles } from "./series.js";

const SPECS: IndicatorSpec[] = [
  { kind: "ema", period: 10 },
  { kind: "rsi", period: 14 },
  { kind: "atr", period: 14 },
  { kind: "sma", period: 200 },
];

describe("specWarmup", () => {
  it("recursive indicators started at different points agree within 1e-9 after their warm-up", () => {
    const candles = randomCandles(3_000, 17);
    const compared: string[] = [];
    for (const spec of SPECS) {
      const warm = specWarmup(spec);
      expect(warm).toBeGreaterThanOrEqual(specNeeded(spec));
      const early = new IndicatorSet([spec]);
      const late = new IndicatorSet([spec]);
      const lateStart = 1_000;
      candles.forEach((c, i) => {
        early.commit(c);
        if (i >= lateStart) late.commit(c);
        if (i === lateStart + warm - 1) {
          const a = early.value(0);
          const b = late.value(0);
          expect(Math.abs(a - b) / Math.abs(a), `${spec.kind}${spec.period}`).toBeLessThan(1e-9);
          compared.push(`${spec.kind}${spec.period}`);
        }
      });
    }
    // every spec reached its comparison point inside the series (none was skipped for being too long)
    expect(compared).toEqual(SPECS.map((s) => `${s.kind}${s.period}`));
  });
});
