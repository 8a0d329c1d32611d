/**
 * The ENTRY path (BUY): guards → sizing → placement → confirmation. The lot and its protection
 * follow from tracking (a final ENTRY with a fill opens the lot; protection runs in the background).
 *
 * Invariants:
 * - Guards run before sizing; an order `rules.check` refuses is blocked (SIZE_BELOW_MINIMUM, the
 *   rule and its code in the detail) and never sent.
 * - A MARKET entry is attempted once: rejected, not sent, or confirmed absent after an ambiguous
 *   outcome → the intent FAILS with the reason; it is never re-sent.
 * - A new request (`enterNew`: a signal, a manual BUY) is decided first — guards and sizing read
 *   the store and the venue, nothing is written — and then committed in ONE transaction, durable
 *   before any request leaves: its signal row when it arrives with it, the intent (SUBMITTING with
 *   its first attempt row PENDING_SUBMIT when the order may go, BLOCKED with the guard's code and
 *   the `intent.blocked` event when not) and the signal's status. A crash before that commit
 *   leaves nothing and sent nothing; after it, resume probes the attempt by its client_oid.
 * - An intent that already exists (resumed, or a key seen before) goes through `runEntry`: the
 *   block, or READY + attempt row + SUBMITTING, in one transaction after the guards.
 */

import type { Intent, Json, NewSignal, SettingsSnapshot, Tx } from "../../store/types.js";
import type { TradingMode } from "../../store/vocabulary.js";
import type { Dec } from "../../util/decimal.js";
import { type ModeDecision, resolveMode, type Venue, venueFor } from "../context.js";
import { runGuards } from "../guards/index.js";
import type { GuardVerdict } from "../guards/types.js";
import type { OnDecided, TradeRequest, TradeResult } from "../requests.js";
import { sizeBuy } from "../sizing.js";
import { venueReads } from "../venue-cache.js";
import { confirmFinal } from "./confirmation.js";
import {
  appendBlockedEvent,
  appendSignalEvent,
  blockIntent,
  failIntent,
  intake,
  intakeSignal,
  intakeTrace,
  newIntentOf,
  traceOver,
  traceWith,
  verdictJson,
} from "./intake.js";
import {
  type AttemptSpec,
  insertAttemptRow,
  type PlaceResult,
  placePlainOrder,
  sendPlainOrder,
} from "./placement.js";
import type { TraderRuntime } from "./runtime.js";

export async function marketPrice(venue: Venue, symbol: string, fallback?: Dec): Promise<Dec | undefined> {
  try {
    const t = await venueReads(venue).ticker(symbol);
    return t?.ask ?? t?.last ?? fallback;
  } catch {
    return fallback;
  }
}

type EntrySpec = AttemptSpec & { type: "MARKET" };

/** What the guards and sizing decided for an entry, before anything is written. */
type EntryPlan =
  | { kind: "blocked"; code: string; detail: string; message: string; verdict?: GuardVerdict | undefined }
  | { kind: "send"; verdict: GuardVerdict; spec: EntrySpec; trace: { [k: string]: Json } };

const blocked = (code: string, detail: string, message: string, verdict?: GuardVerdict): EntryPlan => ({
  kind: "blocked",
  code,
  detail,
  message,
  verdict,
});

/** Guards and sizing of an entry of `symbol` in `mode` (reads only). */
async function planEntry(
  rt: TraderRuntime,
  venue: Venue,
  e: { symbol: string; mode: TradingMode; actor: string; req: TradeRequest; settings?: SettingsSnapshot },
): Promise<EntryPlan> {
  const { ctx } = rt;
  const inst = await venue.client.getInstrument(e.symbol);
  if (!inst)
    return blocked(
      "UNKNOWN_INSTRUMENT",
      `${e.symbol} is not an instrument of ${venue.client.venue}`,
      "unknown instrument",
    );
  const watch = await ctx.store.watchlist.get(e.symbol);
  const amount = e.req.amountUsd ?? watch?.amountUsd;
  const price = await marketPrice(venue, e.symbol, e.req.price);
  const verdict = await runGuards(
    ctx,
    venue,
    {
      kind: "ENTRY",
      symbol: e.symbol,
      side: "BUY",
      mode: e.mode,
      amountUsd: amount,
      price,
      protective: false,
      actor: e.actor,
      now: ctx.time.now(),
    },
    { watchlistItem: watch, settings: e.settings },
  );
  if (!verdict.ok) {
    const code = verdict.reasonCode ?? "GUARD_ERROR";
    const detail = verdict.checks.find((c) => !c.ok)?.detail ?? code;
    return blocked(code, detail, `blocked: ${code} (${detail})`, verdict);
  }
  if (!amount || amount.lte(0))
    return blocked(
      "AMOUNT_NOT_SET",
      `no amount configured for ${e.symbol}`,
      "blocked: AMOUNT_NOT_SET",
      verdict,
    );
  const sized = sizeBuy(venue.client.rules, inst, amount, price);
  if (!sized.ok)
    return blocked(
      "SIZE_BELOW_MINIMUM",
      sized.detail,
      `blocked: SIZE_BELOW_MINIMUM (${sized.detail})`,
      verdict,
    );
  return {
    kind: "send",
    verdict,
    spec: { type: "MARKET", role: "ENTRY", notional: sized.notional, refPrice: price },
    trace: { verdict: verdictJson(verdict), notional: sized.notional?.toFixed() ?? null },
  };
}

