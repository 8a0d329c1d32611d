/**
 * The EXIT path (SELL signal): every open lot of the symbol (in the intent's mode) is exited —
 * protection cancelled and confirmed, then what the lot still holds sold at market — and closes
 * with exit reason SIGNAL and its realised P&L (or TAKE_PROFIT/STOP_LOSS if a leg filled meanwhile).
 *
 * Invariants:
 * - No open lot → BLOCKED NO_POSITION (a SELL never opens a short on spot).
 * - Each lot is sold by its own EXIT intent (`<request key>/lot/<lot id>`), so every exchange order
 *   still belongs to exactly one intent and attempt; the request's intent is DONE when all are.
 * - A lot has at most one EXIT intent in flight: a second SELL while one runs (or one left by a
 *   crash) continues that intent instead of opening another, so a lot is never sold twice. The
 *   intent and the lot's CLOSING are one commit: an open lot never has an exit in flight.
 * - A lot whose exit could not be placed is put back to OPEN and re-protected (never left bare).
 * - An exit that cannot finish now (a cancel or a sale not confirmed yet) goes on in the background
 *   until it does; the request's intent then ends: DONE when every lot it exits is CLOSED, else
 *   FAILED (EXIT_FAILED). A request intent a killed process left open ends the same way on resume
 *   (`finishExitRequest`); one killed before its guards ran fails INTERRUPTED (a stale signal is
 *   not traded, as for an entry).
 */
import type { Intent, Lot, Tx } from "../../store/types.js";
import { dec } from "../../util/decimal.js";
import { venueFor } from "../context.js";
import { runGuards } from "../guards/index.js";
import { blockIntent, failIntent, traceWith, verdictJson } from "../pipeline/intake.js";
import type { TraderRuntime } from "../pipeline/runtime.js";
import type { TradeRequest, TradeResult } from "../requests.js";
import { cancelLegsAndConfirm, type SellOutcome, sellLot } from "./sell-lot.js";

/** The lot's EXIT intent in flight, or a new one (inside the transaction that marks the lot CLOSING). */
async function exitChildIntent(tx: Tx, parentKey: string, lot: Lot, actor: string): Promise<Intent> {
  const inFlight = (await tx.intents.listOpen({ symbol: lot.symbol, mode: lot.mode })).find(
    (i) => i.kind === "EXIT" && i.lotId === lot.id,
  );
  if (inFlight) return inFlight;
  const r = await tx.intents.create({
    idempotencyKey: `${parentKey}/lot/${lot.id}`,
    kind: "EXIT",
    symbol: lot.symbol,
    side: "SELL",
    mode: lot.mode,
    quantity: lot.openQuantity,
    lotId: lot.id,
    actor,
  });
  return r.created ? r.intent : r.existing;
}

/**
 * Exits one lot: CLOSING together with its EXIT intent (one commit: a kill leaves both or neither),
 * cancel and confirm protection, sell what it holds.
 */
export async function exitLot(
  rt: TraderRuntime,
  lot: Lot,
  parentKey: string,
  actor: string,
  reprotect: (lotId: string) => void,
): Promise<SellOutcome> {
  const venue = venueFor(rt.ctx, lot.mode);
  if (!venue || !rt.act()) return "pending";
  const started = await rt.ctx.store.transaction(async (tx) => {
    const closing = await tx.lots.update(lot.id, { status: "CLOSING" }, ["OPEN", "CLOSING"]);
    return closing && { closing, child: await exitChildIntent(tx, parentKey, closing, actor) };
  });
  if (!started) return "closed";
  const { closing, child } = started;
  const confirmed = await cancelLegsAndConfirm(rt, venue, closing);
  if (!confirmed) return "pending";
  const r = await sellLot(rt, venue, closing, child);
  if (r === "refused" || r === "failed") {
    const back = await rt.ctx.store.lots.update(
      lot.id,
      { status: "OPEN", protection: "NONE", ocoListId: null },
      ["CLOSING"],
    );
    if (back) reprotect(lot.id);
  }
  return r;
}

