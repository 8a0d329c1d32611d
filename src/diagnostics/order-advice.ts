/**
 * One fix per order finding, specific to its field and rule: what the value must be and how to
 * write it, for this instrument (its ticks, currencies, the market price). Pure.
 *
 * Invariants:
 * - Decided by the finding's exchange code and field and by the order's own fields, never by the
 *   rule's text.
 * - A fix never names a value that would itself break a rule: it names the rule and its bound
 *   (the tick, the minimum, the band); concrete orders to send come from the assessment's
 *   re-checked suggestions only.
 */
import type { Instrument, OrderFields } from "../exchange/cryptocom/instruments.js";
import { type Dec, dec, plain } from "../util/decimal.js";
import { ALL_ORDER_TYPES, LIMIT_ORDER_TYPES, TRIGGER_ORDER_TYPES } from "./order-input.js";
import {
  ASSUMED_FAR_LIMIT_RATIO,
  ASSUMED_MIN_ORDER_VALUE,
  minimumFor,
  money,
  priceBand,
  releasedOnFall,
} from "./order-rules.js";

export interface AdviceContext {
  inst: Instrument;
  /** The order as checked (the fields the finding refers to). */
  order: OrderFields;
  mark: Dec | undefined;
}

interface FindingLike {
  field: string;
  code: number;
  certain: boolean;
}

function fieldText(order: OrderFields, field: string): string | undefined {
  return field === "quantity" || field === "notional" || field === "price" || field === "ref_price"
    ? order[field]
    : undefined;
}

function parsed(text: string | undefined): Dec | undefined {
  if (text === undefined) return undefined;
  try {
    return dec(text);
  } catch {
    return undefined;
  }
}

function what(field: string, inst: Instrument): string {
  if (field === "quantity") return `number of ${inst.baseCcy} (at least ${plain(inst.qtyTickSize)})`;
  if (field === "notional") return `amount of ${inst.quoteCcy} to spend`;
  return `price in ${inst.quoteCcy}`;
}

function shapeFix(f: FindingLike, c: AdviceContext): string {
  const { inst, order } = c;
  const text = fieldText(order, f.field);
  const v = parsed(text);
  if (text !== undefined && v && !v.gt(0)) {
    return `"${f.field}" must be a positive ${what(f.field, inst)}; ${text} is not`;
  }
  if (text !== undefined && v && /[eE]/.test(text)) {
    return `write "${f.field}" as a plain decimal string without an exponent (${text} is ${plain(v)})`;
  }
  if (text !== undefined && !v)
    return `"${f.field}" must be a decimal string; ${JSON.stringify(text)} is not`;
  const limit = LIMIT_ORDER_TYPES.has(order.type);
  switch (f.field) {
    case "notional":
      if (limit) return `a ${order.type} order is sized by "quantity": drop "notional"`;
      if (order.side === "SELL")
        return `a SELL is sized by "quantity" (the ${inst.baseCcy} to sell): drop "notional"`;
      return `send either "notional" (the ${inst.quoteCcy} to spend) or "quantity" (the ${inst.baseCcy} to buy), not both`;
    case "quantity":
      return `a ${order.side} ${order.type} order needs "quantity" (the ${inst.baseCcy} to ${order.side === "SELL" ? "sell" : "buy"})`;
    case "price":
      if (!limit)
        return `a ${order.type} order executes at the market and takes no "price": drop it, or send "type":"LIMIT" to set a limit price`;
      return `a ${order.type} order needs "price" (its limit price in ${inst.quoteCcy})`;
    case "ref_price":
      if (!TRIGGER_ORDER_TYPES.has(order.type))
        return `"ref_price" is the trigger price of ${[...TRIGGER_ORDER_TYPES].join(", ")} orders: drop it, or use one of those types`;
      return `a ${order.type} order needs "ref_price" (its trigger price in ${inst.quoteCcy})`;
    case "type":
      return `"type" must be one of ${ALL_ORDER_TYPES.join(", ")}`;
    default:
      return `change "${f.field}" as the rule says`;
  }
}

/** The fix for one finding. */
export function explainFinding(f: FindingLike, c: AdviceContext): string {
  const { inst, order, mark } = c;
  switch (f.code) {
    case 209:
      return `use an exact instrument name from public/get-instruments (case-sensitive)`;
    case 309:
      return `${inst.symbol} is not tradable at the moment (public/get-instruments says "tradable": false): wait until the exchange opens it again, or trade another instrument`;
    case 213:
      if (f.field === "notional")
        return `a notional has at most ${inst.quoteDecimals} decimals (${inst.quoteCcy} precision): atp floors it, never spending more than asked`;
      return `${inst.symbol} quantities are whole multiples of ${plain(inst.qtyTickSize)} ${inst.baseCcy} (qty_tick_size): atp floors a quantity to the tick, never trading more than asked; the smallest quantity is ${plain(inst.qtyTickSize)}`;
    case 308:
      return `${inst.symbol} prices are whole multiples of ${plain(inst.priceTickSize)} ${inst.quoteCcy} (price_tick_size): atp rounds a ${order.side} ${order.side === "BUY" ? "down" : "up"}, never to a worse price than asked`;
    case 415: {
      if (!f.certain)
        return `make the order worth at least about ${ASSUMED_MIN_ORDER_VALUE} ${inst.quoteCcy}; the exact minimum is not published, so stay above it`;
      const q = parsed(order.quantity);
      if (f.field === "quantity" && (q === undefined || q.lt(inst.qtyTickSize)))
        return `the smallest ${inst.symbol} quantity is ${plain(inst.qtyTickSize)} ${inst.baseCcy} (qty_tick_size): make the order larger`;
      const m = minimumFor(inst);
      return `${inst.symbol} orders must be worth at least ${m.value ? plain(m.value) : "the minimum"} ${inst.quoteCcy}: make the order larger`;
    }
    case 315: {
      if (!mark) return `set a limit price near the market`;
      const { lo, hi } = priceBand(mark);
      return `set a limit price near the market ${money(inst, mark)}: within about ±${plain(dec(ASSUMED_FAR_LIMIT_RATIO).mul(100))}% (${money(inst, lo)}..${money(inst, hi)}); the exchange does not publish its band, so stay closer than that when you can`;
    }
    case 229: {
      const below = releasedOnFall(order);
      return `a ${order.side} ${order.type} is released when the market ${below ? "falls" : "rises"} to "ref_price": set it ${below ? "below" : "above"} the market${mark ? ` ${money(inst, mark)}` : ""}, or send a ${LIMIT_ORDER_TYPES.has(order.type) ? "LIMIT" : "MARKET"} order to trade now`;
    }
    case 218:
    case 40004:
      return shapeFix(f, c);
    default:
      return `change "${f.field}" as the rule says`;
  }
}
