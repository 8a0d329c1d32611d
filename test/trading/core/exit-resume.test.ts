/**
 * Found by the crash test: an exit interrupted by a kill is finished on restart, and its SELL
 * request ends with it.
 * - The lot CLOSING with its EXIT intent open, the request's intent READY: the restart cancels the
 *   protection, sells the lot once, and both intents end DONE (before: the request stayed READY
 *   for ever).
 * - A second SELL arriving while that resumed exit runs continues it instead of selling again: one
 *   market sell on the exchange (the sales of one lot run one after another).
 * - A request killed before its guards ran (NEW) fails INTERRUPTED: a stale signal is not traded.
 * - A lot's EXIT intent killed before the lot became CLOSING fails INTERRUPTED and its request
 *   EXIT_FAILED; the lot stays OPEN under its protection, nothing is sold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intent } from "../../../src/store/types.js";
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
  h = await watchingHarness(
    { symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("50") },
    { trader: { attemptStaleMs: 5_000 }, start: true },
  );
});
afterAll(async () => h?.close());

const req = tradeRequests({ symbol: "ETH_USD", source: "cli", amountUsd: "50" });

async function intent(key: string, lotId: string | undefined, lots?: string[]): Promise<Intent> {
  const r = await h.store.intents.create({
    idempotencyKey: key,
    kind: "EXIT",
    symbol: "ETH_USD",
    side: "SELL",
    mode: "DEMO",
    actor: "test",
    ...(lotId ? { lotId } : {}),
  });
  const i = r.created ? r.intent : r.existing;
  if (lots) await h.store.intents.transition(i.id, { to: "READY", guardTrace: { lots } });
  return i;
}

/** A BUY through the first trader, filled and protected: its lot's id. */
async function protectedLot(key: string): Promise<string> {
  const buy = await driveWhile(h.time, h.trader.submit(req("BUY", key)));
  expect(buy.outcome, buy.message).toBe("filled");
  await driveWhile(h.time, h.trader.settled());
  const lotId = (await h.store.intents.get(buy.intent.id))?.lotId as string;
  expect((await h.store.lots.get(lotId))?.protection).toBe("PROTECTED");
  return lotId;
}

describe("an exit interrupted by a kill", () => {
  it("is finished on restart, once, and its SELL request ends DONE; a request killed before its guards fails INTERRUPTED", async () => {
    const lotId = await protectedLot("er-buy");
    // what a process killed in the middle of a SELL leaves: request READY, the lot's EXIT intent
    // open, the lot CLOSING (its protection not yet cancelled); and a SELL killed before its guards
    const parent = await intent("er-sell", undefined, [lotId]);
    const child = await intent(`er-sell/lot/${lotId}`, lotId, []);
    await h.store.lots.update(lotId, { status: "CLOSING" }, ["OPEN"]);
    const early = await intent("er-early", undefined);
    const before = ledger(h.emu).length;

    const t2 = await driveWhile(h.time, h.restart());
    const again = t2.submit(req("SELL", "er-sell-2"));
    await driveUntil(
      h.time,
      async () => {
        await t2.tick();
        const open = await h.store.intents.listOpen({ symbol: "ETH_USD" });
        return (await h.store.lots.get(lotId))?.status === "CLOSED" && open.length === 0;
      },
      "the lot closes and every intent ends",
    );
    const second = await driveWhile(h.time, again);
    await driveWhile(h.time, t2.settled());

    const lot = await h.store.lots.get(lotId);
    expect(lot?.exitReason).toBe("SIGNAL");
    const sells = ledger(h.emu)
      .slice(before)
      .filter((o) => o.method === "private/create-order" && o.side === "SELL");
    expect(sells).toHaveLength(1);
    expect((await h.store.orders.listByLot(lotId)).filter((o) => o.role === "EXIT")).toHaveLength(1);
    expect((await h.store.intents.get(parent.id))?.status).toBe("DONE");
    expect((await h.store.intents.get(child.id))?.status).toBe("DONE");
    expect(second.intent.status).toBe("DONE");
    expect(await h.store.intents.get(early.id)).toMatchObject({
      status: "FAILED",
      reasonCode: "INTERRUPTED",
    });
  });

  it("killed between the lot's EXIT intent and the lot's CLOSING: the lot stays protected, both intents end (found by the crash test, seed 685685)", async () => {
    const lotId = await protectedLot("er2-buy");
    // the request past its guards (READY), its lot's EXIT intent created (NEW, no sale yet), the lot
    // still OPEN: the kill came before exitLot marked it CLOSING
    const parent = await intent("er2-sell", undefined, [lotId]);
    const r = await h.store.intents.create({
      ...{ idempotencyKey: `er2-sell/lot/${lotId}`, kind: "EXIT", symbol: "ETH_USD", side: "SELL" },
      ...{ mode: "DEMO", actor: "test", lotId },
    });
    const child = r.created ? r.intent : r.existing;
    const before = ledger(h.emu).length;

    const t3 = await driveWhile(h.time, h.restart());
    await driveUntil(
      h.time,
      async () => {
        await t3.tick();
        return (await h.store.intents.listOpen({ symbol: "ETH_USD" })).length === 0;
      },
      "every intent ends",
    );
    await driveWhile(h.time, t3.settled());
    expect(await h.store.intents.get(child.id)).toMatchObject({
      status: "FAILED",
      reasonCode: "INTERRUPTED",
    });
    expect(await h.store.intents.get(parent.id)).toMatchObject({
      status: "FAILED",
      reasonCode: "EXIT_FAILED",
    });
    expect(await h.store.lots.get(lotId)).toMatchObject({ status: "OPEN", protection: "PROTECTED" });
    expect(
      ledger(h.emu)
        .slice(before)
        .filter((o) => o.method === "private/create-order"),
    ).toHaveLength(0);
  });
});
