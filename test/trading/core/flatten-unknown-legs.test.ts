/**
 * A flatten at the protection deadline whose lot still has OCO legs in doubt: every create-oco
 * answered 5xx (outcome unknown, never placed) and every probe of a leg failing too, so the legs are still
 * UNKNOWN when the deadline passes (as after a restart). Once the exchange answers again, the legs
 * are looked up by client_oid and called absent (past their stale instant) at once, not first
 * waited for like live orders — the confirmation timeout once per leg — so the unprotected lot is
 * sold within seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../../src/util/decimal.js";
import { tradeRequests } from "../../helpers/trade-requests.js";
import {
  driveUntil,
  driveWhile,
  ledger,
  type TradingHarness,
  watchingHarness,
} from "../../helpers/trading.js";

const CONFIRM_TIMEOUT_MS = 15_000; // the trader's default
const ATTEMPT_STALE_MS = 2_000;

let h: TradingHarness;
beforeAll(async () => {
  h = await watchingHarness(
    { symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("50") },
    { start: true, trader: { confirmTimeoutMs: CONFIRM_TIMEOUT_MS, attemptStaleMs: ATTEMPT_STALE_MS } },
  );
});
afterAll(async () => h?.close());

const req = tradeRequests({ symbol: "ETH_USD", source: "cli", amountUsd: "50" });

describe("flatten with protection legs in doubt", () => {
  it("sells the lot as soon as the legs are confirmed absent, without a confirmation wait per leg", async () => {
    h.emu.admin.addFault({
      kind: "error",
      code: 50001,
      http_status: 500,
      methods: ["private/advanced/create-oco", "private/advanced/get-order-detail"],
    });
    const before = ledger(h.emu).length;
    const res = await driveWhile(h.time, h.trader.submit(req("BUY", "fl-unknown-1")), 100);
    expect(res.outcome, res.message).toBe("filled");
    const lotId = (await h.store.intents.get(res.intent.id))!.lotId!;
    // the deadline passes with the legs of the last attempt still in doubt
    await driveUntil(
      h.time,
      async () => (await h.store.events.after(0, 1000)).some((e) => e.kind === "protection.failed"),
      "the protection deadline passed (flatten started)",
      250,
    );
    const legs = async () =>
      (await h.store.orders.listByLot(lotId)).filter(
        (o) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS",
      );
    expect((await legs()).filter((l) => l.status === "UNKNOWN").length).toBeGreaterThanOrEqual(2);
    h.emu.admin.clearFaults();
    const answered = h.time.now();
    await driveUntil(
      h.time,
      async () => (await h.store.lots.get(lotId))?.status === "CLOSED",
      "the lot flattened",
      250,
    );
    const lot = await h.store.lots.get(lotId);
    expect(lot).toMatchObject({ status: "CLOSED", exitReason: "FLATTEN" });
    expect((await legs()).every((l) => l.status === "REJECTED")).toBe(true);
    // sold within seconds of the exchange answering again, not after a confirmation timeout per leg
    expect(lot!.closedAt! - answered).toBeLessThan(CONFIRM_TIMEOUT_MS);
    const sells = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    await driveWhile(h.time, h.trader.settled(), 250);
  });
});
