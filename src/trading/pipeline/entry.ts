/**
 * The ENTRY path (BUY): guards → sizing → placement → confirmation. The lot and its protection
 * follow from tracking (a final ENTRY with a fill opens the lot; protection runs in the background).
 *
 * Invariants:
 * - Guards run before sizing; an order `rules.check` refuses is blocked (SIZE_BELOW_MINIMUM, the
 *   rule and its code in the detail) and never sent.
 * - A MARKET entry is attempted once: rejected, not sent, or confirmed absent after an ambiguous
 *   outcome → the intent FAILS with the reason; it is never re-sent.
 */
import type { Intent } from "../../store/types.js";
import type { Dec } from "../../util/decimal.js";
import { type Venue, venueFor } from "../context.js";
import { runGuards } from "../guards/index.js";
import type { TradeRequest, TradeResult } from "../requests.js";
import { sizeBuy } from "../sizing.js";
import { venueReads } from "../venue-cache.js";
import { confirmFinal } from "./confirmation.js";
import { blockIntent, failIntent, traceWith, verdictJson } from "./intake.js";
import { placePlainOrder } from "./placement.js";
import type { TraderRuntime } from "./runtime.js";

export async function marketPrice(venue: Venue, symbol: string, fallback?: Dec): Promise<Dec | undefined> {
  try {
    const t = await venueReads(venue).ticker(symbol);
    return t?.ask ?? t?.last ?? fallback;
  } catch {
    return fallback;
  }
}

export async function runEntry(rt: TraderRuntime, intent: Intent, req: TradeRequest): Promise<TradeResult> {
  const { ctx } = rt;
  const result = async (
    outcome: TradeResult["outcome"],
    message: string,
    extra: Partial<TradeResult> = {},
  ) => {
    const i = (await ctx.store.intents.get(intent.id)) ?? intent;
    const orders = await ctx.store.orders.listByIntent(intent.id);
    const lot = i.lotId ? await ctx.store.lots.get(i.lotId) : undefined;
    return { outcome, intent: i, orders, lot, message, ...extra };
  };
  const venue = venueFor(ctx, intent.mode);
  if (!venue) {
    await failIntent(rt, intent, "NO_VENUE");
    return result("failed", `no venue for mode ${intent.mode}`);
  }
  const inst = await venue.client.getInstrument(intent.symbol);
  if (!inst) {
    await blockIntent(
      rt,
      intent,
      "UNKNOWN_INSTRUMENT",
      `${intent.symbol} is not an instrument of ${venue.client.venue}`,
    );
    return result("blocked", "unknown instrument");
  }
  const watch = await ctx.store.watchlist.get(intent.symbol);
  const amount = req.amountUsd ?? watch?.amountUsd;
  const price = await marketPrice(venue, intent.symbol, req.price);
  const verdict = await runGuards(ctx, venue, {
    kind: "ENTRY",
    symbol: intent.symbol,
    side: "BUY",
    mode: intent.mode,
    amountUsd: amount,
    price,
    protective: false,
    actor: intent.actor,
    now: ctx.time.now(),
  });
  if (!verdict.ok) {
    const code = verdict.reasonCode ?? "GUARD_ERROR";
    const detail = verdict.checks.find((c) => !c.ok)?.detail ?? code;
    await blockIntent(rt, intent, code, detail, verdict);
    return result("blocked", `blocked: ${code} (${detail})`, { verdict });
  }
  if (!amount || amount.lte(0)) {
    await blockIntent(rt, intent, "AMOUNT_NOT_SET", `no amount configured for ${intent.symbol}`, verdict);
    return result("blocked", "blocked: AMOUNT_NOT_SET", { verdict });
  }
  const sized = sizeBuy(venue.client.rules, inst, amount, price);
  if (!sized.ok) {
    await blockIntent(rt, intent, "SIZE_BELOW_MINIMUM", sized.detail, verdict);
    return result("blocked", `blocked: SIZE_BELOW_MINIMUM (${sized.detail})`, { verdict });
  }
  // READY (with the verdict) commits with the attempt row: one commit between the guards and the request
  const current = intent;
  const placed = await placePlainOrder(
    rt,
    venue,
    current,
    { type: "MARKET", role: "ENTRY", notional: sized.notional, refPrice: price },
    traceWith(intent, { verdict: verdictJson(verdict), notional: sized.notional?.toFixed() ?? null }),
  );
  switch (placed.kind) {
    case "not_leader":
      return result("failed", "not the leader: nothing sent", { verdict });
    case "rejected":
      await failIntent(rt, current, `EXCHANGE_${placed.code ?? placed.category}`);
      return result("failed", `rejected by the exchange: ${placed.code ?? placed.category}`, { verdict });
    case "not_sent":
      await failIntent(rt, current, "NOT_SENT");
      return result("failed", "the request never left (not sent)", { verdict });
    case "absent":
      await failIntent(rt, current, "NOT_FOUND");
      return result("failed", "ambiguous outcome, confirmed absent: not re-sent", { verdict });
    case "unresolved":
      return result("placed", "ambiguous outcome not resolved yet (probing continues)", { verdict });
    case "accepted": {
      const rec = await confirmFinal(rt, venue, placed.record.id, rt.confirmTimeoutMs);
      if (rec?.status === "FILLED" || (rec && !rec.filledQuantity.isZero() && rec.status !== "ACTIVE"))
        return result(
          "filled",
          `filled ${rec.filledQuantity.toFixed()} at ${rec.avgPrice?.toFixed() ?? "?"}`,
          {
            verdict,
          },
        );
      if (rec && ["CANCELED", "REJECTED", "EXPIRED"].includes(rec.status))
        return result("failed", `entry ended ${rec.status} (${rec.reason ?? "no reason"})`, { verdict });
      return result("placed", "placed; confirmation pending", { verdict });
    }
  }
}
