/**
 * The order vocabulary every module shares: one `as const` list per enum, its type derived from the
 * list, and a type guard. The values are the Crypto.com Exchange v1 spellings (reference §5.3), which
 * are also the common spellings of the trade: the connector parses wire text into these unions
 * through one table each (`exchange/cryptocom/parsers/enums.ts`) and the emulator writes them as is.
 *
 * Invariants:
 * - A union here is closed: an unknown wire value never becomes a member (the connector refuses it).
 * - A per-value table is a `Record<Union, …>`, so adding a value fails to compile until every table
 *   says what the value means; a `switch` over a union ends in `unreachable()` for the same reason.
 */
import { oneOf } from "./one-of.js";

export const SIDES = ["BUY", "SELL"] as const;
export type Side = (typeof SIDES)[number];
export const isSide = oneOf(SIDES);

/** Trigger (conditional) order types: released when the reference price crosses `refPrice`. */
export const TRIGGER_TYPES = ["STOP_LOSS", "STOP_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
export const isTriggerType = oneOf(TRIGGER_TYPES);

/** Order types `private/create-order` takes today (triggers go through `private/advanced/`). */
export const PLAIN_ORDER_TYPES = ["LIMIT", "MARKET"] as const;
export type PlainOrderType = (typeof PLAIN_ORDER_TYPES)[number];
export const isPlainOrderType = oneOf(PLAIN_ORDER_TYPES);

export const ORDER_TYPES = [...PLAIN_ORDER_TYPES, ...TRIGGER_TYPES] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const isOrderType = oneOf(ORDER_TYPES);

/** Order types that carry a limit `price` (the trigger ones once released). */
export const LIMIT_PRICED_TYPES = [
  "LIMIT",
  "STOP_LIMIT",
  "TAKE_PROFIT_LIMIT",
] as const satisfies readonly OrderType[];
export type LimitPricedType = (typeof LIMIT_PRICED_TYPES)[number];
export const isLimitPriced = oneOf(LIMIT_PRICED_TYPES);

/**
 * Order states as the exchange reports them. `ACTIVE` with a filled quantity above zero is a partial
 * fill (there is no PARTIALLY_FILLED state); `PENDING` is a trigger order waiting for its trigger.
 */
export const ORDER_STATUSES = [
  "NEW",
  "PENDING",
  "ACTIVE",
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const isOrderStatus = oneOf(ORDER_STATUSES);

/** Whether a status is final: the order will never change again (no fill, no cancel). */
export const STATUS_IS_FINAL: Readonly<Record<OrderStatus, boolean>> = {
  NEW: false,
  PENDING: false,
  ACTIVE: false,
  FILLED: true,
  CANCELED: true,
  REJECTED: true,
  EXPIRED: true,
};
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(
  ORDER_STATUSES.filter((s) => STATUS_IS_FINAL[s]),
);
export function isFinalStatus(status: OrderStatus): boolean {
  return STATUS_IS_FINAL[status];
}

export const TIME_IN_FORCES = ["GOOD_TILL_CANCEL", "IMMEDIATE_OR_CANCEL", "FILL_OR_KILL"] as const;
export type TimeInForce = (typeof TIME_IN_FORCES)[number];
export const isTimeInForce = oneOf(TIME_IN_FORCES);

/** The price a trigger order watches. */
export const REF_PRICE_TYPES = ["MARK_PRICE", "INDEX_PRICE", "LAST_PRICE"] as const;
export type RefPriceType = (typeof REF_PRICE_TYPES)[number];
export const isRefPriceType = oneOf(REF_PRICE_TYPES);

/** Which side of a fill an order was on. */
export const LIQUIDITIES = ["MAKER", "TAKER"] as const;
export type Liquidity = (typeof LIQUIDITIES)[number];
export const isLiquidity = oneOf(LIQUIDITIES);

/**
 * Whether a trigger order fires as the reference price falls to its `ref_price` (a SELL stop, a
 * BUY take-profit) rather than rises to it (a BUY stop, a SELL take-profit). Its `ref_price` must
 * then be below the current reference price when it is placed, and above it otherwise.
 */
export function triggersBelow(kind: OrderType, side: Side): boolean {
  return kind === "STOP_LOSS" || kind === "STOP_LIMIT" ? side === "SELL" : side === "BUY";
}

/** `value` has a type the compiler proved impossible: the end of an exhaustive `switch`. */
export function unreachable(value: never, what: string): never {
  throw new TypeError(`unhandled ${what}: ${JSON.stringify(value)}`);
}