/** The block's trace fields (as `blockIntent` writes them). */
const blockTrace = (p: Extract<EntryPlan, { kind: "blocked" }>): { [k: string]: Json } => ({
  verdict: p.verdict ? verdictJson(p.verdict) : null,
  blockDetail: p.detail,
});

async function entryResult(
  rt: TraderRuntime,
  intent: Intent,
  outcome: TradeResult["outcome"],
  message: string,
  extra: Partial<TradeResult> = {},
): Promise<TradeResult> {
  const { store } = rt.ctx;
  const i = (await store.intents.get(intent.id)) ?? intent;
  const orders = await store.orders.listByIntent(intent.id);
  const lot = i.lotId ? await store.lots.get(i.lotId) : undefined;
  return { outcome, intent: i, orders, lot, message, ...extra };
}

/** The answer to a request whose idempotency key already has an intent: that intent, nothing done. */
export async function duplicateResult(
  rt: TraderRuntime,
  req: TradeRequest,
  intent: Intent,
): Promise<TradeResult> {
  const { store } = rt.ctx;
  return {
    outcome: "duplicate",
    intent,
    orders: await store.orders.listByIntent(intent.id),
    lot: intent.lotId ? await store.lots.get(intent.lotId) : undefined,
    message: `duplicate idempotency key ${req.idempotencyKey}: intent ${intent.id} (${intent.status})`,
  };
}

/**
 * A new entry request, decided and then committed in one transaction (see the invariants).
 * `signal`: the request's signal row, not stored yet (stored in the same transaction; its id is
 * already the request's `signalId`). Without it, a key that already has an intent takes the
 * intake path (the signal marked DUPLICATE, or the existing intent continued).
 */
export async function enterNew(
  rt: TraderRuntime,
  req: TradeRequest,
  signal?: NewSignal & { id: string },
  onDecided?: OnDecided,
): Promise<TradeResult> {
  const { ctx } = rt;
  const settings = await ctx.store.settings.snapshot();
  const mode = await resolveMode(ctx, settings);
  const venue = venueFor(ctx, mode.mode);
  if (!venue || (!signal && (await ctx.store.intents.findByKey(req.idempotencyKey)))) {
    const taken = signal ? await intakeSignal(rt, signal) : await intake(rt, req);
    return taken.created ? runEntry(rt, taken.intent, req) : duplicateResult(rt, req, taken.intent);
  }
  const plan = await planEntry(rt, venue, {
    ...{ symbol: req.symbol, mode: mode.mode, actor: req.actor, req },
    settings,
  });
  const start = { rt, req, signal, mode };
  if (plan.kind === "blocked") {
    const c = await commitNew(
      start,
      { status: "BLOCKED", reasonCode: plan.code, trace: blockTrace(plan) },
      (tx, i) => appendBlockedEvent(tx, i, plan.code, plan.detail),
    );
    onDecided?.({ outcome: c.duplicate ? "duplicate" : "blocked", intent: c.intent });
    if (c.duplicate) return duplicateResult(rt, req, c.intent);
    return entryResult(rt, c.intent, "blocked", plan.message, plan.verdict ? { verdict: plan.verdict } : {});
  }
  const c = await commitNew(start, { status: "SUBMITTING", trace: plan.trace }, (tx, i) =>
    insertAttemptRow(tx, venue, i, 1, plan.spec),
  );
  onDecided?.({ outcome: c.duplicate ? "duplicate" : "accepted", intent: c.intent });
  if (c.duplicate) return duplicateResult(rt, req, c.intent);
  const placed = await sendPlainOrder(rt, venue, c.intent, c.made.record, c.made.requestId, plan.spec);
  return finishEntry(rt, venue, c.intent, placed, plan.verdict);
}

/**
 * The new entry's one transaction: the intent as decided (SUBMITTING: attempt 1; BLOCKED: the
 * reason), its signal row stored with that outcome (when given, with its `signal.received`) or the
 * inbox row's status updated, then `then` (the attempt row, or the block's event). A key that has
 * an intent already: the signal DUPLICATE, nothing else.
 */
