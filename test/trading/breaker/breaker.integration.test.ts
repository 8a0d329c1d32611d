/**
 * The auth circuit breaker against the emulator over loopback, on a SQLite store: a revoked key
 * opens one incident (doctor once), stops trading calls before they reach the exchange, probes at
 * growing intervals on ManualTime and recovers by itself; a 213 opens nothing; a restart resumes.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/types.js";
import { AuthCircuitOpenError } from "../../../src/trading/breaker/index.js";
import { DEMO, useEmulator } from "../../exchange/client/helpers/emulator.js";
import { resetStore, type StoreHome, storeHome } from "../../store/helpers.js";
import { countRequests, eventsOf, makeBreaker, until } from "./helpers.js";

const fx = useEmulator({ rate_limits: false });
let home: StoreHome;
let store: Store;
const buy = (intentId: string) =>
  ({ intentId, symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: "10.00" }) as const;

beforeAll(async () => {
  home = await storeHome("sqlite");
  store = await home.open();
});
afterAll(async () => home.dispose());
beforeEach(async () => {
  await resetStore(store);
  fx.emu.admin.clearFaults();
  fx.emu.admin.setKeyEnabled(DEMO.apiKey, true);
});
afterEach(() => fx.emu.admin.setKeyEnabled(DEMO.apiKey, true));

describe("AuthBreaker", () => {
  it("revoked key: one incident, doctor once, trading stopped without a request, probe, recovery", async () => {
    const { breaker, time, doctorCalls, recovered } = makeBreaker(store, fx.client());
    await breaker.start();
    const creates = countRequests(fx.emu, "private/create-order");
    const balances = countRequests(fx.emu, "private/user-balance");
    const t0 = time.now();
    fx.emu.admin.setKeyEnabled(DEMO.apiKey, false);

    const first = await breaker.placeOrder(buy("i-1"));
    expect(first.status).toBe("rejected");
    if (first.status === "rejected")
      expect([first.error.code, first.error.category]).toEqual([40101, "auth"]);
    expect(breaker.state).toBe("open");
    expect(creates()).toBe(1);

    // a read failing the same way joins the incident; trading calls never leave the process
    await expect(breaker.getOpenOrders()).rejects.toMatchObject({ code: 40101 });
    const second = await breaker.placeOrder(buy("i-2"));
    expect(second.status).toBe("not_sent");
    if (second.status === "not_sent") {
      expect(second.error).toBeInstanceOf(AuthCircuitOpenError);
      expect([second.error.errorCode, second.error.category, second.error.disposition]).toEqual([
        "trading.auth_circuit_open",
        "auth",
        "fatal",
      ]);
      expect(second.error.ambiguous).toBe(false);
    }
    const oco = await breaker.placeOco({
      intentId: "i-3",
      symbol: "BTC_USD",
      legs: [
        { type: "LIMIT", side: "SELL", quantity: "0.001", price: "60000" },
        { type: "STOP_LOSS", side: "SELL", quantity: "0.001", refPrice: "40000" },
      ],
    });
    expect(oco.status).toBe("not_sent");
    await expect(breaker.cancelAllOrders("BTC_USD")).rejects.toBeInstanceOf(AuthCircuitOpenError);
    await expect(breaker.cancelOrder({ orderId: "1" })).rejects.toBeInstanceOf(AuthCircuitOpenError);
    expect(creates()).toBe(1);
    expect(fx.emu.admin.orders()).toHaveLength(0);

    await breaker.idle();
    expect(doctorCalls).toHaveLength(1);
    expect(doctorCalls[0]).toMatchObject({
      method: "placeOrder",
      code: 40101,
      category: "auth",
      request: { intentId: "i-1", symbol: "BTC_USD", notional: "10.00" },
    });
    const [incident, ...others] = await store.incidents.list();
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ method: "placeOrder", code: 40101, category: "auth", probes: 0 });
    expect(incident?.nextProbeAt).toBe(t0 + 60_000);
    const report = await store.reports.get(incident!.diagnosisId!);
    expect(report).toMatchObject({
      trigger: "auth_incident",
      verdict: "key rejected",
      topCause: "revoked_key",
    });
    expect(await eventsOf(store, "auth.incident_opened")).toHaveLength(1);
    expect(breaker.currentIncident()?.id).toBe(incident!.id);

    // probe at 1 min: still revoked
    await time.advance(59_999);
    expect(balances()).toBe(0);
    await time.advance(1);
    await until(async () => (await store.incidents.get(incident!.id))?.probes === 1, "first probe recorded");
    expect(balances()).toBe(1);
    expect(breaker.state).toBe("open");
    expect((await store.incidents.get(incident!.id))?.nextProbeAt).toBe(t0 + 60_000 + 120_000);

    // key restored: the next probe (2 min later) closes the incident
    fx.emu.admin.setKeyEnabled(DEMO.apiKey, true);
    await time.advance(119_000);
    expect(balances()).toBe(1);
    await time.advance(1_000);
    await until(() => breaker.state === "closed", "recovery");
    await breaker.idle();
    expect(recovered).toEqual([incident!.id]);
    const closed = await store.incidents.get(incident!.id);
    expect(closed).toMatchObject({ closedAt: t0 + 180_000, probes: 2 });
    const closedEvents = await eventsOf(store, "auth.incident_closed");
    expect(closedEvents.map((e) => e.payload)).toEqual([
      expect.objectContaining({ incidentId: incident!.id, durationMs: 180_000, mode: "LIVE" }),
    ]);
    expect(await eventsOf(store, "auth.incident_opened")).toHaveLength(1);
    expect(doctorCalls).toHaveLength(1);

    const after = await breaker.placeOrder(buy("i-4"));
    expect(after.status).toBe("accepted");
    expect(creates()).toBe(2);
    await breaker.stop();
  });

  it("many concurrent auth failures open one incident and run the doctor once", async () => {
    const { breaker, doctorCalls } = makeBreaker(store, fx.client());
    fx.emu.admin.setKeyEnabled(DEMO.apiKey, false);
    const outs = await Promise.all([1, 2, 3, 4, 5].map((i) => breaker.placeOrder(buy(`c-${i}`))));
    expect(outs.every((o) => o.status === "rejected" || o.status === "not_sent")).toBe(true);
    await breaker.idle();
    expect(await store.incidents.list()).toHaveLength(1);
    expect(await eventsOf(store, "auth.incident_opened")).toHaveLength(1);
    expect(doctorCalls).toHaveLength(1);
    await breaker.stop();
  });

  it("an IP outside the whitelist (40103) opens an incident of category ip_not_whitelisted", async () => {
    const { breaker } = makeBreaker(store, fx.client());
    const key = { api_key: DEMO.apiKey, secret: DEMO.apiSecret, account: "main" };
    fx.emu.admin.upsertKey({ ...key, ip_whitelist: ["10.9.9.9"] });
    try {
      await expect(breaker.getBalance()).rejects.toMatchObject({ code: 40103 });
      expect(breaker.state).toBe("open");
      await breaker.idle();
      expect(await store.incidents.current()).toMatchObject({
        method: "getBalance",
        category: "ip_not_whitelisted",
      });
    } finally {
      fx.emu.admin.upsertKey({ ...key, ip_whitelist: ["127.0.0.1", "::1"] });
      await breaker.stop();
    }
  });

  it("a 213 rejection passes through untouched and opens nothing", async () => {
    const { breaker, doctorCalls } = makeBreaker(store, fx.client());
    fx.emu.admin.addFault({ kind: "error", code: 213, methods: ["private/create-order"], count: 1 });
    const out = await breaker.placeOrder(buy("q-1"));
    expect(out.status).toBe("rejected");
    if (out.status === "rejected")
      expect([out.error.code, out.error.category]).toEqual([213, "invalid_order"]);
    expect(breaker.state).toBe("closed");
    await breaker.idle();
    expect(doctorCalls).toHaveLength(0);
    expect(await store.incidents.list()).toHaveLength(0);
    expect(await store.events.lastSeq()).toBe(0);
    expect((await breaker.placeOrder(buy("q-2"))).status).toBe("accepted");
    await breaker.stop();
  });

  it("a restart with an open incident resumes open, sends nothing, and probes at its nextProbeAt", async () => {
    const { breaker, time, recovered, doctorCalls } = makeBreaker(store, fx.client());
    const incident = await store.incidents.open({
      openedAt: time.now() - 30_000,
      method: "placeOco",
      code: 40101,
      category: "auth",
      nextProbeAt: time.now() + 30_000,
    });
    const creates = countRequests(fx.emu, "private/create-order");
    await breaker.start();
    expect(breaker.state).toBe("open");
    expect((await breaker.placeOrder(buy("r-1"))).status).toBe("not_sent");
    expect(creates()).toBe(0);
    await time.advance(30_000);
    await until(() => breaker.state === "closed", "recovery after restart");
    await breaker.idle();
    expect(recovered).toEqual([incident.id]);
    expect(doctorCalls).toHaveLength(0);
    const closed = await eventsOf(store, "auth.incident_closed");
    expect(closed.map((e) => e.payload)).toEqual([expect.objectContaining({ durationMs: 60_000 })]);
    expect(await eventsOf(store, "auth.incident_opened")).toHaveLength(0);
    await breaker.stop();
  });
});
