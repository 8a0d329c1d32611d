/**
 * The order rules the doctor checks beyond `validateOrder` (which needs nothing but the instrument):
 * those that depend on the market price, the balance or a limit the exchange does not publish.
 *
 * Invariants:
 * - What the exchange does not publish is never passed over silently: the minimum order value
 *   (not in public/get-instruments: it sits in the exchange's risk parameters, reference §5.1) and
 *   the band of accepted limit prices around the market are *assumed* (about 1 USD, ±50 %, the
 *   same assumptions as the emulator's defaults `min_notional` and `limits.far_limit_ratio`) and
 *   every finding or pass that rests on an assumption says so. A finding on an assumption is
 *   `certain: false` (the cause is "likely", never "confirmed").
 * - An assumed minimum is only applied to quote currencies worth about 1 USD (USD and USD
 *   stablecoins); for others the doctor says it cannot estimate one.
 * - The market is valued as the exchange values it for these rules: at its mark price, estimated
 *   as the mid of the best bid and ask (else the last price) from public/get-tickers.
 * - What an order needs from the balance is what the exchange reserves for it (docs/emulator.md,
 *   reservation): SELL → the quantity of the base currency; BUY → price × quantity (limit types),
 *   the notional, ref_price × quantity (a trigger by quantity), or the quantity at the best ask
 *   (a MARKET BUY by quantity: an estimate, the book may be thinner).
 * - Money stays decimal.
 */
import { isSide, isTriggerType, triggersBelow } from "../domain/orders.js";
import type { Instrument, OrderFields } from "../exchange/cryptocom/instruments.js";
import { Dec, dec, plain } from "../util/decimal.js";
import { LIMIT_ORDER_TYPES, TRIGGER_ORDER_TYPES } from "./order-input.js";

/** About the smallest order value the exchange accepts (quote units of a USD-like currency). */
export const ASSUMED_MIN_ORDER_VALUE = "1";
/** Limit prices beyond mark × (1 ± r) are refused with 315; the exchange does not publish r. */
export const ASSUMED_FAR_LIMIT_RATIO = "0.5";
/** Quote currencies an assumed minimum in USD applies to (1 unit ≈ 1 USD). */
export const USD_LIKE_QUOTES: ReadonlySet<string> = new Set(["USD", "USDT", "USDC"]);
/**
 * Safety margin on suggestions priced at the market (which moves between the check and the send):
 * a suggested MARKET order is sized for a value at least 2 % above the minimum, and a MARKET BUY
 * by quantity for a cost 2 % above the best ask.
 */
export const MARKET_MARGIN = "0.02";

/** Best bid, best ask and last price from public/get-tickers (each may be missing). */
export interface MarketPrices {
  bid?: Dec | undefined;
  ask?: Dec | undefined;
  last?: Dec | undefined;
}

/** The exchange's mark price as seen from the ticker: mid of bid and ask, else the last price. */
export function markOf(m: MarketPrices | undefined): Dec | undefined {
  if (!m) return undefined;
  const ok = (d: Dec | undefined) => (d?.gt(0) ? d : undefined);
  const bid = ok(m.bid);
  const ask = ok(m.ask);
  if (bid && ask) return bid.add(ask).div(2);
  return ok(m.last) ?? bid ?? ask;
}

/** Where the minimum order value used for an instrument comes from. */
export type MinimumSource = "published" | "assumed" | "unknown";

export interface Minimum {
  value: Dec | undefined;
  source: MinimumSource;
}

export function minimumFor(inst: Instrument): Minimum {
  if (inst.minNotional) return { value: inst.minNotional, source: "published" };
  if (USD_LIKE_QUOTES.has(inst.quoteCcy)) return { value: dec(ASSUMED_MIN_ORDER_VALUE), source: "assumed" };
  return { value: undefined, source: "unknown" };
}

/** The instrument with the minimum the doctor checks against (published, else assumed). */
export function withMinimum(inst: Instrument): Instrument {
  const m = minimumFor(inst);
  return m.value && !inst.minNotional ? { ...inst, minNotional: m.value } : inst;
}

