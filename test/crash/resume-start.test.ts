/**
 * Found by the crash test: a restart must not hold everything else behind an attempt in doubt.
 * An attempt whose request may never have left can only be called absent at its stale instant
 * (creation + 65 s); until then `Trader.start()` must return (the engine gets ready, its inbox and
 * deadlines run) and the other open work must resume — above all, a lot whose entry filled while
 * the process was down gets its protection within the protection deadline, not after 65 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dec } from "../../src/util/decimal.js";
import { crashedAttempt } from "../helpers/crashed-attempt.js";
import { driveUntil, type TradingHarness, watchingHarness } from "../helpers/trading.js";

let h: TradingHarness;
beforeAll(async () => {
  h = await watchingHarness({ symbol: "SOL_USD", tradeEnabled: true, amountUsd: dec("40") });
});
afterAll(async () => h?.close());

describe("resume with an attempt in doubt", () => {
  it("start() returns and a filled entry is protected long before the doubtful attempt is stale", async () => {
    const t0 = h.time.now();
    const lost = await crashedAttempt(h, "doubt-lost"); // oldest: resumed first
    const sent = await crashedAttempt(h, "doubt-sent");
    const out = await h.client.placeOrder({
      intentId: sent.requestId,
      symbol: "SOL_USD",
      side: "BUY",
      type: "MARKET",
      notional: "40",
    });
    expect(out.status).toBe("accepted");
    let started = false;
    const starting = h.restart().then((t) => {
      started = true;
      return t;
    });
    await driveUntil(h.time, () => started, "Trader.start() returned", 100, 100);
    expect(h.time.now() - t0).toBeLessThan(10_000);
    await driveUntil(
      h.time,
      async () => {
        const i = await h.store.intents.get(sent.intent.id);
        const lot = i?.lotId ? await h.store.lots.get(i.lotId) : undefined;
        return lot?.protection === "PROTECTED";
      },
      "the filled entry's lot is PROTECTED",
      100,
      300,
    );
    expect(h.time.now() - t0).toBeLessThan(30_000);
    expect((await h.store.intents.get(lost.intent.id))?.status).toBe("SUBMITTING");
    // the doubtful attempt is still resolved — at its stale instant, never re-sent
    await driveUntil(
      h.time,
      async () => (await h.store.intents.get(lost.intent.id))?.status === "FAILED",
      "the lost attempt's intent FAILED after its stale instant",
      1_000,
      120,
    );
    expect(
      h.emu.admin.orders().filter((e) => e.client_oid === h.client.clientOidFor(lost.requestId)),
    ).toEqual([]);
    await (await starting).stop();
  });
});
