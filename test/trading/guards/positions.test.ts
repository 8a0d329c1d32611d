/** MAX_POSITIONS_SYMBOL, MAX_POSITIONS_TOTAL, NO_POSITION on SQLite. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTING_DEFAULTS } from "../../../src/store/repositories/settings.js";
import { type GuardRequest, runGuards } from "../../../src/trading/guards/index.js";
import { type GuardFixture, guardFixture } from "./fixture.js";

describe("guards: positions", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    await f.watch();
    await f.watch("ETH_USD");
  });

  const check = async (req: Partial<GuardRequest>, code: string) => {
    const v = await runGuards(f.ctx, f.venue, f.req(req));
    return { v, c: v.checks.find((c) => c.code === code) };
  };

  it("MAX_POSITIONS_SYMBOL: an open lot of the symbol in the same mode uses the limit (default 1)", async () => {
    await f.lot({ mode: "LIVE" }); // another mode: not counted
    await f.lot({ closed: { at: f.req().now - 1000, pnl: "1", reason: "TAKE_PROFIT" } }); // closed
    let r = await check({}, "MAX_POSITIONS_SYMBOL");
    expect(r.c).toEqual({
      code: "MAX_POSITIONS_SYMBOL",
      ok: true,
      detail: "0 open lot(s) + 0 entry(ies) in flight on BTC_USD (DRY_RUN), limit 1",
    });
    await f.lot();
    r = await check({}, "MAX_POSITIONS_SYMBOL");
    expect(r.v.reasonCode).toBe("MAX_POSITIONS_SYMBOL");
    expect(r.c?.detail).toBe("1 open lot(s) + 0 entry(ies) in flight on BTC_USD (DRY_RUN), limit 1");
  });

  it("MAX_POSITIONS_SYMBOL: an entry being placed (no lot yet) counts", async () => {
    const i = await f.store.intents.create({
      idempotencyKey: "flying",
      kind: "ENTRY",
      symbol: "BTC_USD",
      side: "BUY",
      mode: "DRY_RUN",
      actor: "engine",
    });
    if (!i.created) throw new Error("dup");
    expect((await check({}, "MAX_POSITIONS_SYMBOL")).c?.ok).toBe(true); // NEW: not yet in flight
    await f.store.intents.transition(i.intent.id, { to: "READY" });
    await f.store.intents.transition(i.intent.id, { to: "SUBMITTING" });
    const r = await check({}, "MAX_POSITIONS_SYMBOL");
    expect(r.v.reasonCode).toBe("MAX_POSITIONS_SYMBOL");
    expect(r.c?.detail).toBe("0 open lot(s) + 1 entry(ies) in flight on BTC_USD (DRY_RUN), limit 1");
  });

  it("MAX_POSITIONS_TOTAL: open lots of every symbol in the mode count", async () => {
    await f.store.settings.set("limits", { ...SETTING_DEFAULTS.limits, maxOpenPositionsTotal: 2 });
    await f.lot({ symbol: "ETH_USD" });
    await f.lot({ symbol: "CRO_USD", mode: "LIVE" });
    let r = await check({}, "MAX_POSITIONS_TOTAL");
    expect(r.c).toEqual({
      code: "MAX_POSITIONS_TOTAL",
      ok: true,
      detail: "1 open lot(s) + 0 entry(ies) in flight in total (DRY_RUN), limit 2",
    });
    await f.lot({ symbol: "XRP_USD" });
    r = await check({}, "MAX_POSITIONS_TOTAL");
    expect(r.v.reasonCode).toBe("MAX_POSITIONS_TOTAL");
    expect(r.c?.detail).toBe("2 open lot(s) + 0 entry(ies) in flight in total (DRY_RUN), limit 2");
  });

  it("NO_POSITION: a SELL with no open lot of the symbol in that mode is blocked, whatever the balance", async () => {
    f.stub.calls = 0;
    await f.lot({ mode: "LIVE" });
    await f.lot({ symbol: "ETH_USD" });
    const sell = { kind: "EXIT" as const, side: "SELL" as const };
    let r = await check(sell, "NO_POSITION");
    expect(r.v.reasonCode).toBe("NO_POSITION");
    expect(r.c).toEqual({ code: "NO_POSITION", ok: false, detail: "no open lot of BTC_USD in DRY_RUN" });
    expect(f.stub.calls).toBe(0);
    await f.lot({ qty: "0.002" });
    await f.lot({ qty: "0.0005" });
    r = await check(sell, "NO_POSITION");
    expect(r.c).toEqual({
      code: "NO_POSITION",
      ok: true,
      detail: "2 open lot(s) of BTC_USD in DRY_RUN holding 0.0025",
    });
  });
});