/** "the exchange does not publish a minimum order value for BTC_USD; orders below about 1 USD are rejected with 415". */
export function minimumText(inst: Instrument): string {
  const m = minimumFor(inst);
  if (m.source === "published")
    return `the minimum order value of ${inst.symbol} is ${plain(m.value!)} ${inst.quoteCcy}`;
  if (m.source === "assumed")
    return `the exchange does not publish a minimum order value for ${inst.symbol}; orders below about ${ASSUMED_MIN_ORDER_VALUE} ${inst.quoteCcy} are rejected with 415`;
  return `the exchange does not publish a minimum order value for ${inst.symbol}; it is about ${ASSUMED_MIN_ORDER_VALUE} USD, which the doctor cannot convert to ${inst.quoteCcy}: orders below it are rejected with 415`;
}

function positive(text: string | undefined): Dec | undefined {
  if (text === undefined) return undefined;
  try {
    const d = dec(text);
    return d.gt(0) ? d : undefined;
  } catch {
    return undefined;
  }
}

/** A finding of a rule `validateOrder` does not hold (the market band, the trigger side). */
export interface MarketFinding {
  field: "price" | "ref_price";
  code: 315 | 229;
  rule: string;
}

/** A price in the quote currency's decimals (rounded half up: for reports only, never sent). */
export function money(inst: Instrument, v: Dec): string {
  return plain(v.toDecimalPlaces(inst.quoteDecimals), inst.quoteDecimals);
}

/** The accepted band of limit prices around `mark` (assumed ratio). */
export function priceBand(mark: Dec): { lo: Dec; hi: Dec } {
  const r = dec(ASSUMED_FAR_LIMIT_RATIO);
  return { lo: mark.mul(Dec.sub(1, r)), hi: mark.mul(Dec.add(1, r)) };
}

/** A trigger order released when the market falls to its ref_price (a SELL stop, a BUY take-profit). */
export function releasedOnFall(o: Pick<OrderFields, "type" | "side">): boolean {
  return isTriggerType(o.type) && isSide(o.side) && triggersBelow(o.type, o.side);
}

/**
 * The rules that need the market price: a limit price far from the market (315, assumed band) and
 * a trigger price already on the wrong side of it (229). Nothing without a mark price.
 */
export function marketFindings(inst: Instrument, o: OrderFields, mark: Dec | undefined): MarketFinding[] {
  if (!mark) return [];
  const out: MarketFinding[] = [];
  const price = LIMIT_ORDER_TYPES.has(o.type) ? positive(o.price) : undefined;
  if (price) {
    const { lo, hi } = priceBand(mark);
    if (price.lt(lo) || price.gt(hi)) {
      const pct = price.minus(mark).div(mark).mul(100).abs().toDecimalPlaces(1);
      out.push({
        field: "price",
        code: 315,
        rule: `limit price ${o.price} is ${plain(pct)}% ${price.lt(mark) ? "below" : "above"} the market ${money(inst, mark)}: the exchange refuses limit prices far from the market with 315 (it does not publish how far; about ±${plain(dec(ASSUMED_FAR_LIMIT_RATIO).mul(100))}%, ${money(inst, lo)}..${money(inst, hi)})`,
      });
    }
  }
  const ref = TRIGGER_ORDER_TYPES.has(o.type) ? positive(o.ref_price) : undefined;
  if (ref) {
    const below = releasedOnFall(o);
    if (below ? ref.gte(mark) : ref.lte(mark)) {
      out.push({
        field: "ref_price",
        code: 229,
        rule: `ref_price ${o.ref_price} must be ${below ? "below" : "above"} the market ${money(inst, mark)} for a ${o.side} ${o.type} (it would trigger at once)`,
      });
    }
  }
  return out;
}

/** What the exchange reserves for the order, in which currency; undefined when it cannot be valued. */
export function balanceNeed(
  inst: Instrument,
  o: OrderFields,
  m: MarketPrices | undefined,
): { currency: string; amount: Dec } | undefined {
  const q = positive(o.quantity);
  if (o.side === "SELL") return q ? { currency: inst.baseCcy, amount: q } : undefined;
  const currency = inst.quoteCcy;
  const n = positive(o.notional);
  const price = LIMIT_ORDER_TYPES.has(o.type) ? positive(o.price) : undefined;
  if (price && q) return { currency, amount: price.mul(q) };
  if (n) return { currency, amount: n };
  if (!q) return undefined;
  const ref = TRIGGER_ORDER_TYPES.has(o.type) ? positive(o.ref_price) : undefined;
  if (ref) return { currency, amount: ref.mul(q) };
  const ask = m?.ask?.gt(0) ? m.ask : markOf(m);
  return ask ? { currency, amount: ask.mul(q) } : undefined;
}
