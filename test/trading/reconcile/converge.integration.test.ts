/**
 * Adoption and ghosts, on SQLite and PostgreSQL, against the emulator over loopback: our orders
 * are adopted, others recorded as external, an attempt the exchange does not know becomes
 * REJECTED NOT_FOUND only after a probe by client_oid and the grace period, and an attempt whose
 * order exists is resolved from the exchange instead.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetStore } from "../../store/helpers.js";
import { countRequests } from "../breaker/helpers.js";
import {
  localAttempt,
  marketBuy,
  type ReconcileWorld,
  reconcileWorld,
  restingBuy,
  until,
} from "./helpers.js";

describe.each(["sqlite", "postgres"] as const)("Reconciler convergence (%s)", (dialect) => {
  let w: ReconcileWorld;
  beforeAll(async () => {
    w = await reconcileWorld(dialect);
  });
  afterAll(async () => w.close());
  beforeEach(async () => {
    await resetStore(w.store);
    await w.client.cancelAllOrders();
    w.emu.admin.clearFaults();
  });

  it("adopts an order with our client_oid prefix and records another as external", async () => {
    const ours = await w.client.placeOrder(restingBuy(w, "placed-elsewhere"));
    expect(ours.status).toBe("accepted");
    const theirs = await w.client.request("private/create-order", {
      ...{ instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", quantity: "0.001" },
      price: restingBuy(w, "x").price as string,
      client_oid: "manual-42",
    });
    expect(theirs.code).toBe(0);
    await until(async () => (await w.client.getOpenOrders()).length === 2, "both orders open");

    const r = w.reconciler();
    const report = await r.pass();
    expect(report).toMatchObject({ adopted: 1, external: 1, corrections: 2 });
    const adopted = await w.store.orders.findByClientOid(ours.clientOid);
    expect(adopted).toMatchObject({ external: false, mode: "LIVE", role: "ENTRY", status: "ACTIVE" });
    const external = await w.store.orders.findByClientOid("manual-42");
    expect(external).toMatchObject({ external: true, mode: "LIVE" });
    const audit = await w.store.audit.list({ actor: "reconciler" });
    expect(audit.map((a) => [a.action, a.entityId, a.before]).sort()).toEqual(
      [
        ["adopt", adopted!.id, null],
        ["record_external", external!.id, null],
      ].sort(),
    );
    expect(audit.find((a) => a.action === "adopt")?.after).toMatchObject({
      status: "ACTIVE",
      external: false,
    });
    const events = (await w.store.events.after(0)).filter((e) => e.kind === "reconcile.correction");
    expect(events).toHaveLength(2);

    const again = await r.pass();
    expect(again).toMatchObject({ adopted: 0, external: 0, corrections: 0 });
    expect(await w.store.audit.list({ actor: "reconciler" })).toHaveLength(2);
  });

  it("resolves an unknown attempt as not placed only after the probe and the grace period", async () => {
    const probes = countRequests(w.emu, "private/get-order-detail");
    const row = await localAttempt(w, "ghost");
    const r = w.reconciler();

    const early = await r.pass();
    expect(probes()).toBeGreaterThan(0); // looked up by client_oid …
    expect(early.resolved).toBe(0); // … but within the grace period nothing is decided
    expect((await w.store.orders.get(row.id))?.status).toBe("PENDING_SUBMIT");

    await w.time.advance(120_000);
    const before = probes();
    const late = await r.pass();
    expect(probes()).toBeGreaterThan(before);
    expect(late).toMatchObject({ resolved: 1, corrections: 1 });
    expect(await w.store.orders.get(row.id)).toMatchObject({ status: "REJECTED", reason: "NOT_FOUND" });
    const [entry] = await w.store.audit.list({ entityId: row.id });
    expect(entry).toMatchObject({
      actor: "reconciler",
      action: "resolve_not_placed",
      entity: "order",
      before: expect.objectContaining({ status: "PENDING_SUBMIT" }),
      after: expect.objectContaining({ status: "REJECTED", reason: "NOT_FOUND" }),
    });
  });

  it("an attempt whose order the exchange has (lost acknowledgement) is resolved from it, not rejected", async () => {
    const row = await localAttempt(w, "lost");
    const oid = row.clientOid!;
    expect((await w.client.placeOrder(marketBuy(`${row.intentId}:1`))).status).toBe("accepted");
    await until(async () => (await w.client.probeOrder(oid))?.status === "FILLED", "market order filled");
    await w.time.advance(2 * 3_600_000); // out of the history window: only the probe finds it

    const report = await w.reconciler().pass();
    expect(report).toMatchObject({ resolved: 1 });
    const after = await w.store.orders.get(row.id);
    expect(after?.status).toBe("FILLED");
    expect(after?.filledQuantity.gt(0)).toBe(true);
    const [entry] = await w.store.audit.list({ entityId: row.id });
    expect(entry).toMatchObject({
      action: "resolve_from_exchange",
      after: expect.objectContaining({ status: "FILLED" }),
    });
  });
});
