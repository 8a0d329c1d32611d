/**
 * The webhook's path to an order with this process's trader (`deps.acceptSignal` = the leader's
 * `Trader.acceptSignal`, emulator over loopback): the route commits nothing of its own before the
 * trader has the signal (no touch commit, no inbox commit: the trader writes the row with its intent),
 * the webhook's use shows at once and reaches the store later; the same signal_id while the first
 * is in flight, or after, is a duplicate and never a second order; a trader that fails before
 * storing the row is a 503, not "accepted". The 202 is the trader's decision (awaited, not polled:
 * a guard's block is in it), and after the first signal the route reads neither the webhook's
 * secret nor the watchlist from the store (kept in memory, current with this process's writes: a
 * deleted webhook is a 401 at once). Without a trader (not the leader) the inbox row and the use are
 * one commit.
 */
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { WebhookAccepted } from "../../../src/api/contract/types.js";
import type { SignalHandover } from "../../../src/api/deps.js";
import { type ApiServer, createApiServer } from "../../../src/api/server.js";
import { sha256Hex, WEBHOOK_READ_MAX_AGE_MS, webhookSignalRowId } from "../../../src/api/webhook-intake.js";
import { handOverSignal } from "../../../src/app/platform/signal-handover.js";
import { createLogger } from "../../../src/log/logger.js";
import { openStore } from "../../../src/store/open.js";
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

/** The store with its commits counted (transactions; autocommit writes show in writeVersion), and its reads of `READ` repos. */
const READ = ["webhooks", "watchlist", "signals"] as const;
function counted(store: Store) {
  const state = { commits: 0, reads: { webhooks: 0, watchlist: 0, signals: 0 } };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return async <T>(fn: (tx: Tx) => Promise<T>) => {
          const r = await target.transaction(fn);
          state.commits++;
          return r;
        };
      const repo = READ.find((r) => r === prop);
      if (repo) {
        const real = Reflect.get(target, prop, target) as object;
        return new Proxy(real, {
          get(r, fn) {
            const f = Reflect.get(r, fn, r);
            if (typeof f !== "function" || (fn !== "get" && fn !== "list")) return f;
            return (...a: unknown[]) => {
              state.reads[repo]++;
              return (f as (...x: unknown[]) => unknown).apply(r, a);
            };
          },
        });
      }
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
  let handOver: ((row: NewSignal) => SignalHandover | undefined) | undefined;

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
          return { decided: Promise.reject(new Error("disk full")) };
        }
        return (handOver ?? ((r: NewSignal) => handOverSignal(h.trader, r)))(row);
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await d?.dispose();
    await h?.close();
  });

  const send = (signalId: string, symbol = "BTCUSD") =>
    server.inject({
      method: "POST",
      url: "/api/signals/webhook/tv",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ secret: SECRET, symbol, side: "buy", signal_id: signalId }),
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

  it("the 202 is the trader's decision: a guard's block with its code, no order", async () => {
    const before = await entries();
    await h.store.settings.set("kill_switch", true);
    try {
      const r = await driveWhile(h.time, send("s-k"), 20);
      expect(r.json()).toMatchObject({ signal_id: "s-k", status: "blocked", reason_code: "KILL_SWITCH" });
      expect((r.json() as WebhookAccepted).intent_id).toEqual(expect.any(String));
    } finally {
      await h.store.settings.set("kill_switch", false);
    }
    expect(await entries()).toBe(before);
    // what the handover decides is the answer, as it says it (not read back from the store)
    handOver = () => ({
      decided: Promise.resolve({ status: "blocked", intentId: "i-x", reasonCode: "X_CODE" }),
    });
    try {
      expect((await send("s-x")).json()).toEqual({
        signal_id: "s-x",
        intent_id: "i-x",
        status: "blocked",
        reason_code: "X_CODE",
      });
    } finally {
      handOver = undefined;
    }
  });

  it("reads neither the secret nor the watchlist from the store per signal; a deleted webhook is a 401 at once", async () => {
    await driveWhile(h.time, send("s-r1"), 20);
    await driveWhile(h.time, h.trader.settled()); // the 202 came at the decision; the fill is confirmed after
    const reads = { ...c.state.reads };
    const r = await driveWhile(h.time, send("s-r2"), 20);
    expect((r.json() as WebhookAccepted).status).toBe("accepted");
    // one read: does the signal's row exist (rows of earlier runs and other processes are not in memory)
    expect(c.state.reads).toEqual({ ...reads, signals: reads.signals + 1 });
    await c.store.webhooks.remove("tv");
    try {
      expect((await send("s-r3")).statusCode).toBe(401);
    } finally {
      await c.store.webhooks.create({ name: "tv", secretHash: sha256Hex(SECRET) });
    }
    expect((await driveWhile(h.time, send("s-r4"), 20)).statusCode).toBe(202);
  });

  it("the watchlist as kept: a coin another process switched off is blocked by the guards, one it added is taken within 1 s", async () => {
    const logger = createLogger({ level: "silent", pretty: false });
    const other = await openStore({ dataDir: dirname(h.store.location), logger, now: () => h.time.now() });
    try {
      expect((await driveWhile(h.time, send("s-w1"), 20)).json()).toMatchObject({ status: "accepted" });
      await other.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: false });
      const off = await driveWhile(h.time, send("s-w2"), 20);
      expect(off.json()).toMatchObject({ status: "blocked", reason_code: "TRADING_DISABLED" });
      await other.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
      await other.watchlist.upsert({ symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("10") });
      await h.time.advance(WEBHOOK_READ_MAX_AGE_MS);
      const eth = await driveWhile(h.time, send("s-w3", "ETH_USD"), 20);
      expect(eth.json()).toMatchObject({ status: "accepted", reason_code: null });
    } finally {
      await other.close();
    }
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
