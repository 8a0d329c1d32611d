/**
 * The venue read cache: stream-fed values are served while young, never beyond their age bound
 * (then REST, and a failing REST read blocks the guard: fail closed); a fill makes the cached balance
 * unusable until a newer one arrives.
 */
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecTicker } from "../../src/domain/market.js";
import type { AccountBalance, OrderUpdateSource } from "../../src/exchange/types.js";
import { useVenueReads, VenueReadCache } from "../../src/trading/venue-cache.js";
import { ManualTime } from "../../src/util/clock.js";
import { dec } from "../../src/util/decimal.js";
import { driveWhile, type TradingHarness, tradingHarness } from "../helpers/trading.js";

const balanceOf = (usd: string): AccountBalance =>
  ({
    totalAvailable: dec(usd),
    currencies: [{ currency: "USD", total: dec(usd), available: dec(usd) }],
  }) as unknown as AccountBalance;
const tickerOf = (ask: string): DecTicker => ({ symbol: "BTC_USD", time: 0, ask: dec(ask) });

function countingClient() {
  const calls = { tickers: 0, balance: 0 };
  const state = { fail: false, usd: "100", ask: "50000" };
  const client = {
    getTickers: async () => {
      calls.tickers++;
      if (state.fail) throw new Error("REST down");
      return [tickerOf(state.ask)];
    },
    getBalance: async () => {
      calls.balance++;
      if (state.fail) throw new Error("REST down");
      return balanceOf(state.usd);
    },
  };
  return { calls, state, client };
}

describe("VenueReadCache", () => {
  it("serves a young ticker from memory; beyond its bound it reads REST, and a failing REST read rejects", async () => {
    const time = new ManualTime(1_000_000);
    const { calls, state, client } = countingClient();
    const cache = new VenueReadCache(client, time, { tickerMaxAgeMs: 5_000 });
    cache.putTicker(tickerOf("60000"));
    expect((await cache.ticker("BTC_USD"))?.ask?.toFixed()).toBe("60000");
    expect(calls.tickers).toBe(0);
    await time.advance(5_001);
    expect((await cache.ticker("BTC_USD"))?.ask?.toFixed()).toBe("50000");
    expect(calls.tickers).toBe(1);
    await time.advance(5_001);
    state.fail = true;
    await expect(cache.ticker("BTC_USD")).rejects.toThrow("REST down");
  });

  it("a fill (trade event) makes the cached balance unusable until a newer balance arrives", async () => {
    const time = new ManualTime(1_000_000);
    const { calls, state, client } = countingClient();
    const cache = new VenueReadCache(client, time, { balanceMaxAgeMs: 30_000 });
    const hub = new EventEmitter();
    const off = cache.attach(hub as unknown as OrderUpdateSource);
    hub.emit("balance", { balance: balanceOf("70"), time: time.now() });
    expect((await cache.balance()).totalAvailable.toFixed()).toBe("70");
    expect(calls.balance).toBe(0);
    state.fail = true;
    hub.emit("trade", {}); // the cached 70 is now unusable; the background refresh fails
    await expect(cache.balance()).rejects.toThrow("REST down");
    hub.emit("balance", { balance: balanceOf("40"), time: time.now() });
    expect((await cache.balance()).totalAvailable.toFixed()).toBe("40");
    off();
    hub.emit("balance", { balance: balanceOf("1"), time: time.now() });
    expect((await cache.balance()).totalAvailable.toFixed()).toBe("40");
  });

  it("a REST answer requested before a later fill is not cached, even when it arrives last", async () => {
    const time = new ManualTime(1_000_000);
    const pending: ((b: AccountBalance) => void)[] = [];
    const client = {
      getTickers: async () => [],
      getBalance: () => new Promise<AccountBalance>((r) => pending.push(r)),
    };
    const cache = new VenueReadCache(client, time);
    const before = cache.balance(); // REST #1, requested before the fill
    cache.balanceChanged(); // REST #2 starts in the background
    pending[1]!(balanceOf("55")); // after the fill
    await Promise.resolve();
    pending[0]!(balanceOf("100")); // before the fill, arriving last
    expect((await before).totalAvailable.toFixed()).toBe("100");
    expect((await cache.balance()).totalAvailable.toFixed()).toBe("55");
    expect(pending).toHaveLength(2);
  });
});

describe("guards through the venue cache (emulator)", () => {
  let h: TradingHarness;
  beforeAll(async () => {
    h = await tradingHarness();
    await h.trader.start();
    await h.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("20") });
  });
  afterAll(async () => h?.close());

  it("enters on a fresh stream balance with REST down, and blocks (fail closed) once it is stale", async () => {
    const live = h.ctx.venues.live!;
    const failingRest = {
      getTickers: (s?: string) => h.client.getTickers(s),
      getBalance: () => Promise.reject(new Error("user-balance unavailable")),
    };
    const cache = new VenueReadCache(failingRest, h.time, { balanceMaxAgeMs: 30_000 });
    useVenueReads(live, cache);
    try {
      cache.putBalance(balanceOf("1000"));
      const ok = await driveWhile(
        h.time,
        h.trader.submit({
          symbol: "BTC_USD",
          side: "BUY",
          source: "cli",
          actor: "operator",
          idempotencyKey: "vc-1",
        }),
      );
      expect(ok.verdict?.checks.find((c) => c.code === "INSUFFICIENT_BALANCE")?.ok).toBe(true);
      expect(ok.outcome).not.toBe("blocked");
      await driveWhile(h.time, h.trader.settled());
      await h.time.advance(31_000);
      const stale = await driveWhile(
        h.time,
        h.trader.submit({
          symbol: "BTC_USD",
          side: "BUY",
          source: "cli",
          actor: "operator",
          idempotencyKey: "vc-2",
        }),
      );
      expect(stale.outcome).toBe("blocked");
      expect(stale.intent.reasonCode).toBe("INSUFFICIENT_BALANCE");
      expect(stale.verdict?.checks.at(-1)?.detail).toContain("fail closed");
    } finally {
      useVenueReads(live, undefined);
    }
  });
});
