/**
 * What a process killed right after committing its attempt row leaves behind, for the resume tests:
 * an ENTRY intent (DEMO, BUY $40 of SOL_USD) in SUBMITTING with one PENDING_SUBMIT market attempt whose
 * request may or may not have reached the exchange.
 */
import type { Intent } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import type { TradingHarness } from "./trading.js";

/** Writes the crashed attempt; `requestId` is the id its client_oid derives from. */
export async function crashedAttempt(
  h: TradingHarness,
  key: string,
): Promise<{ intent: Intent; requestId: string }> {
  const { intent } = (await h.store.intents.create({
    idempotencyKey: key,
    kind: "ENTRY",
    symbol: "SOL_USD",
    side: "BUY",
    mode: "DEMO",
    amountUsd: dec("40"),
    actor: "test",
  })) as { created: true; intent: Intent };
  await h.store.intents.transition(intent.id, { to: "READY" });
  const requestId = await h.store.transaction(async (tx) => {
    const attempt = await tx.intents.nextAttempt(intent.id);
    const id = `${intent.id}:${attempt}`;
    await tx.orders.insertAttempt({
      intentId: intent.id,
      attempt,
      clientOid: h.client.clientOidFor(id),
      symbol: "SOL_USD",
      side: "BUY",
      type: "MARKET",
      role: "ENTRY",
      mode: "DEMO",
      notional: dec("40"),
    });
    await tx.intents.transition(intent.id, { to: "SUBMITTING" });
    return id;
  });
  return { intent, requestId };
}
