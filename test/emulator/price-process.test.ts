/** The seeded price process and the one bar builder shared by the emulator's history and backtests. */
import { describe, expect, it } from "vitest";
import { generateCandles } from "../../src/backtest/generated-candles.js";
import { DEFAULT_INSTRUMENTS } from "../../src/emulator/default-instruments.js";
import { hourlyVolumeFor, nextBar, PriceProcess } from "../../src/emulator/market/price-process.js";
import { Rng } from "../../src/emulator/rng.js";

const HOUR = 3_600_000;

describe("nextBar", () => {
  it("high and low bound the open and close; the volume is pro rata to the period", () => {
    // Volume per hour of the period, without the move's factor: the same draw gives the same value.
    const perHour = (bar: { v: number; o: number; c: number }, hours: number) =>
      bar.v / hours / (1 + 30 * Math.abs(Math.log(bar.c / bar.o)));
    for (let i = 0; i < 200; i++) {
      const hour = nextBar(new PriceProcess(new Rng(i, "p"), 100, 0.03), new Rng(i, "v"), i * HOUR, HOUR, 50);
      expect(hour.h).toBeGreaterThanOrEqual(Math.max(hour.o, hour.c));
      expect(hour.l).toBeLessThanOrEqual(Math.min(hour.o, hour.c));
      expect(hour.t).toBe(i * HOUR);
      expect(hour.o).toBeCloseTo(100, 9);
      const four = nextBar(new PriceProcess(new Rng(i, "p"), 100, 0.03), new Rng(i, "v"), 0, 4 * HOUR, 50);
      expect(perHour(four, 4)).toBeCloseTo(perHour(hour, 1), 9);
      expect(perHour(hour, 1)).toBeGreaterThanOrEqual(50 * 0.4);
      expect(perHour(hour, 1)).toBeLessThanOrEqual(50 * 1.6);
    }
  });

  it("is what the backtester's generated candles are made of", () => {
    const spec = DEFAULT_INSTRUMENTS.find((i) => i.symbol === "ETH_USD")!;
    const from = 1_700_000_000_000;
    const candles = generateCandles({
      symbol: "ETH_USD",
      timeframe: "4h",
      from,
      to: from + 50 * 4 * HOUR,
      seed: 9,
    });
    const initial = Number(spec.initial_price);
    const process = new PriceProcess(new Rng(9, "price:ETH"), initial, spec.daily_volatility ?? 0.03);
    const vol = new Rng(9, "volume:ETH_USD");
    const start = Math.floor(from / (4 * HOUR)) * 4 * HOUR;
    const expected = candles.map((_, i) =>
      nextBar(process, vol, start + i * 4 * HOUR, 4 * HOUR, hourlyVolumeFor(initial)),
    );
    expect(candles).toEqual(expected);
  });
});
