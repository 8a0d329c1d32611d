/**
 * The engine's path for a strategy signal (`Trader.acceptSignal`): a BUY's inbox row, its intent
 * (SUBMITTING, with the guards' verdict) and its first attempt row commit in ONE transaction before
 * the request (all or nothing); a blocked BUY is one commit too; a signal for a busy symbol is
 * stored PENDING for the inbox instead of waiting unstored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store, Tx } from "../../../src/store/types.js";
import { Trader } from "../../../src/trading/trader.js";
import { dec } from "../../../src/util/decimal.js";
import { driveWhile, ledger, type TradingHarness, tradingHarness } from "../../helpers/trading.js";

const row = (symbol: string) => ({ symbol, side: "BUY" as const, source: "engine", strategy: "t" });

/** Counts the store's commits and can make `intents.create` throw inside them. */
function instrumented(store: Store) {
  const state = { commits: 0, failCreate: false };
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === "transaction")
        return async <T>(fn: (tx: Tx) => Promise<T>) => {
          const r = await target.transaction((tx) =>
            fn(
              new Proxy(tx, {
                get(t, p) {
                  const v = Reflect.get(t, p, t);
                  if (p !== "intents" || !state.failCreate) return v;
                  return { ...v, create: () => Promise.reject(new Error("disk full")) };
                },
              }),
            ),
          );
          state.commits++;
          return r;
        };
      return Reflect.get(target, prop, target);
    },
  });
  return { state, store: wrapped };
}

