/** NOT_IN_WATCHLIST, TRADING_DISABLED, AMOUNT_NOT_SET, MAX_USD_PER_ORDER on SQLite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTING_DEFAULTS } from "../../../src/store/repositories/settings.js";
import { runGuards } from "../../../src/trading/guards/index.js";
import { dec } from "../../../src/util/decimal.js";
import { type GuardFixture, guardFixture } from "./fixture.js";

describe("guards: watchlist and amount", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(() => f.reset());

  const check = async (req: Parameters<GuardFixture["req"]>[0], code: string) => {
    const v = await runGuards(f.ctx, f.venue, f.req(req));
    return { v, c: v.checks.find((c) => c.code === code) };
  };

  it("NOT_IN_WATCHLIST: an entry on a coin not in the watchlist is blocked; listed, it passes", async () => {
    const { v, c } = await check({}, "NOT_IN_WATCHLIST");
    expect(v.reasonCode).toBe("NOT_IN_WATCHLIST");
    expect(c).toEqual({ code: "NOT_IN_WATCHLIST", ok: false, detail: "BTC_USD is not in the watchlist" });
    await f.watch();
    expect((await check({}, "NOT_IN_WATCHLIST")).c?.detail).toBe("BTC_USD is in the watchlist");
  });

  it("TRADING_DISABLED: trading off blocks entries, manual ones too; on, they pass", async () => {
    await f.watch("BTC_USD", { tradeEnabled: false });
    for (const actor of ["engine", "operator:cli"]) {
      const { v, c } = await check({ actor }, "TRADING_DISABLED");
      expect(v.reasonCode).toBe("TRADING_DISABLED");
      expect(c?.detail).toBe("trading on BTC_USD is disabled");
    }
    await f.watch("BTC_USD", { tradeEnabled: true });
    const { c } = await check({}, "TRADING_DISABLED");
    expect(c).toEqual({ code: "TRADING_DISABLED", ok: true, detail: "trading on BTC_USD is enabled" });
  });

  it("an engine exit needs the coin listed with trading on; an operator's exit skips both checks", async () => {
    await f.lot();
    f.stub.balance = { ...f.stub.balance, currencies: [] };
    const exit = { kind: "EXIT" as const, side: "SELL" as const };
    expect((await check(exit, "NOT_IN_WATCHLIST")).v.reasonCode).toBe("NOT_IN_WATCHLIST");
    await f.watch("BTC_USD", { tradeEnabled: false });
    expect((await check(exit, "TRADING_DISABLED")).v.reasonCode).toBe("TRADING_DISABLED");
    await f.store.watchlist.remove("BTC_USD");
    const manual = await runGuards(f.ctx, f.venue, f.req({ ...exit, actor: "operator:cli" }));
    expect(manual.checks.map((c) => c.code)).toEqual([
      "NOT_LEADER",
      "KILL_SWITCH",
      "NO_POSITION",
      "INSUFFICIENT_BALANCE",
    ]);
  });

  it("AMOUNT_NOT_SET: no amount anywhere, or 0, blocks; the request's amount wins over the watchlist's", async () => {
    await f.watch("BTC_USD", { amountUsd: null });
    let r = await check({}, "AMOUNT_NOT_SET");
    expect(r.v.reasonCode).toBe("AMOUNT_NOT_SET");
    expect(r.c?.detail).toBe("no amount: none given and none configured for BTC_USD");
    r = await check({ amountUsd: dec("0") }, "AMOUNT_NOT_SET");
    expect(r.c).toEqual({ code: "AMOUNT_NOT_SET", ok: false, detail: "amount 0 USD (request) is not > 0" });
    await f.watch("BTC_USD", { amountUsd: "0" });
    expect((await check({}, "AMOUNT_NOT_SET")).c?.detail).toBe("amount 0 USD (watchlist) is not > 0");
    r = await check({ amountUsd: dec("12.5") }, "AMOUNT_NOT_SET");
    expect(r.c).toEqual({ code: "AMOUNT_NOT_SET", ok: true, detail: "amount 12.5 USD (request)" });
    await f.watch("BTC_USD", { amountUsd: "50" });
    expect((await check({}, "AMOUNT_NOT_SET")).c?.detail).toBe("amount 50 USD (watchlist)");
  });

  it("MAX_USD_PER_ORDER: above limits.maxUsdPerOrder blocks; at the limit passes (exact decimals)", async () => {
    await f.watch();
    await f.store.settings.set("limits", { ...SETTING_DEFAULTS.limits, maxUsdPerOrder: dec("100.01") });
    let r = await check({ amountUsd: dec("100.010000001") }, "MAX_USD_PER_ORDER");
    expect(r.v.reasonCode).toBe("MAX_USD_PER_ORDER");
    expect(r.c?.detail).toBe("amount 100.010000001 USD above the limit of 100.01 USD per order");
    r = await check({ amountUsd: dec("100.01") }, "MAX_USD_PER_ORDER");
    expect(r.c).toEqual({
      code: "MAX_USD_PER_ORDER",
      ok: true,
      detail: "amount 100.01 USD within the limit of 100.01 USD per order",
    });
  });
});
