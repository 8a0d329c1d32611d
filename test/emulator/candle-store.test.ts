/**
 * The emulator's candle history (src/emulator/market/candles.ts): a bar merges into the bucket
 * `candleStart` gives it, for every timeframe — including weeks from Monday and calendar months —
 * whether the store found the bucket by its remembered end or by computing it.
 */
import { describe, expect, it } from "vitest";
import type { Candle } from "../../src/domain/market.js";
import { CandleColumns } from "../../src/emulator/market/candle-columns.js";
import { CandleStore } from "../../src/emulator/market/candles.js";
import { Rng } from "../../src/emulator/rng.js";
import { candleStart, TIMEFRAMES, type Timeframe } from "../../src/exchange/cryptocom/constants.js";

/** Every bar bucketed by candleStart, the newest bucket merged, an older one ignored. */
function reference(bars: [number, number, number, number, number, number][]): Map<Timeframe, Candle[]> {
  const out = new Map<Timeframe, Candle[]>(TIMEFRAMES.map((tf) => [tf, []]));
  for (const [t, o, h, l, c, v] of bars)
    for (const tf of TIMEFRAMES) {
      const list = out.get(tf)!;
      const start = candleStart(tf, t);
      const last = list.at(-1);
      if (last && last.t === start) {
        last.h = Math.max(last.h, h);
        last.l = Math.min(last.l, l);
        last.c = c;
        last.v += v;
      } else if (!last || start > last.t) list.push({ t: start, o, h, l, c, v });
    }
  return out;
}

describe("CandleStore", () => {
  it("buckets every bar as candleStart does, across week and month boundaries and out-of-order bars", () => {
    const rng = new Rng(7, "candle-store");
    const bars: [number, number, number, number, number, number][] = [];
    let t = Date.UTC(2026, 0, 30, 22, 0); // a month end, then a Monday
    for (let i = 0; i < 6_000; i++) {
      // mostly forward by 1–90 minutes, sometimes back by up to 2 hours
      t +=
        rng.range(0, 1) < 0.05
          ? -Math.floor(rng.range(0, 120)) * 60_000
          : Math.floor(rng.range(1, 90)) * 60_000;
      const p = 100 + rng.normal();
      bars.push([t, p, p + 1, p - 1, p + 0.5, rng.range(0, 10)]);
    }
    const store = new CandleStore();
    for (const b of bars) store.add(...b);
    const want = reference(bars);
    for (const tf of TIMEFRAMES)
      expect(store.range(tf, 0, Number.MAX_SAFE_INTEGER, 1_000_000), tf).toEqual(want.get(tf));
  });
});

describe("CandleColumns", () => {
  it("keeps the newest `max` candles through growth and compaction; what it hands out is a copy", () => {
    const s = new CandleColumns(700);
    for (let i = 0; i < 5_000; i++) {
      s.push(i, i + 1, i + 0.1, i + 0.2, i - 0.2, i + 0.05, 1);
      if (i % 3 === 0) s.mergeLast(i + 0.5, i - 0.5, i + 0.07, 2);
    }
    expect(s.length).toBe(700);
    expect(s.at(0).t).toBe(4_300);
    expect(s.at(699)).toEqual({ t: 4_999, o: 4_999.1, h: 4_999.2, l: 4_998.8, c: 4_999.05, v: 1 });
    expect(s.at(698)).toEqual({ t: 4_998, o: 4_998.1, h: 4_998.5, l: 4_997.5, c: 4_998.07, v: 3 });
    for (let i = 0; i < 700; i++) expect(s.startAt(i)).toBe(4_300 + i);
    expect([s.holds(4_998.9), s.holds(4_999), s.holds(4_999.5), s.holds(5_000)]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    s.at(699).h = 1e9;
    expect(s.at(699).h).toBe(4_999.2);
    s.scale(2);
    expect(s.at(699)).toEqual({ t: 4_999, o: 9_998.2, h: 9_998.4, l: 9_997.6, c: 9_998.1, v: 1 });
  });
});
