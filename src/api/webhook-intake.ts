/**
 * A checked webhook signal into the store's inbox, and what became of it.
 *
 * Invariants:
 * - The signal row id is deterministic: `wh-<name>-<sha256(signal_id) first 32 hex>`, so the same
 *   `signal_id` on the same webhook is one row, one intent (idempotency key `signal:<row id>`), at
 *   most one order — however often or concurrently it is sent. Without a `signal_id` each call is new.
 * - Only watchlist symbols with trading on enter the pipeline; any other is stored BLOCKED with
 *   NOT_IN_WATCHLIST / TRADING_DISABLED (the guards' codes), so history shows it.
 * - The trace is `inboxTrace({ amountUsd, actor })` (src/trading/inbox.ts) plus the webhook's name
 *   and signal_id; amounts and prices are exact decimal text from the body.
 * - The outcome is polled from the row for at most `budgetMs` with short real waits (the engine is
 *   another component): accepted (intent past its guards, or still queued: intent_id null),
 *   duplicate, or blocked with the guard's code. Nothing here reads the wall clock.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Json, SignalRecord, Store } from "../store/types.js";
import { inboxTrace } from "../trading/inbox.js";
import { Dec } from "../util/decimal.js";
import type { WebhookAccepted } from "./contract/types.js";
import type { WebhookSignal } from "./webhook-input.js";

export const WEBHOOK_POLL_BUDGET_MS = 2000;
const POLL_STEP_MS = 25;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function webhookSignalRowId(name: string, signalId: string): string {
  return `wh-${name}-${sha256Hex(signalId).slice(0, 32)}`;
}

async function outcomeOf(
  store: Store,
  row: SignalRecord,
): Promise<Omit<WebhookAccepted, "signal_id"> | undefined> {
  const intentId = row.intentId ?? null;
  switch (row.status) {
    case "PENDING":
      return undefined;
    case "DUPLICATE":
      return { intent_id: intentId, status: "duplicate", reason_code: null };
    case "BLOCKED":
      return { intent_id: intentId, status: "blocked", reason_code: row.reasonCode ?? null };
    default: {
      const intent = row.intentId ? await store.intents.get(row.intentId) : undefined;
      if (intent?.status === "NEW") return undefined; // the guards have not run yet
      if (intent?.status === "BLOCKED")
        return { intent_id: intentId, status: "blocked", reason_code: intent.reasonCode ?? null };
      return { intent_id: intentId, status: "accepted", reason_code: null };
    }
  }
}

/** Polls the row until it has an outcome, or the budget is spent (then: accepted, still queued). */
export async function awaitWebhookOutcome(
  store: Store,
  id: string,
  budgetMs = WEBHOOK_POLL_BUDGET_MS,
): Promise<Omit<WebhookAccepted, "signal_id">> {
  for (let waited = 0; ; waited += POLL_STEP_MS) {
    const row = await store.signals.get(id);
    const out = row && (await outcomeOf(store, row));
    if (out) return out;
    if (waited >= budgetMs)
      return { intent_id: row?.intentId ?? null, status: "accepted", reason_code: null };
    await new Promise((r) => setTimeout(r, POLL_STEP_MS));
  }
}

/** Files the signal (or finds it) and answers what became of it. */
export async function intakeWebhookSignal(
  store: Store,
  name: string,
  s: WebhookSignal,
  budgetMs = WEBHOOK_POLL_BUDGET_MS,
): Promise<WebhookAccepted> {
  const signalId = s.signalId ?? randomUUID();
  const id = webhookSignalRowId(name, signalId);
  const existing = await store.signals.get(id);
  if (existing)
    return {
      signal_id: signalId,
      intent_id: existing.intentId ?? null,
      status: "duplicate",
      reason_code: null,
    };

  const item = await store.watchlist.get(s.symbol);
  const blocked = !item ? "NOT_IN_WATCHLIST" : !item.tradeEnabled ? "TRADING_DISABLED" : undefined;
  const actor = `webhook:${name}`;
  const trace = inboxTrace({ amountUsd: s.amountUsd, actor });
  const row = {
    id,
    symbol: s.symbol,
    side: s.side,
    source: actor,
    strategy: "external",
    ...(s.price !== undefined ? { price: new Dec(s.price) } : {}),
    trace: { ...(trace as { [k: string]: Json }), webhook: { name, signal_id: signalId } },
  };
  try {
    if (blocked)
      await store.transaction(async (tx) => {
        await tx.signals.insert(row);
        await tx.signals.updateStatus(id, { status: "BLOCKED", reasonCode: blocked });
      });
    else await store.signals.insert(row);
  } catch (e) {
    // the same signal_id at the same moment: the other request's row stands
    const raced = await store.signals.get(id);
    if (!raced) throw e;
    return { signal_id: signalId, intent_id: raced.intentId ?? null, status: "duplicate", reason_code: null };
  }
  if (blocked) return { signal_id: signalId, intent_id: null, status: "blocked", reason_code: blocked };
  return { signal_id: signalId, ...(await awaitWebhookOutcome(store, id, budgetMs)) };
}
