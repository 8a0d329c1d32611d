/**
 * The candle history the emulator backfills at start (`history_days`, default 300): the last 7 days
 * (all of them when fewer) in minute bars, the rest hourly; 0 leaves only the current hour's.
 * Whatever its length, the history ends at the instrument's configured price.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseEmulatorConfig } from "../../src/emulator/config.js";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";

const END = Date.UTC(2026, 2, 2, 10, 17, 33);
const DAY = 86_400_000;
const running: EmulatorHandle[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

async function start(history_days?: number): Promise<EmulatorHandle> {
  const em = await startEmulator(
    { market_tick_ms: 0, ...(history_days === undefined ? {} : { history_days }) },
    { port: 0, clock: new ManualClock(END) },
  );
  running.push(em);
  return em;
}

const candles = (em: EmulatorHandle, tf: "1m" | "1h") =>
  em.exchange.market.candles("BTC_USD", tf, 0, END, 100_000);

describe("history_days", () => {
  it("defaults to 300 days: hourly candles from 300 days back, minute candles for the last 7", async () => {
    expect(parseEmulatorConfig({}).history_days).toBe(300);
    const em = await start();
    const hours = candles(em, "1h");
    expect(END - hours[0]!.t).toBeGreaterThan(299 * DAY);
    const minutes = candles(em, "1m");
    expect(END - minutes[0]!.t).toBeGreaterThan(7 * DAY - 3_600_000);
    expect(END - minutes[0]!.t).toBeLessThanOrEqual(7 * DAY + 3_600_000);
  });

  it("2 days: every candle is from the last 2 days, minute by minute", async () => {
    const em = await start(2);
    for (const tf of ["1m", "1h"] as const) {
      const cs = candles(em, tf);
      expect(END - cs[0]!.t, tf).toBeLessThanOrEqual(2 * DAY + 3_600_000);
    }
    // minute bars from the first hour of the window to now: about 2 × 1,440, the one in progress included
    expect(candles(em, "1m").length).toBeGreaterThan(2 * 1_440 - 60);
  });

  it("0 days: the current hour only, and the market trades at the configured price", async () => {
    const em = await start(0);
    const hour = Math.floor(END / 3_600_000) * 3_600_000;
    const cs = candles(em, "1m");
    expect(cs).toHaveLength(18); // 10:00 … 10:17, the last one in progress
    expect(cs[0]!.t).toBe(hour);
    expect(candles(em, "1h").map((c) => c.t)).toEqual([hour]);
    expect(cs.at(-1)!.c).toBeCloseTo(65_000, 6); // candles are floats; the market formats them to ticks
    expect(em.exchange.market.book("BTC_USD").asks.length).toBeGreaterThan(0);
  });

  it("is refused outside 0…3650 days, naming the field", () => {
    expect(() => parseEmulatorConfig({ history_days: -1 })).toThrow(/history_days/);
    expect(() => parseEmulatorConfig({ history_days: 1.5 })).toThrow(/history_days/);
    expect(() => parseEmulatorConfig({ history_days: 3_651 })).toThrow(/history_days/);
  });
});
