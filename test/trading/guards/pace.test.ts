/** COOLDOWN, MAX_ORDERS_PER_DAY, MAX_NOTIONAL_PER_DAY on SQLite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTING_DEFAULTS } from "../../../src/store/repositories/settings.js";
import { type GuardRequest, runGuards } from "../../../src/trading/guards/index.js";
import { dec } from "../../../src/util/decimal.js";
import { DAY_START, type GuardFixture, guardFixture, NOW } from "./fixture.js";

describe("guards: pace per symbol", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    await f.watch();
  });

  const check = async (req: Partial<GuardRequest>, code: string) => {
    const v = await runGuards(f.ctx, f.venue, f.req(req));
    return { v, c: v.checks.find((c) => c.code === code) };
  };

  it("COOLDOWN: an entry of the symbol within cooldownS blocks until it runs out", async () => {
    await f.entryOrder(NOW - 120_000);
    await f.entryOrder(NOW - 60_000, { symbol: "ETH_USD" }); // another symbol
    await f.entryOrder(NOW - 30_000, { mode: "LIVE" }); // another mode
    let r = await check({}, "COOLDOWN");
    expect(r.v.reasonCode).toBe("COOLDOWN");
    expect(r.c?.detail).toBe("last entry on BTC_USD 120 s ago, cooldown 300 s (until 2026-01-05T12:03:00Z)");
    r = await check({ now: NOW + 180_000 }, "COOLDOWN");
    expect(r.c).toEqual({ code: "COOLDOWN", ok: true, detail: "no entry on BTC_USD in the last 300 s" });
  });

  it("COOLDOWN: a rejected entry does not start it; cooldownS 0 turns it off", async () => {
    await f.entryOrder(NOW - 10_000, { reject: true });
    expect((await check({}, "COOLDOWN")).c?.ok).toBe(true);
    await f.entryOrder(NOW - 10_000);
    expect((await check({}, "COOLDOWN")).c?.ok).toBe(false);
    await f.store.settings.set("limits", { ...SETTING_DEFAULTS.limits, cooldownS: 0 });
    expect((await check({}, "COOLDOWN")).c).toEqual({
      code: "COOLDOWN",
      ok: true,
      detail: "no cooldown configured",
    });
  });

  it("MAX_ORDERS_PER_DAY: entries of the symbol since 00:00 UTC count, yesterday's and rejected ones do not", async () => {
    await f.store.settings.set("limits", {
      ...SETTING_DEFAULTS.limits,
      maxOrdersPerSymbolPerDay: 2,
      cooldownS: 0,
    });
    await f.entryOrder(DAY_START - 1);
    await f.entryOrder(DAY_START);
    await f.entryOrder(DAY_START + 1000, { reject: true });
    let r = await check({}, "MAX_ORDERS_PER_DAY");
    expect(r.c).toEqual({
      code: "MAX_ORDERS_PER_DAY",
      ok: true,
      detail: "1 entry order(s) on BTC_USD today (UTC), limit 2 per day",
    });
    await f.entryOrder(NOW - 1000);
    r = await check({}, "MAX_ORDERS_PER_DAY");
    expect(r.v.reasonCode).toBe("MAX_ORDERS_PER_DAY");
    expect(r.c?.detail).toBe("2 entry order(s) on BTC_USD today (UTC), limit 2 per day");
    // the next UTC day starts again
    expect((await check({ now: DAY_START + 86_400_000 }, "MAX_ORDERS_PER_DAY")).c?.ok).toBe(true);
  });

  it("MAX_NOTIONAL_PER_DAY: today's entered notional plus this amount may not exceed the limit", async () => {
    await f.store.settings.set("limits", {
      ...SETTING_DEFAULTS.limits,
      maxNotionalPerSymbolPerDay: dec("100"),
      cooldownS: 0,
    });
    await f.entryOrder(DAY_START - 1, { notional: "90" }); // yesterday
    await f.entryOrder(DAY_START + 5, { notional: "49.99" });
    let r = await check({}, "MAX_NOTIONAL_PER_DAY");
    expect(r.c).toEqual({
      code: "MAX_NOTIONAL_PER_DAY",
      ok: true,
      detail: "49.99 USD entered on BTC_USD today (UTC) + 50 USD = 99.99 USD, limit 100 USD per day",
    });
    r = await check({ amountUsd: dec("50.02") }, "MAX_NOTIONAL_PER_DAY");
    expect(r.v.reasonCode).toBe("MAX_NOTIONAL_PER_DAY");
    expect(r.c?.detail).toBe(
      "49.99 USD entered on BTC_USD today (UTC) + 50.02 USD = 100.01 USD, limit 100 USD per day",
    );
  });
});
