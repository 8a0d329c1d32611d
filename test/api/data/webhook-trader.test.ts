/**
 * The webhook's path to an order with this process's trader (`deps.acceptSignal` = the leader's
 * `Trader.acceptSignal`, emulator over loopback): the route commits nothing of its own before the
 * trader has the signal (no touch commit, no inbox commit: the trader writes the row with its intent),
 * the webhook's use shows at once and reaches the store later; the same signal_id while the first
 * is in flight, or after, is a duplicate and never a second order; a trader that fails before
 * storing the row is a 503, not "accepted". Without a trader (not the leader) the inbox row and the
 * use are one commit.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { WebhookAccepted } from "../../../src/api/contract/types.js";
import { type ApiServer, createApiServer } from "../../../src/api/server.js";
import { sha256Hex, webhookSignalRowId } from "../../../src/api/webhook-intake.js";
import type { NewSignal, Store, StoreTable, Tx } from "../../../src/store/types.js";
import { dec } from "../../../src/util/decimal.js";
import { type ApiTestDeps, apiTestDeps } from "../../helpers/api-deps.js";
import { driveWhile, ledger, type TradingHarness, tradingHarness } from "../../helpers/trading.js";

const ALL: StoreTable[] = [
  "watchlist",
  "settings",
  "signals",
  "intents",
  "orders",
  "fills",
  "lots",
  "diagnosis_reports",
  "auth_incidents",
  "events",
  "outbox",
  "audit_log",
  "throttle",
  "leadership",
  "webhooks",
];
const SECRET = "webhook-secret-0123456789";

/** The store with its commits counted (transactions; autocommit writes show in writeVersion). */
function counted(store: Store) {
  const state = { commits: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return async <T>(fn: (tx: Tx) => Promise<T>) => {
          const r = await target.transaction(fn);
          state.commits++;
          return r;
        };
      return Reflect.get(target, prop, target);
    },
  });
  return { state, store: wrapped };
}

describe("webhook → trader: one commit on the way to the order", () => {
  let h: TradingHarness;
  let d: ApiTestDeps;
  let server: ApiServer;
  let c: ReturnType<typeof counted>;
  const seen: { commits: number; version: number; at: number }[] = [];
  const entries = async () => (await h.store.orders.page({ role: "ENTRY", limit: 500 })).items.length;
  let failNext = false;

  beforeAll(async () => {
    h = await tradingHarness();
    await h.trader.start();
    c = counted(h.store);
    d = await apiTestDeps();
    await h.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("10") });
    await h.store.webhooks.create({ name: "tv", secretHash: sha256Hex(SECRET) });
    server = await createApiServer({
      ...d.deps,
      store: c.store,
      time: h.time,
      acceptSignal: (row: NewSignal) => {
        seen.push({ commits: c.state.commits, version: h.store.writeVersion(ALL), at: h.time.now() });
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("disk full"));
        }
        return h.trader.acceptSignal(row);
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await d?.dispose();
    await h?.close();
  });

  const send = (signalId: string) =>
    server.inject({
      method: "POST",
      url: "/api/signals/webhook/tv",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ secret: SECRET, symbol: "BTCUSD", side: "buy", signal_id: signalId }),
    });

  it("hands the signal to the trader before any commit of its own; the order reaches the venue", async () => {
    const orders = ledger(h.emu).length;
    const commits = c.state.commits;
    const version = h.store.writeVersion(ALL);
    const r = await driveWhile(h.time, send("s-1"), 20);
    expect(r.statusCode).toBe(202);
    const a = r.json() as WebhookAccepted;
    expect(a).toMatchObject({ signal_id: "s-1", status: "accepted", reason_code: null });
    expect(a.intent_id).toEqual(expect.any(String));
    // nothing written by the route before the trader had it: no touch, no inbox row of its own
    expect(seen.at(-1)).toMatchObject({ commits, version });
    // the 202 says what the intake decided; the create-order follows it (guards, attempt row, send)
    await vi.waitFor(() => expect(ledger(h.emu).length).toBeGreaterThan(orders), { timeout: 5_000 });
    expect(await entries()).toBe(1);
    const at = seen.at(-1)!.at;
    const row = await h.store.signals.get(webhookSignalRowId("tv", "s-1"));
    expect(row).toMatchObject({ status: "ACCEPTED", intentId: a.intent_id, source: "webhook:tv" });

    // the use: listed at once, in the store once written (off the signal's path)
    const list = (await server.inject({ method: "GET", url: "/api/webhooks" })).json();
    expect(list).toEqual([{ name: "tv", created_at: expect.any(Number), last_used_at: at }]);
    expect((await h.store.webhooks.get("tv"))?.lastUsedAt).toBeUndefined();
    await server.internals.webhookUsage?.flush();
    expect((await h.store.webhooks.get("tv"))?.lastUsedAt).toBe(at);
  });

  it("the same signal_id in flight or after is a duplicate, never a second order", async () => {
    const before = await entries();
    const [x, y] = await driveWhile(h.time, Promise.all([send("s-2"), send("s-2")]), 20);
    const z = await driveWhile(h.time, send("s-2"), 20);
    const statuses = [x, y, z].map((r) => (r.json() as WebhookAccepted).status).sort();
    expect(statuses).toEqual(["accepted", "duplicate", "duplicate"]);
    expect(await entries()).toBe(before + 1);
  });

  it("a trader failing before the row is stored is a 503 (send again), not accepted", async () => {
    failNext = true;
    const r = await send("s-3");
    expect(r.statusCode).toBe(503);
    expect(r.json().error).toMatchObject({ code: "signal_not_stored", retryable: true });
    expect(r.body).not.toContain("disk full");
    expect(await h.store.signals.get(webhookSignalRowId("tv", "s-3"))).toBeUndefined();
    // sent again, it is taken
    const again = await driveWhile(h.time, send("s-3"), 20);
    expect((again.json() as WebhookAccepted).status).toBe("accepted");
  });
});

describe("webhook without a trader in this process: the inbox", () => {
  it("the inbox row and the webhook's use are one commit", async () => {
    const d = await apiTestDeps();
    const c = counted(d.store);
    const server = await createApiServer({
      ...d.deps,
      store: c.store,
      acceptSignal: () => undefined, // not the leader: no trader here
    });
    try {
      await d.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
      await d.store.webhooks.create({ name: "tv", secretHash: sha256Hex(SECRET) });
      const commits = c.state.commits;
      const version = d.store.writeVersion(ALL);
      const r = await server.inject({
        method: "POST",
        url: "/api/signals/webhook/tv",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ secret: SECRET, symbol: "BTC_USD", side: "buy", signal_id: "q-1" }),
      });
      expect(r.statusCode).toBe(202);
      // nobody takes it here: queued after the poll budget
      expect(r.json()).toMatchObject({ status: "accepted", intent_id: null });
      expect(c.state.commits - commits).toBe(1);
      // that one transaction wrote the row and the use, and nothing was written outside it
      const row = await d.store.signals.get(webhookSignalRowId("tv", "q-1"));
      expect(row?.status).toBe("PENDING");
      expect((await d.store.webhooks.get("tv"))?.lastUsedAt).toBe(d.time.now());
      expect(d.store.writeVersion(["webhooks"])).toBeGreaterThan(0);
      expect(d.store.writeVersion(ALL)).toBeGreaterThan(version);
    } finally {
      await server.close();
      await d.dispose();
    }
  }, 10_000);
});
