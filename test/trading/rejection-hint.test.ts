/**
 * What a rejected order should have been (src/trading/rejection-hint.ts) on Crypto.com's order
 * rules: the corrected value of the rule with the rejection's code, from the cached instrument or
 * after one refresh of the instrument list; the instrument's rules when atp's rules accept the
 * order; nothing for other categories or when the venue cannot answer. Then through the trader:
 * the emulator refusing an entry with 213 puts the hint into the stored `order.rejected` event.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cryptoComOrderRules } from "../../src/exchange/cryptocom/order-rules.js";
import type { Instrument } from "../../src/exchange/types.js";
import { rejectionHint } from "../../src/trading/rejection-hint.js";
import { dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";
import { driveWhile, type TradingHarness, tradingHarness } from "../helpers/trading.js";

function venue(cached: Instrument, fresh: Instrument = cached) {
  const calls: string[] = [];
  return {
    calls,
    client: {
      rules: cryptoComOrderRules,
      getInstrument: async (s: string) => {
        calls.push(`get ${s}`);
        return cached;
      },
      getInstruments: async (o?: { refresh?: boolean }) => {
        calls.push(`list refresh=${String(o?.refresh)}`);
        return [fresh];
      },
    },
  };
}

const sell = (quantity: string) => ({
  symbol: "BTC_USD",
  side: "SELL" as const,
  type: "MARKET" as const,
  quantity: dec(quantity),
  notional: undefined,
  price: undefined,
  refPrice: dec("50000"),
});
const rejected213 = { code: 213, category: "invalid_order" };

describe("rejectionHint", () => {
  it("213 on a quantity with too many decimals: the quantity floored to the step, from the cache", async () => {
    const v = venue(btcUsd());
    const hint = await rejectionHint(v.client, sell("0.0012345"), rejected213);
    expect(hint).toEqual({
      field: "quantity",
      corrected: "0.00123",
      rule: expect.stringContaining("qty_tick_size 0.00001"),
    });
    expect(v.calls).toEqual(["get BTC_USD"]);
  });

  it("when the cached rules accept the order, the refreshed instrument list explains it", async () => {
    const v = venue(btcUsd(), btcUsd({ qtyTickSize: dec("0.001"), quantityDecimals: 3 }));
    const hint = await rejectionHint(v.client, sell("0.01234"), rejected213);
    expect(hint).toMatchObject({ field: "quantity", corrected: "0.012" });
    expect(v.calls).toEqual(["get BTC_USD", "list refresh=true"]);
  });

  it("when the venue's rules still accept it, says so with the instrument's rules", async () => {
    const v = venue(btcUsd({ minNotional: dec("1") }));
    const hint = await rejectionHint(v.client, sell("0.01234"), rejected213);
    expect(hint).toEqual({
      instrumentRules:
        "quantity step 0.00001, price tick 0.01, USD amounts 2 decimals, minimum order value 1 USD",
    });
  });

  it("308 on a trigger order's price: the price rounded to the tick as the rules round it", async () => {
    const v = venue(btcUsd());
    const hint = await rejectionHint(
      v.client,
      { ...sell("0.001"), type: "STOP_LIMIT", refPrice: dec("49000.005"), price: dec("48900.00") },
      { code: 308, category: "invalid_order" },
    );
    expect(hint).toMatchObject({ field: "ref_price", corrected: "49000.01" });
  });

  it("nothing for other categories, without a code, or when the venue cannot answer", async () => {
    const v = venue(btcUsd());
    expect(
      await rejectionHint(v.client, sell("0.0012345"), { code: 306, category: "insufficient_funds" }),
    ).toEqual({});
    expect(
      await rejectionHint(v.client, sell("0.0012345"), { code: undefined, category: "invalid_order" }),
    ).toEqual({});
    expect(v.calls).toEqual([]);
    const failing = {
      ...v.client,
      getInstrument: async () => undefined,
      getInstruments: async (): Promise<Instrument[]> => {
        throw new Error("network down");
      },
    };
    expect(await rejectionHint(failing, sell("0.0012345"), rejected213)).toEqual({});
  });
});

describe("the trader's order.rejected event", () => {
  let h: TradingHarness | undefined;
  afterAll(async () => h?.close());

  it("carries the hint when the exchange refuses an entry with 213 (atp's rules accepted it)", async () => {
    h = await tradingHarness();
    await h.trader.start();
    await h.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("100") });
    h.emu.admin.addFault({ kind: "error", code: 213, methods: ["private/create-order"], count: 1 });
    const res = await driveWhile(
      h.time,
      h.trader.submit({
        symbol: "BTC_USD",
        side: "BUY",
        source: "cli",
        actor: "test",
        idempotencyKey: "k-213",
        amountUsd: dec("100"),
      }),
    );
    expect(res.intent.reasonCode).toBe("EXCHANGE_213");
    const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "order.rejected").at(-1);
    expect(ev?.payload).toMatchObject({
      code: 213,
      category: "invalid_order",
      role: "ENTRY",
      instrumentRules: expect.stringMatching(
        /^quantity step 0\.\d+, price tick 0\.\d+, USD amounts \d decimals/,
      ),
    });
  });
});
