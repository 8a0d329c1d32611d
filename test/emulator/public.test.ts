/** Public market data over loopback HTTP: instruments, tickers, book, candles (backfilled history), trades. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";
import { TIMEFRAME_MS, TIMEFRAMES } from "../../src/exchange/cryptocom/constants.js";
import { type Msg, publicCall } from "./helpers.js";

let em: EmulatorHandle;
beforeAll(async () => {
  em = await startEmulator({ market_tick_ms: 0, rate_limits: false });
  em.admin.tick(5);
});
afterAll(async () => {
  await em.close();
});

describe("public/get-instruments", () => {
  it("lists the default spot set with the real tick sizes", async () => {
    const r = await publicCall(em.baseUrl, "public/get-instruments");
    expect(r.body).toMatchObject({ id: -1, method: "public/get-instruments", code: 0 });
    const btc = r.body.result.data.find((i: Msg) => i.symbol === "BTC_USD");
    expect(btc).toMatchObject({
      inst_type: "CCY_PAIR",
      base_ccy: "BTC",
      quote_ccy: "USD",
      price_tick_size: "0.01",
      qty_tick_size: "0.00001",
      quote_decimals: 2,
      quantity_decimals: 5,
      tradable: true,
    });
    expect(r.body.result.data.map((i: Msg) => i.symbol)).toEqual(
      expect.arrayContaining([
        "BTC_USD",
        "BTC_USDT",
        "ETH_USD",
        "ETH_USDT",
        "SOL_USD",
        "CRO_USD",
        "DOGE_USD",
        "XRP_USD",
      ]),
    );
  });
});

describe("public/get-tickers and public/get-book", () => {
  it("tickers carry bid < ask around the last price, all as strings", async () => {
    const r = await publicCall(em.baseUrl, "public/get-tickers");
    expect(r.body.result.data.length).toBe(8);
    for (const t of r.body.result.data) {
      for (const f of ["h", "l", "a", "v", "vv", "c", "b", "bs", "k", "ks", "oi"]) {
        expect(typeof t[f], `${t.i}.${f}`).toBe("string");
      }
      expect(typeof t.t).toBe("number");
      expect(Number(t.b)).toBeLessThan(Number(t.k));
      const mid = (Number(t.b) + Number(t.k)) / 2;
      expect(Math.abs(Number(t.a) / mid - 1), `${t.i} last vs mid`).toBeLessThan(0.01);
      expect(Math.abs(Number(t.c))).toBeLessThan(1);
    }
  });

  it("book depth, levels sorted, prices on the tick", async () => {
    const r = await publicCall(em.baseUrl, "public/get-book", { instrument_name: "DOGE_USD", depth: "20" });
    const b = r.body.result;
    expect(b).toMatchObject({ instrument_name: "DOGE_USD", depth: 20 });
    const { bids, asks, u } = b.data[0];
    expect(bids).toHaveLength(20);
    expect(typeof u).toBe("number");
    for (let i = 1; i < 20; i++) {
      expect(Number(bids[i][0])).toBeLessThan(Number(bids[i - 1][0]));
      expect(Number(asks[i][0])).toBeGreaterThan(Number(asks[i - 1][0]));
    }
    for (const [p, q] of [...bids, ...asks]) {
      expect(p).toMatch(/^\d+\.\d{5}$/);
      expect(q).toMatch(/^\d+$/);
    }
  });

  it("unknown instrument → 40004 naming the parameter; depth above 50 → 40004", async () => {
    const r = await publicCall(em.baseUrl, "public/get-book", { instrument_name: "FOO_BAR", depth: "10" });
    expect([r.status, r.body.code, r.body.message]).toEqual([400, 40004, "Invalid instrument_name: FOO_BAR"]);
    expect(
      (await publicCall(em.baseUrl, "public/get-book", { instrument_name: "BTC_USD", depth: "51" })).body
        .code,
    ).toBe(40004);
  });
});

describe("public/get-candlestick", () => {
  it("has at least 200 candles of history on 1h and 1D (enough for MA200)", async () => {
    for (const tf of ["1h", "1D"]) {
      const r = await publicCall(em.baseUrl, "public/get-candlestick", {
        instrument_name: "BTC_USD",
        timeframe: tf,
        count: "300",
        start_ts: "0",
      });
      const data = r.body.result.data;
      expect(data.length).toBeGreaterThanOrEqual(200);
      for (let i = 1; i < data.length; i++)
        expect(data[i].t - data[i - 1].t).toBe(TIMEFRAME_MS[tf as "1h" | "1D"]);
    }
  });

  it("serves every timeframe of the reference, OHLC consistent", async () => {
    for (const tf of TIMEFRAMES) {
      const r = await publicCall(em.baseUrl, "public/get-candlestick", {
        instrument_name: "ETH_USD",
        timeframe: tf,
        count: "10",
        start_ts: "0",
      });
      expect(r.body.result.interval).toBe(tf);
      const data = r.body.result.data;
      expect(data.length).toBeGreaterThan(0);
      for (const c of data) {
        expect(Number(c.h)).toBeGreaterThanOrEqual(Math.max(Number(c.o), Number(c.c)));
        expect(Number(c.l)).toBeLessThanOrEqual(Math.min(Number(c.o), Number(c.c)));
      }
    }
  });

  it("accepts legacy aliases and echoes them in interval", async () => {
    const r = await publicCall(em.baseUrl, "public/get-candlestick", {
      instrument_name: "BTC_USD",
      timeframe: "M5",
    });
    expect(r.body.result.interval).toBe("M5");
    expect(r.body.result.data.length).toBe(25);
  });

  it("without start_ts the window is one day (the documented default)", async () => {
    const r = await publicCall(em.baseUrl, "public/get-candlestick", {
      instrument_name: "BTC_USD",
      timeframe: "1h",
      count: "300",
    });
    expect(r.body.result.data.length).toBeGreaterThanOrEqual(24);
    expect(r.body.result.data.length).toBeLessThanOrEqual(26);
  });

  it("an unknown timeframe → 40004", async () => {
    const r = await publicCall(em.baseUrl, "public/get-candlestick", {
      instrument_name: "BTC_USD",
      timeframe: "3h",
    });
    expect(r.body.code).toBe(40004);
  });

  it("the price process makes regimes: the 1D history is neither flat nor a straight line", async () => {
    const r = await publicCall(em.baseUrl, "public/get-candlestick", {
      instrument_name: "SOL_USD",
      timeframe: "1D",
      count: "300",
      start_ts: "0",
    });
    const closes = r.body.result.data.map((c: Msg) => Number(c.c));
    const max = Math.max(...closes);
    const min = Math.min(...closes);
    expect(max / min).toBeGreaterThan(1.2);
    let signChanges = 0;
    for (let i = 2; i < closes.length; i++) {
      if (Math.sign(closes[i] - closes[i - 1]) !== Math.sign(closes[i - 1] - closes[i - 2])) signChanges++;
    }
    expect(signChanges).toBeGreaterThan(20);
  });
});

describe("public/get-trades", () => {
  it("newest first, with the documented fields", async () => {
    em.admin.tick(20);
    const r = await publicCall(em.baseUrl, "public/get-trades", { instrument_name: "BTC_USD", count: "5" });
    const data = r.body.result.data;
    expect(data.length).toBe(5);
    expect(Object.keys(data[0]).sort()).toEqual(["d", "i", "m", "p", "q", "s", "t", "tn"]);
    for (let i = 1; i < data.length; i++) expect(data[i].t).toBeLessThanOrEqual(data[i - 1].t);
  });
});

describe("market time and switches", () => {
  it("--speed runs market time faster than the clock", async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const fast = await startEmulator({ market_tick_ms: 0, speed: 60 }, { clock });
    try {
      const ex = fast.exchange;
      const lead0 = ex.marketNow() - ex.clock.now();
      clock.advance(200);
      const lead1 = ex.marketNow() - ex.clock.now();
      expect(lead1 - lead0).toBe(59 * 200);
    } finally {
      await fast.close();
    }
  });

  it("public_response_id sets the id of public answers", async () => {
    const other = await startEmulator({ market_tick_ms: 0, switches: { public_response_id: 1 } as never });
    try {
      expect((await publicCall(other.baseUrl, "public/get-instruments")).body.id).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe("public rate limit (per IP)", () => {
  it("answers 42901 beyond 100 requests per second per method", async () => {
    // Emulator time stands still: all 130 requests fall in one second however long they take.
    const limited = await startEmulator(
      { market_tick_ms: 0 },
      { clock: new ManualClock(Date.UTC(2030, 0, 1)) },
    );
    try {
      const rs = await Promise.all(
        Array.from({ length: 130 }, () =>
          publicCall(limited.baseUrl, "public/get-tickers", { instrument_name: "BTC_USD" }),
        ),
      );
      const codes = rs.map((r) => r.body.code);
      expect(codes.filter((c) => c === 0)).toHaveLength(100);
      expect(codes.filter((c) => c === 42901)).toHaveLength(30);
      expect(rs.find((r) => r.body.code === 42901)?.status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
