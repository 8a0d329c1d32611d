/** DAILY_LOSS_LIMIT and STOPLOSS_GUARD on SQLite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTING_DEFAULTS } from "../../../src/store/repositories/settings.js";
import { type GuardRequest, runGuards } from "../../../src/trading/guards/index.js";
import { dec } from "../../../src/util/decimal.js";
import { balanceOf, DAY_START, type GuardFixture, guardFixture, NOW } from "./fixture.js";

const LP = SETTING_DEFAULTS.loss_protection;
const HOUR = 3_600_000;

describe("guards: loss protections", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    await f.watch();
    await f.store.settings.set("limits", { ...SETTING_DEFAULTS.limits, maxOpenPositionsPerSymbol: 10 });
    f.stub.failure = undefined;
    f.stub.balance = balanceOf({ USD: "10000" });
  });

  const check = async (req: Partial<GuardRequest>, code: string) => {
    const v = await runGuards(f.ctx, f.venue, f.req(req));
    return { v, c: v.checks.find((c) => c.code === code) };
  };
  const loss = (at: number, pnl: string, mode: "DRY_RUN" | "LIVE" = "DRY_RUN") =>
    f.lot({ mode, closed: { at, pnl, reason: "SIGNAL" } });

  it("DAILY_LOSS_LIMIT (USD): today's realised loss reaching the limit pauses entries until the next UTC day", async () => {
    await f.store.settings.set("loss_protection", {
      ...LP,
      dailyLossLimitUsd: dec("10"),
      dailyLossLimitPct: undefined,
    });
    await loss(DAY_START - 1, "-500"); // yesterday
    await loss(DAY_START + 10, "-6.5");
    await loss(DAY_START + 20, "-100", "LIVE"); // another mode
    let r = await check({}, "DAILY_LOSS_LIMIT");
    expect(r.c).toEqual({
      code: "DAILY_LOSS_LIMIT",
      ok: true,
      detail: "realised P&L today (UTC, DRY_RUN) -6.5 USD, limit 10 USD",
    });
    await loss(DAY_START + 30, "-3.5");
    r = await check({}, "DAILY_LOSS_LIMIT");
    expect(r.v.reasonCode).toBe("DAILY_LOSS_LIMIT");
    expect(r.c?.detail).toBe(
      "realised P&L today (UTC, DRY_RUN) -10 USD, limit 10 USD: entries paused until 2026-01-06T00:00:00Z",
    );
    // a SELL is not an entry: not paused
    await f.lot();
    f.stub.balance = balanceOf({ USD: "0", BTC: "1" });
    expect((await check({ kind: "EXIT", side: "SELL" }, "DAILY_LOSS_LIMIT")).v.ok).toBe(true);
    // the next UTC day
    const next = await check({ now: DAY_START + 86_400_000 }, "DAILY_LOSS_LIMIT");
    expect(next.c?.ok).toBe(true);
  });

  it("DAILY_LOSS_LIMIT (% of equity): the loss against the day's equity; profits offset losses", async () => {
    await f.store.settings.set("loss_protection", {
      ...LP,
      dailyLossLimitUsd: undefined,
      dailyLossLimitPct: dec("5"),
    });
    f.stub.balance = balanceOf({ USD: "900", BTC: "0.01" }, { USD: "900", BTC: "50" });
    await loss(DAY_START + 10, "-60");
    await loss(DAY_START + 20, "10");
    // loss 50 vs 5 % of (950 + 50) = 50 → blocked
    let r = await check({}, "DAILY_LOSS_LIMIT");
    expect(r.v.reasonCode).toBe("DAILY_LOSS_LIMIT");
    expect(r.c?.detail).toBe(
      "realised P&L today (UTC, DRY_RUN) -50 USD, limit 5 % of 1000 USD = 50 USD: entries paused until 2026-01-06T00:00:00Z",
    );
    await loss(DAY_START + 30, "0.01");
    r = await check({}, "DAILY_LOSS_LIMIT");
    expect(r.c).toEqual({
      code: "DAILY_LOSS_LIMIT",
      ok: true,
      detail: "realised P&L today (UTC, DRY_RUN) -49.99 USD, limit 5 % of 999.99 USD",
    });
  });

  it("DAILY_LOSS_LIMIT (%): an unreadable balance blocks (fail closed); no loss needs no read", async () => {
    f.stub.failure = Object.assign(new Error("boom"), {
      method: "private/user-balance",
      category: "network",
      code: undefined,
    });
    f.stub.calls = 0;
    const none = await check({ kind: "EXIT", side: "SELL" }, "DAILY_LOSS_LIMIT");
    expect(none.c).toBeUndefined();
    await loss(DAY_START + 10, "-1");
    const r = await check({}, "DAILY_LOSS_LIMIT");
    expect(r.v.reasonCode).toBe("DAILY_LOSS_LIMIT");
    expect(r.c?.detail).toBe("could not check (fail closed): private/user-balance failed: network");
  });

  it("STOPLOSS_GUARD: N stop-loss exits of the symbol within H hours pause it until one leaves the window", async () => {
    await f.store.settings.set("loss_protection", {
      ...LP,
      dailyLossLimitPct: undefined,
      stoplossGuardCount: 2,
      stoplossGuardHours: 6,
    });
    const sl = (at: number, symbol = "BTC_USD") =>
      f.lot({ symbol, closed: { at, pnl: "-1", reason: "STOP_LOSS" } });
    await sl(NOW - 7 * HOUR); // outside the window
    await sl(NOW - 5 * HOUR);
    await sl(NOW - HOUR, "ETH_USD"); // another symbol
    await f.lot({ closed: { at: NOW - HOUR, pnl: "-1", reason: "TAKE_PROFIT" } }); // not a stop-loss
    let r = await check({}, "STOPLOSS_GUARD");
    expect(r.c).toEqual({
      code: "STOPLOSS_GUARD",
      ok: true,
      detail: "1 stop-loss exit(s) on BTC_USD (DRY_RUN) within 6 h, limit 2",
    });
    await sl(NOW - 2 * HOUR);
    r = await check({}, "STOPLOSS_GUARD");
    expect(r.v.reasonCode).toBe("STOPLOSS_GUARD");
    expect(r.c?.detail).toBe(
      "2 stop-loss exit(s) on BTC_USD (DRY_RUN) within 6 h, limit 2: BTC_USD paused until 2026-01-05T13:00:00Z",
    );
    expect((await check({ symbol: "XRP_USD" }, "STOPLOSS_GUARD")).c).toBeUndefined(); // not in the watchlist
    expect((await check({ now: NOW + HOUR }, "STOPLOSS_GUARD")).c?.ok).toBe(true);
    await f.store.settings.set("loss_protection", {
      ...LP,
      dailyLossLimitPct: undefined,
      stoplossGuardCount: 0,
    });
    expect((await check({}, "STOPLOSS_GUARD")).c).toEqual({
      code: "STOPLOSS_GUARD",
      ok: true,
      detail: "stop-loss guard off",
    });
  });
});
