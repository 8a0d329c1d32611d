/**
 * The order predicates the matching core decides with, each written once: validation at submit
 * (checks.ts) and execution afterwards (engine.ts) read the same ones, so an order is never
 * validated as one kind and worked as another.
 */
import { type OrderType, type Side, triggersBelow } from "../../domain/orders.js";
import type { Dec } from "../../util/decimal.js";
import type { MarketView } from "./types.js";

/** Orders with a limit price: LIMIT and the trigger types that become a LIMIT (STOP_LIMIT, TAKE_PROFIT_LIMIT). */
export function isLimitLike(kind: OrderType): boolean {
  return kind === "LIMIT" || kind === "STOP_LIMIT" || kind === "TAKE_PROFIT_LIMIT";
}

/** How a live order works: as a LIMIT (rests at its price) or a MARKET (takes, the rest is canceled). */
export function workingKind(kind: OrderType): "LIMIT" | "MARKET" {
  return isLimitLike(kind) ? "LIMIT" : "MARKET";
}

/** The execution instructions the emulator supports for spot orders (both mean post-only). */
const POST_ONLY_INSTS: ReadonlySet<string> = new Set(["POST_ONLY", "SMART_POST_ONLY"]);

export function isSupportedExecInst(e: string): boolean {
  return POST_ONLY_INSTS.has(e);
}

/** POST_ONLY or SMART_POST_ONLY among the execution instructions. */
export function isPostOnly(execInst: readonly string[]): boolean {
  return execInst.some((e) => POST_ONLY_INSTS.has(e));
}

/** Whether the trigger condition holds at reference price `ref`. */
export function triggerHit(kind: OrderType, side: Side, refPrice: Dec, ref: Dec): boolean {
  return triggersBelow(kind, side) ? ref.lte(refPrice) : ref.gte(refPrice);
}

/** Whether a level at `levelPrice` on the opposite side is at `limit` or better for `side`. */
export function crosses(side: Side, levelPrice: Dec, limit: Dec): boolean {
  return side === "BUY" ? levelPrice.lte(limit) : levelPrice.gte(limit);
}

/** Whether a limit order at `price` would take liquidity now (it reaches the best opposite level). */
export function wouldTake(market: MarketView, symbol: string, side: Side, price: Dec): boolean {
  const best = market.levels(symbol, side === "BUY" ? "asks" : "bids")[0];
  return best !== undefined && crosses(side, best.price, price);
}
