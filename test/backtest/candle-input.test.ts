/**
 * The backtester's candle input takes its exchange source injected (the composition root builds
 * the Crypto.com one): it pages through the source, keeps only closed candles in [from, to), counts
 * gaps and names the source as it was told. No client is constructed in the library.
 */
import { describe, expect, it } from "vitest";
import { loadCandles } from "../../src/backtest/candle-input.js";
import { FakeSource } from "../market/fake-source.js";

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

describe("loadCandles from an injected CandleSource", () => {
  it("reads the range through the source, drops the candle in progress, and uses the label", async () => {
    const source = new FakeSource(T0 + 10 * H + H / 2, 4); // exchange time: half-way into candle 10
    const loaded = await loadCandles(
      { kind: "rest", source, label: "rest http://127.0.0.1:1/exchange/v1" },
      { symbol: "BTC_USD", timeframe: "1h", from: T0 + 2 * H, to: T0 + 20 * H, now: () => source.now },
    );
    expect(loaded.source).toBe("rest http://127.0.0.1:1/exchange/v1");
    expect(loaded.candles.map((c) => (c.t - T0) / H)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(loaded.gaps).toBe(0);
    // paged by the source's request size
    expect(source.requests.length).toBeGreaterThan(1);
    expect(source.requests.every((r) => r.symbol === "BTC_USD" && r.timeframe === "1h")).toBe(true);
  });
});