export async function runExit(
  rt: TraderRuntime,
  intent: Intent,
  req: TradeRequest,
  reprotect: (lotId: string) => void,
): Promise<TradeResult> {
  const { ctx } = rt;
  const lots = (await ctx.store.lots.listOpen({ symbol: intent.symbol, mode: intent.mode })).filter(
    (l) => l.status === "OPEN" || l.status === "CLOSING",
  );
  const done = async (outcome: TradeResult["outcome"], message: string, verdict?: TradeResult["verdict"]) => {
    const i = (await ctx.store.intents.get(intent.id)) ?? intent;
    const orders = [];
    for (const l of lots)
      orders.push(...(await ctx.store.orders.listByLot(l.id)).filter((o) => o.role === "EXIT"));
    const lot = lots[0] ? await ctx.store.lots.get(lots[0].id) : undefined;
    return { outcome, intent: i, orders, lot, message, verdict };
  };
  if (lots.length === 0) {
    await blockIntent(rt, intent, "NO_POSITION", `no open position on ${intent.symbol} (${intent.mode})`);
    return done("blocked", "blocked: NO_POSITION");
  }
  const venue = venueFor(ctx, intent.mode);
  if (!venue) {
    await failIntent(rt, intent, "NO_VENUE");
    return done("failed", `no venue for mode ${intent.mode}`);
  }
  const held = lots.reduce((a, l) => a.plus(l.openQuantity), dec("0"));
  const verdict = await runGuards(ctx, venue, {
    kind: "EXIT",
    symbol: intent.symbol,
    side: "SELL",
    mode: intent.mode,
    quantity: held,
    price: req.price,
    protective: false,
    actor: intent.actor,
    now: ctx.time.now(),
  });
  if (!verdict.ok) {
    const code = verdict.reasonCode ?? "GUARD_ERROR";
    await blockIntent(rt, intent, code, verdict.checks.find((c) => !c.ok)?.detail ?? code, verdict);
    return done("blocked", `blocked: ${code}`, verdict);
  }
  await ctx.store.intents.transition(intent.id, {
    to: "READY",
    guardTrace: traceWith(intent, { verdict: verdictJson(verdict), lots: lots.map((l) => l.id) }),
  });
  const outcomes: SellOutcome[] = [];
  for (const lot of lots) {
    outcomes.push(await exitLot(rt, lot, intent.idempotencyKey, intent.actor, reprotect));
  }
  const allDone = outcomes.every((o) => o === "sold" || o === "closed");
  if (allDone) {
    await ctx.store.intents.transition(intent.id, { to: "DONE" });
    return done("filled", `exited ${lots.length} lot(s)`, verdict);
  }
  if (outcomes.some((o) => o === "pending")) {
    lots.forEach((lot, n) => {
      if (outcomes[n] === "pending") continueExit(rt, lot, intent.idempotencyKey, intent.actor, reprotect);
    });
    rt.background(`exit-request:${intent.id}`, () => finishExitRequest(rt, intent.id));
    return done("placed", `exit in progress: ${outcomes.join(", ")}`, verdict);
  }
  await failIntent(rt, intent, "EXIT_FAILED");
  return done("failed", `exit failed: ${outcomes.join(", ")}`, verdict);
}

/** Goes on with a lot's exit in the background (`exit:<lot>`) until it is no longer pending. */
export function continueExit(
  rt: TraderRuntime,
  lot: Lot,
  parentKey: string,
  actor: string,
  reprotect: (lotId: string) => void,
): void {
  rt.background(`exit:${lot.id}`, async () => {
    while (rt.act()) {
      const cur = await rt.ctx.store.lots.get(lot.id);
      if (!cur || cur.status === "CLOSED") return;
      if ((await exitLot(rt, cur, parentKey, actor, reprotect)) !== "pending") return;
      await rt.sleep(rt.pollMs);
    }
  });
}

/** The lot ids a request-level EXIT intent exits (its trace's `lots`). */
function lotsOfRequest(intent: Intent): string[] {
  const t = intent.guardTrace;
  const lots =
    t && typeof t === "object" && !Array.isArray(t) && Object.hasOwn(t, "lots") ? t.lots : undefined;
  return Array.isArray(lots) ? lots.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Ends a request-level EXIT intent once none of its lots is CLOSING any more (waiting while one is):
 * DONE when every one is CLOSED, else FAILED EXIT_FAILED; NEW (guards never ran) or without lots →
 * FAILED INTERRUPTED.
 */
export async function finishExitRequest(rt: TraderRuntime, intentId: string): Promise<void> {
  const { store } = rt.ctx;
  while (rt.act()) {
    const intent = await store.intents.get(intentId);
    if (intent?.kind !== "EXIT" || intent.lotId !== undefined) return;
    if (intent.status === "DONE" || intent.status === "FAILED" || intent.status === "BLOCKED") return;
    if (intent.status === "NEW") {
      await failIntent(rt, intent, "INTERRUPTED");
      return;
    }
    const ids = lotsOfRequest(intent);
    if (ids.length === 0) {
      await failIntent(rt, intent, "INTERRUPTED");
      return;
    }
    const lots = await Promise.all(ids.map((id) => store.lots.get(id)));
    if (!lots.some((l) => l?.status === "CLOSING")) {
      if (lots.every((l) => !l || l.status === "CLOSED"))
        await store.intents.transition(intent.id, { to: "DONE" });
      else await failIntent(rt, intent, "EXIT_FAILED");
      return;
    }
    await rt.sleep(rt.pollMs);
  }
}
