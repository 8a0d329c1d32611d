/**
 * One protection attempt for a lot: an exchange-side OCO (TP LIMIT SELL + SL STOP_LIMIT/STOP_LOSS
 * SELL) on the lot's open quantity floored to the quantity step.
 *
 * Invariants:
 * - Both leg rows (PENDING_SUBMIT, same intent and attempt) and the intent's SUBMITTING are
 *   committed before the request is written; the legs' client_oids derive from
 *   `${intent.id}:${attempt}/tp` and `/sl`.
 * - Both legs pass `rules.check` or nothing is sent ("refused": the lot cannot be protected).
 * - An ambiguous outcome is probed (the TP leg by client_oid) before anything else; the legs stay
 *   UNKNOWN until found or confirmed absent after `resendSafeAfter`.
 */
import type { OcoRequest, PlaceOcoOutcome } from "../../exchange/types.js";
import type { Intent, Lot, OrderRecord, ProtectionSettings } from "../../store/types.js";
import type { Venue } from "../context.js";
import { runGuards } from "../guards/index.js";
import { resolveAttempt } from "../pipeline/ambiguity.js";
import type { TraderRuntime } from "../pipeline/runtime.js";
import { describeViolations } from "../sizing.js";
import { protectionPrices } from "./prices.js";

export type OcoAttempt =
  | { kind: "placed"; listId: string }
  | { kind: "retry"; detail: string }
  | { kind: "refused"; detail: string }
  | { kind: "unresolved"; detail: string };

export async function placeProtection(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  lot: Lot,
  settings: ProtectionSettings,
  deadline: number,
): Promise<OcoAttempt> {
  const { ctx } = rt;
  const { rules } = venue.client;
  const inst = await venue.client.getInstrument(lot.symbol);
  if (!inst || !lot.entryPrice) return { kind: "refused", detail: "no instrument or entry price" };
  const quantity = rules.floorQuantity(inst, lot.openQuantity);
  const verdict = await runGuards(ctx, venue, {
    kind: "PROTECT",
    symbol: lot.symbol,
    side: "SELL",
    mode: lot.mode,
    quantity,
    price: lot.entryPrice,
    protective: true,
    actor: "trader",
    now: ctx.time.now(),
  });
  if (!verdict.ok) return { kind: "retry", detail: `guard ${verdict.reasonCode}` };
  const watch = await ctx.store.watchlist.get(lot.symbol);
  const pct = { sl: watch?.slPct ?? rt.defaultSlPct, tp: watch?.tpPct ?? rt.defaultTpPct };
  const px = protectionPrices(rules, inst, lot.entryPrice, pct, settings);
  const slType = settings.slOrderType;
  const tpReq = {
    intentId: "check",
    symbol: lot.symbol,
    side: "SELL" as const,
    type: "LIMIT" as const,
    quantity,
    price: px.tp,
  };
  const slReq = {
    intentId: "check",
    symbol: lot.symbol,
    side: "SELL" as const,
    type: slType,
    quantity,
    refPrice: px.slTrigger,
    price: px.slLimit,
  };
  const violations = [
    ...rules.check(inst, tpReq, lot.entryPrice),
    ...rules.check(inst, slReq, lot.entryPrice),
  ];
  if (violations.length > 0 || quantity.lte(0))
    return { kind: "refused", detail: describeViolations(violations) || "zero quantity" };
  if (!rt.act()) return { kind: "unresolved", detail: "not leader" };
  const { legs, requestId } = await ctx.store.transaction(async (tx) => {
    const attempt = await tx.intents.nextAttempt(intent.id);
    const requestId = `${intent.id}:${attempt}`;
    const common = {
      intentId: intent.id,
      attempt,
      symbol: lot.symbol,
      side: "SELL" as const,
      mode: lot.mode,
      lotId: lot.id,
      parentId: lot.entryOrderId,
      quantity,
    };
    const tp = await tx.orders.insertAttempt({
      ...common,
      clientOid: venue.client.clientOidFor(`${requestId}/tp`),
      type: "LIMIT",
      role: "TAKE_PROFIT",
      price: px.tp,
    });
    const sl = await tx.orders.insertAttempt({
      ...common,
      clientOid: venue.client.clientOidFor(`${requestId}/sl`),
      type: slType,
      role: "STOP_LOSS",
      price: px.slLimit,
      refPrice: px.slTrigger,
    });
    if (intent.status === "NEW") await tx.intents.transition(intent.id, { to: "READY" });
    await tx.intents.transition(intent.id, { to: "SUBMITTING" });
    return { legs: [tp, sl] as const, requestId };
  });
  const req: OcoRequest = {
    intentId: requestId,
    symbol: lot.symbol,
    legs: [
      { type: "LIMIT", side: "SELL", quantity, price: px.tp, intentId: `${requestId}/tp` },
      {
        type: slType,
        side: "SELL",
        quantity,
        refPrice: px.slTrigger,
        price: px.slLimit,
        refPriceType: "MARK_PRICE",
        intentId: `${requestId}/sl`,
      },
    ],
  };
  const out = await venue.client.placeOco(req);
  return fileOcoOutcome(rt, venue, lot, legs, out, deadline, {
    tp: px.tp.toFixed(),
    sl: px.slTrigger.toFixed(),
  });
}

