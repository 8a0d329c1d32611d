/**
 * The engine's path for a strategy signal (`Trader.acceptSignal`): the inbox row and its intent
 * commit in one transaction (both or neither), READY commits with the attempt row, and a signal for
 * a busy symbol is stored PENDING for the inbox instead of waiting unstored.
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

  it("commits the inbox row ACCEPTED with its intent, then one commit (READY + attempt) before the request", async () => {
    const before = ledger(h.emu).length;
    const commits = inst.state.commits;
    let atWrite = -1;
    const live = h.ctx.venues.live!;
    const place = live.client.placeOrder.bind(live.client);
    live.client.placeOrder = (req) => {
      atWrite = inst.state.commits - commits;
      return place(req);
    };
    try {
      const r = await driveWhile(h.time, trader.acceptSignal(row("ETH_USD")));
      expect(r?.outcome).toBe("filled");
    } finally {
      live.client.placeOrder = place;
    }
    expect(atWrite).toBe(2); // the signal + intent, then READY + attempt + SUBMITTING
    const [sig] = await h.store.signals.list({ symbol: "ETH_USD", limit: 1 });
    expect(sig?.status).toBe("ACCEPTED");
    const intent = await h.store.intents.findByKey(`signal:${sig!.id}`);
    expect(intent?.signalId).toBe(sig!.id);
    expect(sig?.intentId).toBe(intent?.id);
    const trace = intent?.guardTrace as { verdict?: { ok: boolean } };
    expect(trace.verdict?.ok).toBe(true); // READY's trace, written with the attempt
    expect(
      ledger(h.emu)
        .slice(before)
        .filter((o) => o.method === "private/create-order"),
    ).toHaveLength(1);
    await driveWhile(h.time, trader.settled());
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
