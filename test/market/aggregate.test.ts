import { describe, expect, it } from "vitest";
import type { Candle } from "../../src/domain/market.js";
import { CandleAggregator } from "../../src/market/aggregate.js";
import { formatDuration } from "../../src/market/health.js";
import { Ring } from "../../src/market/ring.js";
import { canAggregate, candleStart } from "../../src/market/timeframe.js";

const H = 3_600_000;
const DAY = 24 * H;
const hour = (i: number, c: number, v = 1): Candle => ({ t: i * H, o: c - 1, h: c + 2, l: c - 2, c, v });

describe("CandleAggregator", () => {
  it("builds daily candles from hourly ones; the day in progress holds exactly the hours seen", () => {
    const agg = new CandleAggregator("1h", "1D");
    let step = agg.push(hour(0, 10));
    expect(step).toEqual({ live: { t: 0, o: 9, h: 12, l: 8, c: 10, v: 1 } });
    for (let i = 1; i < 24; i++) step = agg.push(hour(i, 10 + i, 2));
    expect(step.closed).toBeUndefined();
    expect(step.live).toEqual({ t: 0, o: 9, h: 35, l: 8, c: 33, v: 1 + 23 * 2 });
    step = agg.push(hour(24, 5));
    expect(step.closed).toEqual({ t: 0, o: 9, h: 35, l: 8, c: 33, v: 47 });
    expect(step.live).toEqual({ t: DAY, o: 4, h: 7, l: 3, c: 5, v: 1 });
    // a gap of whole days: the next candle starts its own day
    step = agg.push(hour(24 * 3 + 5, 7));
    expect(step.closed?.t).toBe(DAY);
    expect(step.live.t).toBe(3 * DAY);
    expect(() => agg.push(hour(0, 1))).toThrow(/older than the bucket/);
  });

  it("knows which timeframes can be built from which", () => {
    expect(canAggregate("1m", "1D")).toBe(true);
    expect(canAggregate("4h", "1D")).toBe(true);
    expect(canAggregate("1D", "7D")).toBe(false);
    expect(canAggregate("1h", "30m")).toBe(false);
    expect(() => new CandleAggregator("1D", "7D")).toThrow(/cannot build 7D candles from 1D/);
    expect(candleStart("4h", DAY + 5 * H + 123)).toBe(DAY + 4 * H);
    // weeks start on Monday 00:00 UTC, months on the 1st (2024-12-26 was a Thursday)
    expect(new Date(candleStart("7D", Date.UTC(2024, 11, 26, 13))).toISOString()).toBe(
      "2024-12-23T00:00:00.000Z",
    );
    expect(new Date(candleStart("1M", Date.UTC(2024, 11, 26, 13))).toISOString()).toBe(
      "2024-12-01T00:00:00.000Z",
    );
  });
});

describe("Ring", () => {
  it("keeps the newest `capacity` items in order", () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect([r.at(0), r.at(-1), r.last(), r.at(3), r.length]).toEqual([3, 5, 5, undefined, 3]);
    r.clear();
    expect(r.toArray()).toEqual([]);
  });
});

describe("formatDuration", () => {
  it("reads naturally at every scale", () => {
    expect([95_000, 121 * 60_000, 2 * H, 50 * H, 72 * H].map(formatDuration)).toEqual([
      "95 s",
      "2 h 1 min",
      "2 h",
      "2 d 2 h",
      "3 d",
    ]);
  });
});
