/** The store-reading guards on both dialects (PostgreSQL too): positions, pace, losses, verdict shape. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SETTING_DEFAULTS } from "../../../src/store/repositories/settings.js";
import { runGuards } from "../../../src/trading/guards/index.js";
import { dec } from "../../../src/util/decimal.js";
import { DIALECTS } from "../../store/helpers.js";
import { DAY_START, type GuardFixture, guardFixture, NOW } from "./fixture.js";

describe.each(DIALECTS)("guards on %s", (dialect) => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture(dialect);
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    await f.watch();
  });

  it("passes a clean entry, then blocks it on an open lot (MAX_POSITIONS_SYMBOL)", async () => {
    expect((await runGuards(f.ctx, f.venue, f.req())).ok).toBe(true);
    await f.lot();
    const v = await runGuards(f.ctx, f.venue, f.req());
    expect(v.reasonCode).toBe("MAX_POSITIONS_SYMBOL");
    expect(v.checks.at(-1)?.detail).toBe(
      "1 open lot(s) + 0 entry(ies) in flight on BTC_USD (DRY_RUN), limit 1",
    );
  });

  it("COOLDOWN and MAX_NOTIONAL_PER_DAY read the stored entry orders", async () => {
    await f.entryOrder(NOW - 10_000, { notional: "980.5" });
    expect((await runGuards(f.ctx, f.venue, f.req())).reasonCode).toBe("COOLDOWN");
    const later = await runGuards(f.ctx, f.venue, f.req({ now: NOW + 300_000 }));
    expect(later.reasonCode).toBe("MAX_NOTIONAL_PER_DAY");
    expect(later.checks.at(-1)?.detail).toBe(
      "980.5 USD entered on BTC_USD today (UTC) + 50 USD = 1030.5 USD, limit 1000 USD per day",
    );
  });

  it("DAILY_LOSS_LIMIT sums exact decimals of today's closed lots", async () => {
    await f.store.settings.set("loss_protection", {
      ...SETTING_DEFAULTS.loss_protection,
      dailyLossLimitUsd: dec("0.3"),
      dailyLossLimitPct: undefined,
    });
    await f.lot({ closed: { at: DAY_START + 1, pnl: "-0.1", reason: "STOP_LOSS" } });
    await f.lot({ closed: { at: DAY_START + 2, pnl: "-0.2", reason: "SIGNAL" } });
    const v = await runGuards(f.ctx, f.venue, f.req());
    expect(v.reasonCode).toBe("DAILY_LOSS_LIMIT");
    expect(v.checks.at(-1)?.detail).toBe(
      "realised P&L today (UTC, DRY_RUN) -0.3 USD, limit 0.3 USD: entries paused until 2026-01-06T00:00:00Z",
    );
  });

  it("NO_POSITION for a SELL without a lot", async () => {
    const v = await runGuards(f.ctx, f.venue, f.req({ kind: "EXIT", side: "SELL" }));
    expect(v.reasonCode).toBe("NO_POSITION");
  });
});
