/**
 * Signals and candles: recent signals newest first, a symbol's decision trace per condition with its
 * recent signals, candles through the market source with a checked timeframe, 503 when it fails.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ApiDecision, SignalDetail } from "../../../src/api/contract/types.js";
import { dec } from "../../../src/util/decimal.js";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { apiDataServer } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const decision: ApiDecision = {
  action: "BUY",
  strategy: "swing",
  timeframe: "1h",
  candle_time: 1,
  evaluated_at: 2,
  price: "65000.5",
  buy_index: 0.8,
  reasons: ["rsi below 30"],
  conditions: [{ name: "rsi", pass: true, value: "28.1", threshold: "30" }],
};

describe("signals and candles", () => {
  it("lists signals and a symbol's decisions with its recent signals", async () => {
    t = await apiDataServer();
    await t.store.signals.insert({
      symbol: "BTC_USD",
      side: "BUY",
      source: "engine",
      strategy: "swing",
      price: dec("65000.50"),
    });
    t.time.advance(1000);
    await t.store.signals.insert({
      symbol: "ETH_USD",
      side: "SELL",
      source: "webhook:tv",
      strategy: "external",
    });
    t.market.decisions.set("BTC_USD", [decision]);
    const all = (await t.server.inject({ method: "GET", url: "/api/signals" })).json();
    expect(all.map((s: { symbol: string }) => s.symbol)).toEqual(["ETH_USD", "BTC_USD"]);
    const d = (await t.server.inject({ method: "GET", url: "/api/signals/BTCUSD" })).json() as SignalDetail;
    expect(d.symbol).toBe("BTC_USD");
    expect(d.decisions).toEqual([decision]);
    expect(d.recent).toMatchObject([{ symbol: "BTC_USD", price: "65000.5", status: "PENDING" }]);
  });

  it("candles: timeframe checked against the list, the source's failure a 503", async () => {
    t = await apiDataServer();
    const ok = await t.server.inject({ method: "GET", url: "/api/candles/BTC_USD?timeframe=15m&count=50" });
    expect(ok.json()).toMatchObject({ symbol: "BTC_USD", timeframe: "15m", candles: [] });
    const bad = await t.server.inject({ method: "GET", url: "/api/candles/BTC_USD?timeframe=__proto__" });
    expect([bad.statusCode, bad.json().error.details[0].field]).toEqual([400, "timeframe"]);
    t.deps.market.candles = async () => {
      throw new Error("no candles yet");
    };
    const down = await t.server.inject({ method: "GET", url: "/api/candles/BTC_USD" });
    expect([down.statusCode, down.json().error.retryable]).toEqual([503, true]);
    expect((await t.server.inject({ method: "GET", url: "/api/candles/NOPE_USD" })).statusCode).toBe(400);
  });
});
