/** Every public endpoint against the emulator over loopback. */
import { describe, expect, it } from "vitest";
import { ExchangeError } from "../../../src/exchange/cryptocom/errors.js";
import { Dec } from "../../../src/util/decimal.js";
import { useEmulator } from "./helpers/emulator.js";

const fx = useEmulator();

describe("public endpoints (emulator)", () => {
  it("public/get-instruments: typed, decimal ticks, cached", async () => {
    const c = fx.client();
    const all = await c.getInstruments();
    const btc = all.find((i) => i.symbol === "BTC_USD")!;
    expect(btc.qtyTickSize).toBeInstanceOf(Dec);
    expect(btc.qtyTickSize.toFixed()).toBe("0.00001");
    expect(btc.baseCcy).toBe("BTC");
    expect(btc.tradable).toBe(true);
    for (const s of ["BTC_USDT", "ETH_USD", "ETH_USDT", "SOL_USD", "CRO_USD", "DOGE_USD", "XRP_USD"]) {
      expect(all.map((i) => i.symbol)).toContain(s);
    }
    expect(await c.getInstrument("BTC_USD")).toBe(btc); // from the cache
    expect(await c.getInstrument("NOPE_USD")).toBeUndefined();
  });

  it("public/get-tickers: one or all", async () => {
    const c = fx.client();
    const [t] = await c.getTickers("BTC_USD");
    expect(t!.symbol).toBe("BTC_USD");
    expect(t!.bid!.lt(t!.ask!)).toBe(true);
    expect(t!.last!.toFixed()).toBe(fx.emu.admin.price("BTC_USD"));
    expect((await c.getTickers()).length).toBeGreaterThanOrEqual(8);
  });

  it("public/get-book: sorted levels around the mid", async () => {
    const b = await fx.client().getBook("ETH_USD", 5);
    expect(b.symbol).toBe("ETH_USD");
    expect(b.bids.length).toBeGreaterThan(0);
    expect(b.bids.length).toBeLessThanOrEqual(5);
    expect(b.bids[0]!.price.lt(b.asks[0]!.price)).toBe(true);
    for (let i = 1; i < b.bids.length; i++) expect(b.bids[i]!.price.lt(b.bids[i - 1]!.price)).toBe(true);
  });

  it("public/get-candlestick: ascending candles with OHLC as Dec", async () => {
    const candles = await fx.client().getCandles("BTC_USD", "1h", { count: 50 });
    expect(candles.length).toBeGreaterThan(10);
    for (let i = 1; i < candles.length; i++) expect(candles[i]!.time).toBeGreaterThan(candles[i - 1]!.time);
    const k = candles.at(-1)!;
    expect(k.high.gte(k.low)).toBe(true);
    expect(k.close).toBeInstanceOf(Dec);
  });

  it("public/get-trades: trades after activity", async () => {
    const c = fx.client();
    await c.placeOrder({
      intentId: "pub-trade-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "50.00",
    });
    fx.emu.admin.tick(3);
    const trades = await c.getPublicTrades("BTC_USD", 10);
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) {
      expect(t.symbol).toBe("BTC_USD");
      expect(["BUY", "SELL"]).toContain(t.side);
      expect(t.price.gt(0)).toBe(true);
    }
  });

  it("an unknown instrument is a classified error, not a crash", async () => {
    const err = await fx
      .client()
      .getBook("NOPE_USD", 5)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    expect((err as ExchangeError).code).toBe(40004);
    expect((err as ExchangeError).category).toBe("bad_request");
    expect((err as ExchangeError).httpStatus).toBe(400);
  });
});
