/**
 * Fills from the venue's updates: the trader stores each trade as the venue reports it (the live
 * client's user stream `user.trade` over a real WebSocket to the emulator; the dry-run broker's
 * fills), with its order's mode, so the fills table is current without a reconciliation pass and a
 * pass that follows finds nothing to correct (`insert_fill` is for trades the stream missed).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { OrderUpdateSource } from "../../../src/exchange/types.js";
import type { TradingContext, Venue } from "../../../src/trading/context.js";
import { DryRunBroker } from "../../../src/trading/dry-run/broker.js";
import { Reconciler } from "../../../src/trading/reconcile/reconciler.js";
import { Trader } from "../../../src/trading/trader.js";
import { dec } from "../../../src/util/decimal.js";
import { tradeRequests } from "../../helpers/trade-requests.js";
import { driveWhile, type TradingHarness, tradingHarness } from "../../helpers/trading.js";
import { readyUserStream, untilValue as until } from "../../helpers/user-stream.js";

const S = "BTC_USD";
const req = tradeRequests({ symbol: S, source: "engine", amountUsd: "100" });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function harness(): Promise<TradingHarness> {
  const h = await tradingHarness();
  cleanups.push(() => h.close());
  await h.store.watchlist.upsert({ symbol: S, tradeEnabled: true, amountUsd: dec("100") });
  return h;
}

/** A trader whose `which` venue is `venue` (the other as the harness made it), started. */
async function traderWith(h: TradingHarness, which: "live" | "dry", venue: Venue): Promise<TradingContext> {
  const ctx: TradingContext = { ...h.ctx, venues: { ...h.ctx.venues, [which]: venue } };
  const trader = new Trader(ctx, { pollMs: 100, confirmTimeoutMs: 5_000 });
  cleanups.push(() => trader.stop());
  await trader.start();
  const res = await driveWhile(h.time, trader.submit(req("BUY", `stream-fills-${which}`)));
  expect(res.outcome, res.message).toBe("filled");
  await driveWhile(h.time, trader.settled());
  return ctx;
}

async function passAfter(ctx: TradingContext, venue: Venue) {
  const r = new Reconciler({ ctx, venue, hooks: { protect: async () => undefined } });
  return r.pass();
}

describe("the trader stores the venue's fills as they arrive", () => {
  it("live: the user stream's trade is stored with its order's mode; the next pass corrects nothing", async () => {
    const h = await harness();
    const stream = await readyUserStream(h);
    cleanups.push(() => stream.stop());
    const venue: Venue = { client: h.client, updates: stream as OrderUpdateSource, mode: "DEMO" };

    const ctx = await traderWith(h, "live", venue);
    const entry = (await h.store.orders.page({ role: "ENTRY" })).items[0]!;
    const fills = await until("the entry's fill stored", async () => {
      const f = await h.store.fills.listByOrder(entry.exchangeOrderId!);
      return f.length ? f : undefined;
    });
    expect(fills.map((f) => ({ mode: f.mode, clientOid: f.clientOid, side: f.side }))).toEqual(
      fills.map(() => ({ mode: "DEMO", clientOid: entry.clientOid, side: "BUY" })),
    );
    expect(fills.reduce((s, f) => s.add(f.quantity), dec("0")).eq(entry.filledQuantity)).toBe(true);

    const report = await passAfter(ctx, venue);
    expect(report.fills).toBe(0);
    expect((await h.store.audit.list({ entity: "fill" })).length).toBe(0);
  });

  it("dry run: the broker's fill is stored as DRY_RUN; the next pass corrects nothing", async () => {
    const h = await harness();
    await h.store.settings.set("live_trading", false);
    const broker = new DryRunBroker({ market: h.client, time: h.time, pollMs: 1_000 });
    cleanups.push(() => broker.close());
    await broker.start();
    const venue: Venue = { client: broker, updates: broker.updates, mode: "DRY_RUN" };

    const ctx = await traderWith(h, "dry", venue);
    const entry = (await h.store.orders.page({ role: "ENTRY" })).items[0]!;
    expect(entry.mode).toBe("DRY_RUN");
    const fills = await until("the entry's fill stored", async () => {
      const f = await h.store.fills.listByOrder(entry.exchangeOrderId!);
      return f.length ? f : undefined;
    });
    expect(fills.every((f) => f.mode === "DRY_RUN")).toBe(true);

    const report = await passAfter(ctx, venue);
    expect(report.fills).toBe(0);
    expect((await h.store.audit.list({ entity: "fill" })).length).toBe(0);
  });
});
