/**
 * Placement of one plain order (entry, exit, flatten) for an intent, with its ambiguity resolved.
 *
 * Invariants:
 * - The attempt row (PENDING_SUBMIT) and the intent's SUBMITTING (and its READY, with the guards'
 *   trace, when the intent is still NEW) are committed in one transaction BEFORE the request is
 *   written: one durable commit between the guards and the request; the request's intentId is `${intent.id}:${attempt}`, so its
 *   client_oid is deterministic per attempt.
 * - Nothing is sent when this process may not act (not leader, stopping).
 * - A rejection is recorded by the exchange's CODE (reason = the code, event `order.rejected` with
 *   code and category, and what the venue's rules say the order should have been: rejection-hint.ts),
 *   never by message text; an auth rejection is recorded like any other (the breaker in front of
 *   the client handles incidents).
 * - An ambiguous outcome (not_found / unknown) is resolved here before returning: the order is
 *   found, or confirmed absent after `resendSafeAfter`, or left UNKNOWN ("unresolved").
 *   This function never re-sends: a caller that gets "absent" decides whether a new attempt is safe.
 */
import type { OrderRequest, PlaceOrderOutcome } from "../../exchange/types.js";
import type { Intent, Json, NewAttempt, OrderRecord, Tx } from "../../store/types.js";
import { isInDoubt } from "../../store/vocabulary.js";
import type { Venue } from "../context.js";
import { rejectionHint } from "../rejection-hint.js";
import { resolveAttempt } from "./ambiguity.js";
import type { TraderRuntime } from "./runtime.js";

export type PlaceResult =
  | { kind: "accepted"; record: OrderRecord }
  | { kind: "rejected"; record: OrderRecord; code: number | undefined; category: string }
  | { kind: "not_sent"; record: OrderRecord }
  | { kind: "absent"; record: OrderRecord }
  | { kind: "unresolved"; record: OrderRecord }
  | { kind: "not_leader" };

export type AttemptSpec = Omit<NewAttempt, "intentId" | "attempt" | "clientOid" | "mode" | "symbol" | "side">;

/** Inserts attempt number `attempt` of `intent` (PENDING_SUBMIT) in `tx`; returns the row and the exchange request id. */
export async function insertAttemptRow(
  tx: Tx,
  venue: Venue,
  intent: Intent,
  attempt: number,
  spec: AttemptSpec,
): Promise<{ record: OrderRecord; requestId: string }> {
  const requestId = `${intent.id}:${attempt}`;
  const record = await tx.orders.insertAttempt({
    ...spec,
    intentId: intent.id,
    attempt,
    clientOid: venue.client.clientOidFor(requestId),
    symbol: intent.symbol,
    side: intent.side,
    mode: intent.mode,
  });
  return { record, requestId };
}

/** Commits the attempt row and SUBMITTING (READY first, with `readyTrace`, when the intent is NEW); returns the row and the exchange request id. */
export async function openAttempt(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  spec: AttemptSpec,
  readyTrace?: Json,
): Promise<{ record: OrderRecord; requestId: string }> {
  return rt.ctx.store.transaction(async (tx) => {
    if (intent.status === "NEW")
      await tx.intents.transition(intent.id, {
        to: "READY",
        ...(readyTrace !== undefined ? { guardTrace: readyTrace } : {}),
      });
    const opened = await insertAttemptRow(tx, venue, intent, await tx.intents.nextAttempt(intent.id), spec);
    await tx.intents.transition(intent.id, { to: "SUBMITTING" });
    return opened;
  });
}

export async function placePlainOrder(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  spec: AttemptSpec & { type: "MARKET" | "LIMIT" },
  readyTrace?: Json,
): Promise<PlaceResult> {
  if (!rt.act()) return { kind: "not_leader" };
  const { record, requestId } = await openAttempt(rt, venue, intent, spec, readyTrace);
  return sendPlainOrder(rt, venue, intent, record, requestId, spec);
}

/** Sends the committed attempt `record` (unless this process may no longer act) and files the outcome. */
export async function sendPlainOrder(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  record: OrderRecord,
  requestId: string,
  spec: AttemptSpec & { type: "MARKET" | "LIMIT" },
): Promise<PlaceResult> {
  if (!rt.act()) return { kind: "unresolved", record };
  const req: OrderRequest = {
    intentId: requestId,
    symbol: intent.symbol,
    side: intent.side,
    type: spec.type,
    quantity: spec.quantity,
    notional: spec.notional,
    price: spec.price,
  };
  const out = await venue.client.placeOrder(req);
  return recordOutcome(rt, venue, intent, record, out, false);
}

/** Files a placement outcome for the attempt row `record` (plain or trigger order). */
export async function recordOutcome(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  record: OrderRecord,
  out: PlaceOrderOutcome,
  trigger: boolean,
): Promise<PlaceResult> {
  const { store } = rt.ctx;
  const base = {
    mode: record.mode,
    orderId: record.id,
    clientOid: record.clientOid ?? null,
    role: record.role,
  };
  switch (out.status) {
    case "accepted": {
      const rec = await store.transaction(async (tx) => {
        const cur = await tx.orders.get(record.id);
        const local = cur !== undefined && isInDoubt(cur);
        const r = local ? await tx.orders.setStatus(record.id, "NEW") : cur;
        await tx.intents.transition(intent.id, { to: "PLACED", from: ["SUBMITTING"] });
        await tx.events.append({
          kind: "order.placed",
          symbol: record.symbol,
          payload: { ...base, exchangeOrderId: out.orderId, probed: out.probed },
        });
        return r;
      });
      if (out.order) await rt.apply(out.order, rec ?? record);
      return { kind: "accepted", record: (await store.orders.get(record.id)) ?? rec ?? record };
    }
    case "rejected":
    case "not_sent": {
      const code = out.error.code;
      const reason = out.status === "not_sent" ? "NOT_SENT" : String(code ?? out.error.category);
      if (out.status === "rejected" && out.orderId) {
        const seen = await venue.client.getOrder({ orderId: out.orderId }).catch(() => undefined);
        if (seen) await rt.apply(seen, record);
      }
      // what the order should have been (e.g. 213: the corrected quantity), for the notification
      const hint = out.status === "rejected" ? await rejectionHint(venue.client, record, out.error) : {};
      const rec = await store.transaction(async (tx) => {
        const r = await tx.orders.setStatus(record.id, "REJECTED", reason);
        await tx.events.append({
          kind: "order.rejected",
          symbol: record.symbol,
          payload: {
            ...base,
            code: code ?? null,
            category: out.error.category,
            reason,
            status: out.status,
            ...hint,
          },
        });
        return r;
      });
      if (out.status === "not_sent") return { kind: "not_sent", record: rec ?? record };
      return { kind: "rejected", record: rec ?? record, code, category: out.error.category };
    }
    case "not_found":
    case "unknown": {
      await store.transaction(async (tx) => {
        await tx.orders.setStatus(record.id, "UNKNOWN", out.error.category);
        await tx.events.append({
          kind: "order.ambiguous",
          symbol: record.symbol,
          payload: {
            ...base,
            status: out.status,
            category: out.error.category,
            resendSafeAfter: out.resendSafeAfter,
          },
        });
      });
      const res = await resolveAttempt(rt, venue, record, out.resendSafeAfter, trigger);
      if (res.kind === "found") {
        await store.intents.transition(intent.id, { to: "PLACED", from: ["SUBMITTING"] });
        return { kind: "accepted", record: res.record };
      }
      return res;
    }
  }
}
