/**
 * tick() and resting orders: while the user stream is connected, a protected lot's two legs (the
 * stream reported them when they were placed, and is silent because nothing changed) are not
 * polled at every tick; at most once per `restingPollMs` (reconciliation converges open orders on
 * every pass besides). With the stream down, tick() polls them again at every tick. The reports it
 * keeps are of open orders only (a long-running trader's map never grows with the orders that ended).
 */
import { afterEach, describe, expect, it } from "vitest";
import { CryptoComClient } from "../../../src/exchange/cryptocom/client.js";
import type { TradingContext, Venue } from "../../../src/trading/context.js";
import { DEFAULT_RESTING_POLL_MS, Trader } from "../../../src/trading/trader.js";
import { dec } from "../../../src/util/decimal.js";
import { tradeRequests } from "../../helpers/trade-requests.js";
import { driveWhile, tradingHarness } from "../../helpers/trading.js";
import { readyUserStream, untilValue } from "../../helpers/user-stream.js";

const S = "BTC_USD";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ORDER_READS = new Set(["private/get-order-detail", "private/advanced/get-order-detail"]);

describe("tick() leaves resting orders to the stream while it is connected", () => {
  it("a protected lot's legs: no poll per tick with the stream up; one per tick with it down", async () => {
    const h = await tradingHarness();
    cleanups.push(() => h.close());
    await h.store.watchlist.upsert({ symbol: S, tradeEnabled: true, amountUsd: dec("100") });
    const reads: string[] = [];
    const client = new CryptoComClient({
      ...{ baseUrl: h.emu.baseUrl, apiKey: "demo-key", apiSecret: "demo-secret" },
      ...{ now: () => h.time.now(), rateLimit: { enabled: false }, probeDelaysMs: [0, 20, 50] },
      onCall: (c) => {
        if (ORDER_READS.has(c.method)) reads.push(c.method);
      },
    });
    cleanups.push(() => client.close());
    const stream = await readyUserStream(h);
    cleanups.push(() => stream.stop());
    const venue: Venue = { client, updates: stream, mode: "DEMO" };
    const ctx: TradingContext = { ...h.ctx, venues: { ...h.ctx.venues, live: venue } };
    const trader = new Trader(ctx, { pollMs: 100, confirmTimeoutMs: 5_000 });
    cleanups.push(() => trader.stop());
    await trader.start();

    const res = await driveWhile(
      h.time,
      trader.submit(tradeRequests({ symbol: S, source: "engine", amountUsd: "100" })("BUY", "resting-1")),
    );
    expect(res.outcome, res.message).toBe("filled");
    await driveWhile(h.time, trader.settled());
    const lotId = (await h.store.intents.get(res.intent.id))!.lotId!;
    await untilValue("the lot protected, both legs working", async () => {
      const legs = (await h.store.orders.listByLot(lotId)).filter((o) => o.role !== "ENTRY");
      const lot = await h.store.lots.get(lotId);
      return lot?.protection === "PROTECTED" && legs.length === 2 ? true : undefined;
    });

    // 30 ticks, 1 s apart, the stream connected: the legs rest, nothing to poll
    let before = reads.length;
    for (let i = 0; i < 30; i++) {
      await h.time.advance(1_000);
      await trader.tick();
    }
    expect(reads.length - before).toBeLessThanOrEqual(2);
    // what it keeps of the stream's reports: the two working legs, not the entry that ended
    expect(trader.reportsKept).toBe(2);

    // past restingPollMs: one safety poll per leg, then quiet again
    await h.time.advance(DEFAULT_RESTING_POLL_MS);
    before = reads.length;
    for (let i = 0; i < 5; i++) {
      await trader.tick();
      await h.time.advance(1_000);
    }
    expect(reads.length - before).toBe(2);

    // the stream down: every tick polls both legs
    await stream.stop();
    expect(stream.connected).toBe(false);
    before = reads.length;
    for (let i = 0; i < 3; i++) {
      await h.time.advance(1_000);
      await trader.tick();
    }
    expect(reads.length - before).toBe(6);
  });
});
