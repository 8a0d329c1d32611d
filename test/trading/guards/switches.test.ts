/** NOT_LEADER and KILL_SWITCH, and the protective exemption, on SQLite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runGuards } from "../../../src/trading/guards/index.js";
import { type GuardFixture, guardFixture } from "./fixture.js";

describe("guards: leader and kill switch", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    f.leader.value = true;
    f.stub.calls = 0;
    await f.watch();
  });

  it("a valid entry passes every guard, in order, with one balance read", async () => {
    const v = await runGuards(f.ctx, f.venue, f.req());
    expect(v.ok).toBe(true);
    expect(v.reasonCode).toBeUndefined();
    expect(v.checks.map((c) => c.code)).toEqual([
      "NOT_LEADER",
      "KILL_SWITCH",
      "NOT_IN_WATCHLIST",
      "TRADING_DISABLED",
      "AMOUNT_NOT_SET",
      "MAX_USD_PER_ORDER",
      "MAX_POSITIONS_SYMBOL",
      "MAX_POSITIONS_TOTAL",
      "COOLDOWN",
      "MAX_ORDERS_PER_DAY",
      "MAX_NOTIONAL_PER_DAY",
      "DAILY_LOSS_LIMIT",
      "STOPLOSS_GUARD",
      "INSUFFICIENT_BALANCE",
    ]);
    expect(v.checks.every((c) => c.ok)).toBe(true);
    expect(f.stub.calls).toBe(1);
  });

  it("NOT_LEADER blocks everything, protective requests included, before any read", async () => {
    f.leader.value = false;
    for (const req of [f.req(), f.req({ kind: "FLATTEN", side: "SELL", protective: true })]) {
      const v = await runGuards(f.ctx, f.venue, req);
      expect(v).toEqual({
        ok: false,
        reasonCode: "NOT_LEADER",
        checks: [
          {
            code: "NOT_LEADER",
            ok: false,
            detail: "this process is not the leader: another atp trades",
          },
        ],
      });
    }
    expect(f.stub.calls).toBe(0);
  });

  it("KILL_SWITCH blocks entries and exits when on, passes when off", async () => {
    const off = await runGuards(f.ctx, f.venue, f.req());
    expect(off.checks[1]).toEqual({ code: "KILL_SWITCH", ok: true, detail: "kill switch off (missing)" });
    await f.store.settings.set("kill_switch", true);
    f.stub.calls = 0;
    for (const req of [f.req(), f.req({ kind: "EXIT", side: "SELL", actor: "operator:cli" })]) {
      const v = await runGuards(f.ctx, f.venue, req);
      expect(v.reasonCode).toBe("KILL_SWITCH");
      expect(v.checks.at(-1)).toEqual({ code: "KILL_SWITCH", ok: false, detail: "kill switch on (stored)" });
    }
    expect(f.stub.calls).toBe(0);
  });

  it("a decision's settings read is what its guards use: the kill switch, the limits and the loss protections of one instant", async () => {
    const before = await f.store.settings.snapshot();
    await f.store.settings.set("kill_switch", true);
    const limits = (await f.store.settings.get("limits")).value;
    await f.store.settings.set("limits", { ...limits, maxOpenPositionsTotal: 0 });
    const v = await runGuards(f.ctx, f.venue, f.req(), { settings: before });
    expect(v.ok).toBe(true);
    expect(v.checks[1]).toEqual({ code: "KILL_SWITCH", ok: true, detail: "kill switch off (missing)" });
    const now = await runGuards(f.ctx, f.venue, f.req());
    expect(now.reasonCode).toBe("KILL_SWITCH");
    await f.store.settings.set("kill_switch", false);
    expect((await runGuards(f.ctx, f.venue, f.req())).reasonCode).toBe("MAX_POSITIONS_TOTAL");
  });

  it("the kill switch never blocks protective requests (PROTECT, FLATTEN): they meet NOT_LEADER only", async () => {
    await f.store.settings.set("kill_switch", true);
    await f.store.watchlist.remove("BTC_USD");
    for (const kind of ["PROTECT", "FLATTEN"] as const) {
      const v = await runGuards(f.ctx, f.venue, f.req({ kind, side: "SELL", protective: true }));
      expect(v.ok).toBe(true);
      expect(v.checks.map((c) => c.code)).toEqual(["NOT_LEADER"]);
    }
    expect(f.stub.calls).toBe(0);
  });
});
