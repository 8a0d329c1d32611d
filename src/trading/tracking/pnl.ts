/**
 * Realised P&L of a lot from its stored orders.
 *
 * Invariants:
 * - Quote currency throughout; every value is `Dec`.
 * - realisedPnl = proceeds − entryPrice × soldQuantity − fees, where fees = the entry fee valued in
 *   quote (a base-currency fee × the entry price) + the exit fees (quote, or base × exit price).
 *   The entry fee reduces the held quantity, so proceeds are already on the net quantity.
 */
import type { Lot, OrderRecord } from "../../store/types.js";
import { type Dec, dec } from "../../util/decimal.js";

/** A fee valued in the quote currency. */
export function feeInQuote(fee: Dec, feeCurrency: string | undefined, quoteCcy: string, price: Dec): Dec {
  if (fee.isZero()) return fee;
  return feeCurrency === undefined || feeCurrency === quoteCcy ? fee : fee.mul(price);
}

export interface LotClose {
  soldQuantity: Dec;
  proceeds: Dec;
  exitFees: Dec;
  realisedPnl: Dec;
  /** Entry fee + exit fees (quote). */
  fees: Dec;
}

/** `entryFees` is the entry fee in quote (stored as the lot's `fees` when it opened). */
export function lotClose(
  lot: Lot,
  sells: readonly OrderRecord[],
  quoteCcy: string,
  entryFees: Dec,
): LotClose {
  let sold = dec("0");
  let proceeds = dec("0");
  let exitFees = dec("0");
  for (const o of sells) {
    if (o.side !== "SELL" || o.filledQuantity.isZero()) continue;
    const px = o.avgPrice ?? o.price ?? dec("0");
    sold = sold.plus(o.filledQuantity);
    proceeds = proceeds.plus(o.filledQuantity.mul(px));
    exitFees = exitFees.plus(feeInQuote(o.fee, o.feeCurrency, quoteCcy, px));
  }
  const cost = (lot.entryPrice ?? dec("0")).mul(sold);
  const fees = entryFees.plus(exitFees);
  return { soldQuantity: sold, proceeds, exitFees, fees, realisedPnl: proceeds.minus(cost).minus(fees) };
}
