/**
 * The webhook's handover to the leader's trader (src/app/platform/signal-handover.ts): the route
 * hears the trader's decision only after the create-order the decision started was written (undici
 * writes on a reused socket in the check phase: an immediate queued after `onDecided`), and a
 * decision told is the answer however the trader's work after it ends.
 */
import { describe, expect, it } from "vitest";
import { handOverSignal } from "../../src/app/platform/signal-handover.js";
import type { Intent, NewSignal } from "../../src/store/types.js";
import type { OnDecided, TradeResult } from "../../src/trading/requests.js";

const row = { id: "wh-default-1", symbol: "BTC_USD", side: "BUY" } as unknown as NewSignal;
const intent = { id: "intent-1", reasonCode: null } as unknown as Intent;

/** A trader that decides at once and then runs `after` (its order's work). */
function trader(after: () => Promise<TradeResult | undefined>) {
  return {
    async acceptSignal(_row: NewSignal, onDecided?: OnDecided) {
      onDecided?.({ outcome: "accepted", intent });
      return after();
    },
  };
}

describe("handOverSignal", () => {
  it("answers after the create-order that the decision started is written", async () => {
    const seen: string[] = [];
    const writtenInCheckPhase = () =>
      new Promise<undefined>((done) => {
        // as undici does for a request on an idle keep-alive socket, a few promise hops after the commit
        void Promise.resolve().then(() =>
          setImmediate(() => {
            seen.push("create-order written");
            done(undefined);
          }),
        );
      });
    const h = handOverSignal(trader(writtenInCheckPhase), row);
    const d = await h?.decided;
    seen.push("decided");
    expect(d).toEqual({ status: "accepted", intentId: "intent-1", reasonCode: null });
    expect(seen).toEqual(["create-order written", "decided"]);
  });

  it("a decision told is the answer when the trader's work after it ends at once", async () => {
    const h = handOverSignal(
      trader(async () => undefined),
      row,
    );
    await expect(h?.decided).resolves.toEqual({ status: "accepted", intentId: "intent-1", reasonCode: null });
  });

  it("a decision told is the answer when the trader's work after it fails (the signal is stored)", async () => {
    const h = handOverSignal(
      trader(async () => {
        throw new Error("create-order: transport failed");
      }),
      row,
    );
    await expect(h?.decided).resolves.toEqual({ status: "accepted", intentId: "intent-1", reasonCode: null });
  });

  it("no decision: the inbox took the row (undefined); a failure before one is the route's 503", async () => {
    const inbox = { acceptSignal: async () => undefined };
    await expect(handOverSignal(inbox, row)?.decided).resolves.toBeUndefined();
    const failing = {
      acceptSignal: async () => {
        throw new Error("store unavailable");
      },
    };
    await expect(handOverSignal(failing, row)?.decided).rejects.toThrow("store unavailable");
    expect(handOverSignal(undefined, row)).toBeUndefined();
  });
});
