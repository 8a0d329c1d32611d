/**
 * Ambiguity and the protection deadline, against the emulator's faults: a lost create-order
 * response whose client-side probes also fail is resolved by the trader's probe (after the stale
 * instant), with exactly one order in the ledger; an OCO that keeps failing until the deadline
 * flattens the lot at market and raises the critical protection.failed event. A flatten whose lot
 * still has OCO legs in doubt (every create-oco answered 5xx, every probe of a leg failing, as after
 * a restart) looks the legs up by client_oid and calls them absent at their stale instant, once the
 * exchange answers again — it does not wait the confirmation timeout once per leg as for a live
 * order — so the unprotected lot is sold within seconds.
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

let h: TradingHarness;
beforeAll(async () => {
  h = await watchingHarness({ symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("50") }, { start: true });
});
afterAll(async () => h?.close());

const req = tradeRequests({ symbol: "ETH_USD", source: "cli", amountUsd: "50" });

describe("ambiguity", () => {
  it("lose_response on create-order (probes failing too) → resolved by probing, one order on the exchange", async () => {
    const before = ledger(h.emu).length;
    h.emu.admin.addFault({ kind: "lose_response", methods: ["private/create-order"], count: 1 });
    h.emu.admin.addFault({
      kind: "error",
      code: 50001,
      methods: ["private/get-order-detail", "private/advanced/get-order-detail"],
    });
    const submit = h.trader.submit(req("BUY", "amb-1"));
    await driveUntil(
      h.time,
      async () => (await h.store.events.after(0, 1000)).some((e) => e.kind === "order.ambiguous"),
      "the attempt is recorded ambiguous",
      10,
    );
    const amb = await h.store.orders.findByClientOid(ledger(h.emu).at(-1)!.client_oid!);
    expect(amb?.status).toBe("UNKNOWN");
    h.emu.admin.clearFaults();
    const res = await driveWhile(h.time, submit, 1_000);
    expect(res.outcome, res.message).toBe("filled");
    const orders = await h.store.orders.listByIntent(res.intent.id);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.status).toBe("FILLED");
    const creates = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order");
    expect(creates).toHaveLength(1);
    expect(creates[0]?.client_oid).toBe(orders[0]?.clientOid);
    const kinds = (await h.store.events.after(0, 1000)).map((e) => e.kind);
    expect(kinds).toContain("order.ambiguous");
    await driveWhile(h.time, h.trader.settled());
  });
});

describe("protection deadline", () => {
  it("create-oco failing until the deadline → FLATTEN market sell of the lot and protection.failed", async () => {
    h.emu.admin.addFault({
      kind: "error",
      code: 50001,
      http_status: 500,
      methods: ["private/advanced/create-oco"],
    });
    const before = ledger(h.emu).length;
    const res = await driveWhile(h.time, h.trader.submit(req("BUY", "dl-1")), 100);
    expect(res.outcome, res.message).toBe("filled");
    const lotId = (await h.store.intents.get(res.intent.id))!.lotId!;
    await driveWhile(h.time, h.trader.settled(), 500);
    h.emu.admin.clearFaults();
    const lot = await h.store.lots.get(lotId);
    expect(lot?.status).toBe("CLOSED");
    expect(lot?.exitReason).toBe("FLATTEN");
    const orders = await h.store.orders.listByLot(lotId);
    const flat = orders.filter((o) => o.role === "EXIT");
    expect(flat).toHaveLength(1);
    expect(flat[0]?.status).toBe("FILLED");
    expect(flat[0]?.filledQuantity.eq(lot!.quantity)).toBe(true);
    const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "protection.failed");
    expect(ev).toHaveLength(1);
    expect(ev[0]?.payload).toMatchObject({ critical: true, lotId, mode: "DEMO" });
    const sells = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    const prot = (await h.store.settings.get("protection")).value;
    expect(lot!.closedAt! - lot!.openedAt).toBeGreaterThanOrEqual(prot.deadlineS * 1000);
  });
});

describe("flatten with protection legs in doubt", () => {
  const CONFIRM_TIMEOUT_MS = 15_000; // the trader's default
  const ATTEMPT_STALE_MS = 2_000;
  let d: TradingHarness;
  beforeAll(async () => {
    d = await watchingHarness(
      { symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("50") },
      { start: true, trader: { confirmTimeoutMs: CONFIRM_TIMEOUT_MS, attemptStaleMs: ATTEMPT_STALE_MS } },
    );
  });
  afterAll(async () => d?.close());

  it("sells the lot as soon as the legs are confirmed absent, without a confirmation wait per leg", async () => {
    d.emu.admin.addFault({
      kind: "error",
      code: 50001,
      http_status: 500,
      methods: ["private/advanced/create-oco", "private/advanced/get-order-detail"],
    });
    const before = ledger(d.emu).length;
    const res = await driveWhile(d.time, d.trader.submit(req("BUY", "fl-unknown-1")), 100);
    expect(res.outcome, res.message).toBe("filled");
    const lotId = (await d.store.intents.get(res.intent.id))!.lotId!;
    // the deadline passes with the legs of the last attempt still in doubt
    await driveUntil(
      d.time,
      async () => (await d.store.events.after(0, 1000)).some((e) => e.kind === "protection.failed"),
      "the protection deadline passed (flatten started)",
      250,
    );
    const legs = async () =>
      (await d.store.orders.listByLot(lotId)).filter(
        (o) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS",
      );
    expect((await legs()).filter((l) => l.status === "UNKNOWN").length).toBeGreaterThanOrEqual(2);
    d.emu.admin.clearFaults();
    const answered = d.time.now();
    await driveUntil(
      d.time,
      async () => (await d.store.lots.get(lotId))?.status === "CLOSED",
      "the lot flattened",
      250,
    );
    const lot = await d.store.lots.get(lotId);
    expect(lot).toMatchObject({ status: "CLOSED", exitReason: "FLATTEN" });
    expect((await legs()).every((l) => l.status === "REJECTED")).toBe(true);
    // sold within seconds of the exchange answering again, not after a confirmation timeout per leg
    expect(lot!.closedAt! - answered).toBeLessThan(CONFIRM_TIMEOUT_MS);
    const sells = ledger(d.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    await driveWhile(d.time, d.trader.settled(), 250);
  });
});
