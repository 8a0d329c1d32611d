/** Same input, same output byte for byte; the fingerprint of a fixed run is pinned. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FILL_MODEL } from "../../src/backtest/fill-model.js";
import { fingerprintTrades } from "../../src/backtest/fingerprint.js";
import { generateCandles } from "../../src/backtest/generated-candles.js";
import { renderReportHtml, summaryJson } from "../../src/backtest/report.js";
import { runBacktest } from "../../src/backtest/run.js";
import { loadStrategyConfig } from "../../src/strategy/config.js";
import { randomCandles } from "../indicators/series.js";

const config = loadStrategyConfig();
const candles = generateCandles({
  symbol: "BTC_USD",
  timeframe: "1h",
  from: Date.UTC(2025, 0, 1),
  to: Date.UTC(2025, 6, 1),
  seed: 7,
});

async function once(preset: string, input = candles) {
  const r = await runBacktest(input, {
    symbol: "BTC_USD",
    timeframe: "1h",
    strategy: config.presetStrategy(preset),
    fill: DEFAULT_FILL_MODEL,
    minIntervalMs: config.minIntervalMs,
    minPriceChangePct: config.preset(preset)!.minPriceChangePct,
    configHash: "pinned",
  });
  const meta = { source: "emulator market process, seed 7", gaps: 0 };
  return { r, json: JSON.stringify(summaryJson(r, meta)), html: renderReportHtml(r, input, meta) };
}

describe("backtest determinism", () => {
  it("generated candles are a pure function of their inputs", () => {
    const again = generateCandles({
      symbol: "BTC_USD",
      timeframe: "1h",
      from: Date.UTC(2025, 0, 1),
      to: Date.UTC(2025, 6, 1),
      seed: 7,
    });
    expect(again).toEqual(candles);
    expect(candles).toHaveLength(181 * 24);
    expect(
      generateCandles({ symbol: "BTC_USD", timeframe: "1h", from: 0, to: 10 * 3_600_000, seed: 8 }),
    ).not.toEqual(
      generateCandles({ symbol: "BTC_USD", timeframe: "1h", from: 0, to: 10 * 3_600_000, seed: 7 }),
    );
  });

  it("two runs give byte-identical results, reports and trade fingerprints", async () => {
    const a = await once("swing-aggressive");
    const b = await once("swing-aggressive");
    expect(a.r.trades.length).toBeGreaterThan(5);
    expect(b.json).toBe(a.json);
    expect(b.html).toBe(a.html);
    expect(b.r.fingerprint).toBe(a.r.fingerprint);
  });

  it("the trade list of a fixed run is pinned (a behaviour change shows here first)", async () => {
    // plain-arithmetic candles (no dependence on the emulator's price process), 1h from 2025-01-01
    const fixed = randomCandles(6_000, 11).map((c) => ({ ...c, t: Date.UTC(2025, 0, 1) + c.t * 60 }));
    const { r } = await once("swing-aggressive", fixed);
    expect({ trades: r.trades.length, fingerprint: r.fingerprint }).toEqual({
      trades: PINNED.trades,
      fingerprint: PINNED.fingerprint,
    });
  });

  it("the fingerprint changes when any trade field changes", async () => {
    const { r } = await once("swing-aggressive");
    const tweaked = r.trades.map((t, i) => (i === 3 ? { ...t, exitPrice: t.exitPrice + 1e-9 } : t));
    expect(fingerprintTrades(tweaked)).not.toBe(r.fingerprint);
    expect(fingerprintTrades(r.trades)).toBe(r.fingerprint);
  });
});

/** Update only for an intended change of strategy or fill behaviour, and say so in the commit. */
const PINNED = {
  trades: 65,
  fingerprint: "eccc84f0ee0daf939e8e8d093f62840d073e9e639008b0ac3eadd9bfb0b29c0d",
};

describe("generated candles are aligned like the exchange's", () => {
  it("weekly candles start on Mondays and monthly ones on the 1st (UTC)", () => {
    const from = Date.UTC(2024, 0, 10);
    const to = Date.UTC(2025, 0, 1);
    const months = generateCandles({ symbol: "BTC_USD", timeframe: "1M", from, to, seed: 3 });
    expect(months.map((c) => new Date(c.t).toISOString().slice(0, 10))).toEqual(
      Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2024, m, 1)).toISOString().slice(0, 10)),
    );
    const weeks = generateCandles({ symbol: "BTC_USD", timeframe: "7D", from, to, seed: 3 });
    expect(weeks.every((c) => new Date(c.t).getUTCDay() === 1)).toBe(true);
    expect(weeks[0]!.t).toBe(Date.UTC(2024, 0, 8));
  });
});
