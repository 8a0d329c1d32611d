/**
 * Sizing refuses what the venue rules refuse (named by rule and code); protection prices round the
 * safe way; the inbox feeds PENDING signals through the same pipeline with key `signal:<id>`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cryptoComOrderRules } from "../../../src/exchange/cryptocom/order-rules.js";
import type { Instrument } from "../../../src/exchange/types.js";
import { protectionPrices } from "../../../src/trading/protection/prices.js";
import { sizeBuy, sizeSell } from "../../../src/trading/sizing.js";
import { dec } from "../../../src/util/decimal.js";
import { driveWhile, ledger, type TradingHarness, tradingHarness } from "../../helpers/trading.js";

const inst: Instrument = {
  symbol: "BTC_USD",
  instType: "CCY_PAIR",
  displayName: "BTC/USD",
  baseCcy: "BTC",
  quoteCcy: "USD",
  quoteDecimals: 2,
  quantityDecimals: 5,
  priceTickSize: dec("0.01"),
  qtyTickSize: dec("0.00001"),
  minNotional: dec("1"),
  tradable: true,
};

describe("sizing", () => {
  it("floors a BUY notional and refuses one below the minimum value with its code", () => {
    const ok = sizeBuy(cryptoComOrderRules, inst, dec("100.129"), dec("60000"));
    expect(ok.ok && ok.notional?.toFixed()).toBe("100.12");
    const small = sizeBuy(cryptoComOrderRules, inst, dec("0.5"), dec("60000"));
    expect(small.ok).toBe(false);
    if (!small.ok) expect(small.violations.map((v) => v.code)).toContain(415);
  });

  it("sells the smaller of held and available, floored to the step; refuses below the step", () => {
    const s = sizeSell(cryptoComOrderRules, inst, dec("0.0012345"), dec("0.001"), dec("60000"));
    expect(s.ok && s.quantity?.toFixed()).toBe("0.001");
    expect(sizeSell(cryptoComOrderRules, inst, dec("0.000001"), undefined, dec("60000")).ok).toBe(false);
  });

  it("rounds TP down, the SL trigger up and the STOP_LIMIT limit down", () => {
    const p = protectionPrices(
      cryptoComOrderRules,
      inst,
      dec("100.005"),
      { sl: dec("2"), tp: dec("4") },
      {
        slOrderType: "STOP_LIMIT",
        stopLimitSlippagePct: dec("0.5"),
      },
    );
    expect(p.tp.toFixed(2)).toBe("104.00"); // 104.0052 → down
    expect(p.slTrigger.toFixed(2)).toBe("98.01"); // 98.0049 → up
    expect(p.slLimit?.toFixed(2)).toBe("97.51"); // 97.51995 → down
  });
});

describe("inbox", () => {
  let h: TradingHarness;
  beforeAll(async () => {
    h = await tradingHarness();
    await h.trader.start();
    await h.store.watchlist.upsert({ symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("30") });
  });
  afterAll(async () => h?.close());

  it("claims PENDING signals and submits each once (key signal:<id>)", async () => {
    const before = ledger(h.emu).length;
    const sig = await h.store.signals.insert({
      symbol: "ETH_USD",
      side: "BUY",
      source: "engine",
      strategy: "t",
    });
    expect(await driveWhile(h.time, h.trader.processInbox())).toBe(1);
    expect(await h.trader.processInbox()).toBe(0);
    await driveWhile(h.time, h.trader.settled());
    const intent = await h.store.intents.findByKey(`signal:${sig.id}`);
    expect(intent?.signalId).toBe(sig.id);
    expect((await h.store.signals.get(sig.id))?.status).toBe("ACCEPTED");
    const creates = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order");
    expect(creates).toHaveLength(1);
  });
});