async function fileOcoOutcome(
  rt: TraderRuntime,
  venue: Venue,
  lot: Lot,
  legs: readonly [OrderRecord, OrderRecord],
  out: PlaceOcoOutcome,
  deadline: number,
  prices: { tp: string; sl: string },
): Promise<OcoAttempt> {
  const { store } = rt.ctx;
  const base = { mode: lot.mode, lotId: lot.id, legs: legs.map((l) => l.id) };
  if (out.status === "accepted") return { kind: "placed", listId: out.listId };
  if (out.status === "rejected" || out.status === "not_sent") {
    const reason = out.status === "not_sent" ? "NOT_SENT" : String(out.error.code ?? out.error.category);
    await store.transaction(async (tx) => {
      for (const l of legs) await tx.orders.setStatus(l.id, "REJECTED", reason);
      await tx.events.append({
        kind: "order.rejected",
        symbol: lot.symbol,
        payload: {
          ...base,
          code: out.error.code ?? null,
          category: out.error.category,
          reason,
          status: out.status,
          ...prices,
        },
      });
    });
    return { kind: "retry", detail: `OCO ${out.status}: ${reason}` };
  }
  await store.transaction(async (tx) => {
    for (const l of legs) await tx.orders.setStatus(l.id, "UNKNOWN", out.error.category);
    await tx.events.append({
      kind: "order.ambiguous",
      symbol: lot.symbol,
      payload: {
        ...base,
        status: out.status,
        category: out.error.category,
        resendSafeAfter: out.resendSafeAfter,
      },
    });
  });
  return resolveLegs(rt, venue, legs, out.resendSafeAfter, deadline);
}

/** Resolves an ambiguous OCO attempt by its legs' client_oids. */
export async function resolveLegs(
  rt: TraderRuntime,
  venue: Venue,
  legs: readonly OrderRecord[],
  resendSafeAfter: number,
  deadline: number,
): Promise<OcoAttempt> {
  const results = [];
  for (const leg of legs) results.push(await resolveAttempt(rt, venue, leg, resendSafeAfter, true, deadline));
  const found = results.find((r) => r.kind === "found");
  if (found?.record.listId) return { kind: "placed", listId: found.record.listId };
  if (results.every((r) => r.kind === "absent")) return { kind: "retry", detail: "OCO confirmed absent" };
  if (found) return { kind: "unresolved", detail: "a leg was found without its list id" };
  return { kind: "unresolved", detail: "OCO outcome unknown" };
}
