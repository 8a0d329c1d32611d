/**
 * NOT_IN_WATCHLIST, TRADING_DISABLED, AMOUNT_NOT_SET and MAX_USD_PER_ORDER: what the coin's
 * watchlist row and the per-order limit allow.
 *
 * Invariants:
 * - An entry needs a watchlist row with trading on, for every actor: an operator's manual entry
 *   skips nothing (the coin's trading switch is the operator's own audited setting).
 * - An exit from the engine (or any non-operator actor) needs the row with trading on too: atp does
 *   not act on a coin the operator switched off. An operator's manual exit skips both checks, so a
 *   position on a coin switched off or removed can always be closed by hand (its exchange-side
 *   protection keeps working either way: protective requests skip these guards).
 * - The entry amount is the request's (`--amount-usd`) when given, else the row's; it must be > 0
 *   and at most limits.maxUsdPerOrder. Amounts are compared as decimals.
 */
import { plain } from "../../util/decimal.js";
import { isEntry, type TradingGuard } from "./guard.js";
import { type GuardReads, isOperatorActor } from "./reads.js";
import type { GuardRequest } from "./types.js";

const watchlistApplies = (req: GuardRequest): boolean =>
  isEntry(req) || (req.kind === "EXIT" && !isOperatorActor(req.actor));

export const notInWatchlistGuard: TradingGuard = {
  code: "NOT_IN_WATCHLIST",
  applies: watchlistApplies,
  async check(r) {
    const item = await r.watchlistItem();
    return item
      ? { ok: true, detail: `${r.req.symbol} is in the watchlist` }
      : { ok: false, detail: `${r.req.symbol} is not in the watchlist` };
  },
};

export const tradingDisabledGuard: TradingGuard = {
  code: "TRADING_DISABLED",
  applies: watchlistApplies,
  async check(r) {
    const item = await r.watchlistItem();
    const on = item?.tradeEnabled === true;
    return { ok: on, detail: `trading on ${r.req.symbol} is ${on ? "enabled" : "disabled"}` };
  },
};

/** The amount of an entry: the request's, else the watchlist row's (undefined when neither). */
export async function entryAmountOf(r: GuardReads) {
  if (r.req.amountUsd !== undefined) return { amount: r.req.amountUsd, from: "request" as const };
  const item = await r.watchlistItem();
  return { amount: item?.amountUsd, from: "watchlist" as const };
}

export const amountNotSetGuard: TradingGuard = {
  code: "AMOUNT_NOT_SET",
  applies: isEntry,
  async check(r) {
    const { amount, from } = await entryAmountOf(r);
    if (amount === undefined)
      return { ok: false, detail: `no amount: none given and none configured for ${r.req.symbol}` };
    if (!amount.gt(0)) return { ok: false, detail: `amount ${plain(amount)} USD (${from}) is not > 0` };
    return { ok: true, detail: `amount ${plain(amount)} USD (${from})` };
  },
};

export const maxUsdPerOrderGuard: TradingGuard = {
  code: "MAX_USD_PER_ORDER",
  applies: isEntry,
  async check(r) {
    const { amount } = await entryAmountOf(r);
    const max = (await r.limits()).maxUsdPerOrder;
    if (amount === undefined) return { ok: false, detail: "no amount to compare" };
    const ok = amount.lte(max);
    return {
      ok,
      detail: `amount ${plain(amount)} USD ${ok ? "within" : "above"} the limit of ${plain(max)} USD per order`,
    };
  },
};
