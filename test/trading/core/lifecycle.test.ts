/**
 * A lot's life after protection: the TP leg fills (the emulator's price moved above it) → the SL
 * sibling is cancelled → the lot closes TAKE_PROFIT with its realised P&L and fees; a SELL signal
 * cancels the protection, waits for the confirmed cancel and sells only what the lot holds; a SELL
 * with no position is blocked NO_POSITION.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log/logger.js";
import type { Lot } from "../../../src/store/types.js";
import { dec } from "../../../src/util/decimal.js";
import { logLines } from "../../helpers/log-lines.js";
import { tradeRequests } from "../../helpers/trade-requests.js";
import {
  driveUntil,
  driveWhile,
  ledger,
  type TradingHarness,
  watchingHarness,
} from "../../helpers/trading.js";

let h: TradingHarness;
const log = logLines();
beforeAll(async () => {
  h = await watchingHarness(
    { symbol: "BTC_USD", tradeEnabled: true, amountUsd: dec("100"), slPct: dec("2"), tpPct: dec("1") },
    { start: true, logger: createLogger({ level: "info", pretty: false, destination: log.destination }) },
  );
});
afterAll(async () => h?.close());

const req = tradeRequests({ symbol: "BTC_USD", source: "engine", amountUsd: "100" });

async function openProtectedLot(key: string): Promise<Lot> {
  const res = await driveWhile(h.time, h.trader.submit(req("BUY", key)));
  expect(res.outcome, res.message).toBe("filled");
  await driveWhile(h.time, h.trader.settled());
  const lot = await h.store.lots.get((await h.store.intents.get(res.intent.id))!.lotId!);
  expect(lot?.protection).toBe("PROTECTED");
  return lot!;
}

describe("lot lifecycle", () => {
  it("TP leg fills → sibling cancelled → lot CLOSED TAKE_PROFIT with P&L net of fees", async () => {
    const lot = await openProtectedLot("life-tp");
    const tp = (await h.store.orders.listByLot(lot.id)).find((o) => o.role === "TAKE_PROFIT")!;
    h.emu.admin.setPrice("BTC_USD", tp.price!.mul("1.01").toFixed(2));
    await driveUntil(
      h.time,
      async () => {
        await h.trader.tick();
        await h.trader.settled();
        return (await h.store.lots.get(lot.id))?.status === "CLOSED";
      },
      "the lot closes",
    );
    const closed = (await h.store.lots.get(lot.id))!;
    expect(closed.exitReason).toBe("TAKE_PROFIT");
    const orders = await h.store.orders.listByLot(lot.id);
    const tpNow = orders.find((o) => o.role === "TAKE_PROFIT")!;
    const sl = orders.find((o) => o.role === "STOP_LOSS")!;
    expect(tpNow.status).toBe("FILLED");
    expect(sl.status).toBe("CANCELED");
    // the exchange ended the OCO's SL itself: the trader's own cancel meets 316, which is no warning
    const sibling = log.lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((r) => r.msg.startsWith("sibling"));
    expect(sibling.map((r) => [r.level, r.msg])).toEqual([
      [30, "sibling already ended on the exchange; confirming by probe"],
    ]);
    const entry = orders.find((o) => o.role === "ENTRY")!;
    const entryFee = entry.fee.mul(entry.avgPrice!);
    const exitFee = tpNow.fee; // SELL fees are charged in the quote currency
    expect(tpNow.feeCurrency).toBe("USD");
    const expected = tpNow.filledQuantity
      .mul(tpNow.avgPrice!)
      .minus(entry.avgPrice!.mul(tpNow.filledQuantity))
      .minus(entryFee)
      .minus(exitFee);
    expect(closed.realisedPnl.toFixed()).toBe(expected.toFixed());
    expect(closed.realisedPnl.gt(0)).toBe(true);
    expect(closed.fees.toFixed()).toBe(entryFee.plus(exitFee).toFixed());
    const ev = (await h.store.events.after(0, 1000)).filter((e) => e.kind === "position.closed").at(-1);
    expect(ev?.payload).toMatchObject({
      lotId: lot.id,
      exitReason: "TAKE_PROFIT",
      realisedPnl: expected.toFixed(),
    });
  });

  it("SELL signal → protection cancelled and confirmed → market sell of the held quantity only", async () => {
    const lot = await openProtectedLot("life-exit-buy");
    const before = ledger(h.emu).length;
    const res = await driveWhile(h.time, h.trader.submit(req("SELL", "life-exit-sell")));
    expect(res.outcome, res.message).toBe("filled");
    const closed = (await h.store.lots.get(lot.id))!;
    expect(closed.status).toBe("CLOSED");
    expect(closed.exitReason).toBe("SIGNAL");
    const orders = await h.store.orders.listByLot(lot.id);
    for (const leg of orders.filter((o) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS")) {
      expect(leg.status).toBe("CANCELED");
    }
    const exits = orders.filter((o) => o.role === "EXIT");
    expect(exits).toHaveLength(1);
    expect(exits[0]!.quantity!.eq(lot.quantity)).toBe(true);
    expect(exits[0]!.filledQuantity.eq(lot.quantity)).toBe(true);
    const after = ledger(h.emu).slice(before);
    const legOids = new Set(
      orders.filter((o) => o.role !== "ENTRY" && o.role !== "EXIT").map((o) => o.clientOid),
    );
    const onExchange = ledger(h.emu).filter((o) => legOids.has(o.client_oid ?? ""));
    expect(onExchange.map((o) => o.status)).toEqual(["CANCELED", "CANCELED"]);
    const sells = after.filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    expect(sells[0]?.cumulative_quantity).toBe(lot.quantity.toFixed());
    expect(res.intent.status).toBe("DONE");
  });

  it("SELL with no open position → BLOCKED NO_POSITION, nothing sent", async () => {
    const before = ledger(h.emu).length;
    const res = await h.trader.submit(req("SELL", "life-nopos"));
    expect(res.outcome).toBe("blocked");
    expect(res.intent.reasonCode).toBe("NO_POSITION");
    expect(ledger(h.emu).length).toBe(before);
  });
  it("two SELL signals at once exit the lot once: one EXIT intent, one market sell", async () => {
    const lot = await openProtectedLot("life-twice-buy");
    const before = ledger(h.emu).length;
    const [a, b] = await driveWhile(
      h.time,
      Promise.all([
        h.trader.submit(req("SELL", "life-twice-s1")),
        h.trader.submit(req("SELL", "life-twice-s2")),
      ]),
    );
    expect([a.outcome, b.outcome].sort()).toEqual(["blocked", "filled"]);
    const exits = (await h.store.orders.listByLot(lot.id)).filter((o) => o.role === "EXIT");
    expect(exits).toHaveLength(1);
    const sells = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    const intents = (await h.store.intents.listOpen({ symbol: "BTC_USD" })).filter((i) => i.lotId === lot.id);
    expect(intents).toEqual([]);
  });
});