async function commitNew<T>(
  s: { rt: TraderRuntime; req: TradeRequest; signal: NewSignal | undefined; mode: ModeDecision },
  as: { status: "SUBMITTING" | "BLOCKED"; reasonCode?: string; trace: { [k: string]: Json } },
  then: (tx: Tx, intent: Intent) => Promise<T>,
): Promise<{ duplicate: true; intent: Intent } | { duplicate: false; intent: Intent; made: T }> {
  const { req, signal, mode } = s;
  const { store } = s.rt.ctx;
  const id = store.newId();
  const decided = {
    status: as.status === "SUBMITTING" ? "ACCEPTED" : "BLOCKED",
    intentId: id,
    ...(as.reasonCode !== undefined ? { reasonCode: as.reasonCode } : {}),
  } as const;
  return store.transaction(async (tx) => {
    if (signal) {
      // stored as decided, with the id its intent gets below: the row is written once
      const row = await tx.signals.insert({ ...signal, ...decided });
      await appendSignalEvent(tx, row.id, row.symbol, mode.mode);
    }
    const r = await tx.intents.create({
      ...newIntentOf(req, mode),
      id,
      status: as.status,
      attempt: as.status === "SUBMITTING" ? 1 : 0,
      reasonCode: as.reasonCode,
      guardTrace: traceOver(intakeTrace(req, mode), as.trace),
    });
    const intent = r.created ? r.intent : r.existing;
    if (req.signalId && (!r.created || !signal))
      await tx.signals.updateStatus(
        req.signalId,
        r.created ? decided : { status: "DUPLICATE", intentId: intent.id },
      );
    if (!r.created) return { duplicate: true, intent };
    return { duplicate: false, intent, made: await then(tx, intent) };
  });
}

/** The entry of an intent that exists already (NEW, or READY after a restart). */
export async function runEntry(rt: TraderRuntime, intent: Intent, req: TradeRequest): Promise<TradeResult> {
  const venue = venueFor(rt.ctx, intent.mode);
  if (!venue) {
    await failIntent(rt, intent, "NO_VENUE");
    return entryResult(rt, intent, "failed", `no venue for mode ${intent.mode}`);
  }
  const plan = await planEntry(rt, venue, {
    symbol: intent.symbol,
    mode: intent.mode,
    actor: intent.actor,
    req,
  });
  if (plan.kind === "blocked") {
    await blockIntent(rt, intent, plan.code, plan.detail, plan.verdict);
    return entryResult(rt, intent, "blocked", plan.message, plan.verdict ? { verdict: plan.verdict } : {});
  }
  // READY (with the verdict) commits with the attempt row: one commit between the guards and the request
  const placed = await placePlainOrder(rt, venue, intent, plan.spec, traceWith(intent, plan.trace));
  return finishEntry(rt, venue, intent, placed, plan.verdict);
}

/** After the request: the intent's end by the placement's outcome, or the confirmation of the fill. */
async function finishEntry(
  rt: TraderRuntime,
  venue: Venue,
  intent: Intent,
  placed: PlaceResult,
  verdict: GuardVerdict,
): Promise<TradeResult> {
  const result = (outcome: TradeResult["outcome"], message: string) =>
    entryResult(rt, intent, outcome, message, { verdict });
  switch (placed.kind) {
    case "not_leader":
      return result("failed", "not the leader: nothing sent");
    case "rejected":
      await failIntent(rt, intent, `EXCHANGE_${placed.code ?? placed.category}`);
      return result("failed", `rejected by the exchange: ${placed.code ?? placed.category}`);
    case "not_sent":
      await failIntent(rt, intent, "NOT_SENT");
      return result("failed", "the request never left (not sent)");
    case "absent":
      await failIntent(rt, intent, "NOT_FOUND");
      return result("failed", "ambiguous outcome, confirmed absent: not re-sent");
    case "unresolved":
      return result("placed", "ambiguous outcome not resolved yet (probing continues)");
    case "accepted": {
      const rec = await confirmFinal(rt, venue, placed.record.id, rt.confirmTimeoutMs);
      if (rec?.status === "FILLED" || (rec && !rec.filledQuantity.isZero() && rec.status !== "ACTIVE"))
        return result(
          "filled",
          `filled ${rec.filledQuantity.toFixed()} at ${rec.avgPrice?.toFixed() ?? "?"}`,
        );
      if (rec && ["CANCELED", "REJECTED", "EXPIRED"].includes(rec.status))
        return result("failed", `entry ended ${rec.status} (${rec.reason ?? "no reason"})`);
      return result("placed", "placed; confirmation pending");
    }
  }
}