describe("acceptSignal: one-transaction intake", () => {
  let h: TradingHarness;
  let trader: Trader;
  let inst: ReturnType<typeof instrumented>;
  beforeAll(async () => {
    h = await tradingHarness();
    inst = instrumented(h.store);
    trader = new Trader({ ...h.ctx, store: inst.store }, { pollMs: 100, confirmTimeoutMs: 5_000 });
    await trader.start();
    await h.store.watchlist.upsert({ symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("30") });
  });
  afterAll(async () => {
    await trader?.stop();
    await h?.close();
  });

  it("commits the inbox row, its intent SUBMITTING and the attempt row in one commit before the request", async () => {
    const before = ledger(h.emu).length;
    const commits = inst.state.commits;
    let atWrite:
      | { commits: number; intent?: string; attempt?: number; order?: string; signal?: string }
      | undefined;
    const live = h.ctx.venues.live!;
    const place = live.client.placeOrder.bind(live.client);
    live.client.placeOrder = async (req) => {
      // what the store holds (committed) when the request is about to leave
      const [sig] = await h.store.signals.list({ symbol: "ETH_USD", limit: 1 });
      const intent = sig?.intentId ? await h.store.intents.get(sig.intentId) : undefined;
      const [order] = intent ? await h.store.orders.listByIntent(intent.id) : [];
      atWrite = {
        commits: inst.state.commits - commits,
        intent: intent?.status,
        attempt: intent?.attempt,
        order: order?.status,
        signal: sig?.status,
      };
      return place(req);
    };
    try {
      const r = await driveWhile(h.time, trader.acceptSignal(row("ETH_USD")));
      expect(r?.outcome).toBe("filled");
    } finally {
      live.client.placeOrder = place;
    }
    expect(atWrite).toEqual({
      commits: 1,
      intent: "SUBMITTING",
      attempt: 1,
      order: "PENDING_SUBMIT",
      signal: "ACCEPTED",
    });
    const [sig] = await h.store.signals.list({ symbol: "ETH_USD", limit: 1 });
    expect(sig?.status).toBe("ACCEPTED");
    const intent = await h.store.intents.findByKey(`signal:${sig!.id}`);
    expect(intent?.signalId).toBe(sig!.id);
    expect(sig?.intentId).toBe(intent?.id);
    const trace = intent?.guardTrace as { verdict?: { ok: boolean }; mode?: string; source?: string };
    expect(trace.verdict?.ok).toBe(true); // the guards' verdict, written with the attempt
    expect(trace.mode).toBe(intent?.mode);
    expect(trace.source).toBe("engine");
    expect(
      ledger(h.emu)
        .slice(before)
        .filter((o) => o.method === "private/create-order"),
    ).toHaveLength(1);
    await driveWhile(h.time, trader.settled());
  });

  it("blocks a BUY in one commit: intent BLOCKED with the code, its signal BLOCKED, the event; nothing sent", async () => {
    await h.store.watchlist.upsert({ symbol: "SOL_USD", tradeEnabled: false, amountUsd: dec("30") });
    const before = ledger(h.emu).length;
    const commits = inst.state.commits;
    const r = await driveWhile(h.time, trader.acceptSignal(row("SOL_USD")));
    expect(inst.state.commits - commits).toBe(1);
    expect(r?.outcome).toBe("blocked");
    expect(r?.intent.status).toBe("BLOCKED");
    expect(r?.intent.reasonCode).toBe("TRADING_DISABLED");
    const [sig] = await h.store.signals.list({ symbol: "SOL_USD", limit: 1 });
    expect(sig).toMatchObject({ status: "BLOCKED", reasonCode: "TRADING_DISABLED", intentId: r?.intent.id });
    const trace = r?.intent.guardTrace as { verdict?: { reasonCode: string }; blockDetail?: string };
    expect(trace.verdict?.reasonCode).toBe("TRADING_DISABLED");
    expect(trace.blockDetail).toContain("disabled");
    const events = await h.store.events.after(0, 1000);
    expect(events.some((e) => e.kind === "intent.blocked" && e.symbol === "SOL_USD")).toBe(true);
    expect(
      ledger(h.emu)
        .slice(before)
        .filter((o) => o.method.startsWith("private/")),
    ).toHaveLength(0); // no order, and no balance read: a store guard blocked it
  });

  it("tells its decision once, right after the commit and before the create-order is written", async () => {
    const before = ledger(h.emu).length;
    const told: { outcome: string; status: string; sent: number }[] = [];
    const sentNow = () =>
      ledger(h.emu)
        .slice(before)
        .filter((o) => o.method === "private/create-order").length;
    const r = await driveWhile(
      h.time,
      trader.acceptSignal(row("ETH_USD"), (d) =>
        told.push({ outcome: d.outcome, status: d.intent.status, sent: sentNow() }),
      ),
    );
    expect(r?.outcome).toBe("filled");
    expect(told).toEqual([{ outcome: "accepted", status: "SUBMITTING", sent: 0 }]);
    await driveWhile(h.time, trader.settled());
    const blocked: string[] = [];
    await h.store.watchlist.upsert({ symbol: "SOL_USD", tradeEnabled: false, amountUsd: dec("30") });
    await driveWhile(
      h.time,
      trader.acceptSignal(row("SOL_USD"), (d) => blocked.push(`${d.outcome}:${d.intent.reasonCode}`)),
    );
    expect(blocked).toEqual(["blocked:TRADING_DISABLED"]);
  });

  it("keeps neither the row nor an intent when the transaction fails (they commit together)", async () => {
    const rows = (await h.store.signals.list({ limit: 1000 })).length;
    const before = ledger(h.emu).length;
    inst.state.failCreate = true;
    try {
      await expect(trader.acceptSignal(row("ETH_USD"))).rejects.toThrow("disk full");
    } finally {
      inst.state.failCreate = false;
    }
    expect((await h.store.signals.list({ limit: 1000 })).length).toBe(rows);
    expect(ledger(h.emu).length).toBe(before);
  });

  it("stores a signal PENDING while its symbol is busy; the inbox then submits it once", async () => {
    const first = trader.acceptSignal(row("ETH_USD"));
    const second = await trader.acceptSignal(row("ETH_USD")); // busy: stored, queued by the inbox
    expect(second).toBeUndefined();
    await driveWhile(h.time, first);
    await driveWhile(h.time, trader.settled());
    await driveWhile(h.time, trader.processInbox());
    const recent = await h.store.signals.list({ symbol: "ETH_USD", limit: 2 });
    expect(recent.map((s) => s.status)).toEqual(["ACCEPTED", "ACCEPTED"]);
    for (const s of recent) expect(await h.store.intents.findByKey(`signal:${s.id}`)).toBeDefined();
  });
});
