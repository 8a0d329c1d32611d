/**
 * Found by the crash test: a lot that is flattened or closed leaves no open intent behind.
 * - A flatten ends the lot's PROTECT intents (FAILED, PROTECTION_DEADLINE) once the legs are
 *   confirmed final: nothing resumes a protection that was given up (protection/deadline.ts).
 * - A lot closed by tracking (its TP leg filled) ends the intents a killed process left open on
 *   it, in the close's transaction: an EXIT becomes DONE, a PROTECT FAILED (LOT_CLOSED)
 *   (tracking/settle.ts). Before, a process killed between the close and the intent's update left
 *   the intent PLACED for ever (a restart resumes only lots that are not CLOSED).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intent } from "../../../src/store/types.js";
import { dec } from "../../../src/util/decimal.js";
import { tradeRequests } from "../../helpers/trade-requests.js";
import { driveUntil, driveWhile, type TradingHarness, watchingHarness } from "../../helpers/trading.js";

let h: TradingHarness;
beforeAll(async () => {
  h = await watchingHarness(
    { symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("50"), tpPct: dec("1") },
    { trader: { attemptStaleMs: 5_000 }, start: true },
  );
});
afterAll(async () => h?.close());

const req = tradeRequests({ symbol: "ETH_USD", source: "cli", amountUsd: "50" });

const openOf = async (lotId: string) =>
  (await h.store.intents.listOpen({ symbol: "ETH_USD" })).filter((i) => i.lotId === lotId);
const protectsOf = async (lotId: string): Promise<Intent[]> => {
  const out: Intent[] = [];
  for (const o of await h.store.orders.listByLot(lotId)) {
    if ((o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS") && o.intentId) {
      const i = await h.store.intents.get(o.intentId);
      if (i && !out.some((x) => x.id === i.id)) out.push(i);
    }
  }
  return out;
};

describe("a lot's intents end with the lot", () => {
  it("a flatten at the deadline ends the lot's PROTECT intents (FAILED PROTECTION_DEADLINE)", async () => {
    // every OCO request answered 500 (its outcome in doubt) until the deadline: the flatten
    // confirms the legs absent (after the stale window) and sells the lot
    h.emu.admin.setFaults([
      { kind: "error", code: 50001, http_status: 500, methods: ["private/advanced/create-oco"] },
    ]);
    const res = await driveWhile(h.time, h.trader.submit(req("BUY", "li-flat")), 100);
    expect(res.outcome, res.message).toBe("filled");
    const lotId = (await h.store.intents.get(res.intent.id))?.lotId as string;
    await driveWhile(h.time, h.trader.settled(), 500);
    h.emu.admin.clearFaults();
    await driveUntil(
      h.time,
      async () => {
        await h.trader.tick();
        await h.trader.settled();
        return (await h.store.lots.get(lotId))?.status === "CLOSED";
      },
      "the flattened lot closes",
      500,
    );
    expect((await h.store.lots.get(lotId))?.exitReason).toBe("FLATTEN");
    const protects = await protectsOf(lotId);
    expect(protects.length).toBeGreaterThan(0);
    for (const p of protects) {
      expect(p.status).toBe("FAILED");
      expect(p.reasonCode).toBe("PROTECTION_DEADLINE");
    }
    expect(await openOf(lotId)).toEqual([]);
  });

  it("a lot closed by its TP leg ends the EXIT and PROTECT intents a killed process left open", async () => {
    h.emu.admin.clearFaults();
    const res = await driveWhile(h.time, h.trader.submit(req("BUY", "li-tp")), 100);
    expect(res.outcome, res.message).toBe("filled");
    await driveWhile(h.time, h.trader.settled());
    const lotId = (await h.store.intents.get(res.intent.id))?.lotId as string;
    expect((await h.store.lots.get(lotId))?.protection).toBe("PROTECTED");
    // what a process killed in the middle of an exit and of a re-protection leaves on the lot
    const left = async (kind: "EXIT" | "PROTECT", key: string) => {
      const r = await h.store.intents.create({
        idempotencyKey: key,
        kind,
        symbol: "ETH_USD",
        side: "SELL",
        mode: "DEMO",
        lotId,
        actor: "trader",
      });
      const i = r.created ? r.intent : r.existing;
      await h.store.intents.transition(i.id, { to: "READY" });
      return i.id;
    };
    const exitId = await left("EXIT", `li-tp-exit/lot/${lotId}`);
    const protectId = await left("PROTECT", `protect:${lotId}:left`);
    const tp = (await h.store.orders.listByLot(lotId)).find((o) => o.role === "TAKE_PROFIT");
    h.emu.admin.setPrice("ETH_USD", tp?.price?.mul("1.01").toFixed(2) as string);
    await driveUntil(
      h.time,
      async () => {
        await h.trader.tick();
        await h.trader.settled();
        return (await h.store.lots.get(lotId))?.status === "CLOSED";
      },
      "the lot closes on its TP",
    );
    expect((await h.store.lots.get(lotId))?.exitReason).toBe("TAKE_PROFIT");
    expect((await h.store.intents.get(exitId))?.status).toBe("DONE");
    expect(await h.store.intents.get(protectId)).toMatchObject({
      status: "FAILED",
      reasonCode: "LOT_CLOSED",
    });
    expect(await openOf(lotId)).toEqual([]);
  });
});
