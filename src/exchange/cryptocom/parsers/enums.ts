/**
 * Crypto.com wire text → the domain's closed unions (src/domain/orders.ts): one table per enum, a
 * `Map` from every spelling the exchange is known to send to the domain value.
 *
 * An unknown value is a `ResponseShapeError` naming the field, the value and the known values; it is
 * never passed through as a string and never guessed into a valid status. The client turns it into
 * an `ExchangeError` of category `unknown` (disposition `skip`), so a read fails loudly instead of
 * showing an order in a state atp cannot interpret, and a placement whose probe cannot be read is an
 * `unknown` outcome (ambiguous: not re-sent before `resendSafeAfter`). Known aliases:
 * - status `CANCELLED` (the British spelling, which the original platform's store used) is `CANCELED`.
 * - side is read case-insensitively (`buy`), as it always was.
 */
import {
  LIQUIDITIES,
  type Liquidity,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderStatus,
  type OrderType,
  SIDES,
  type Side,
  TIME_IN_FORCES,
  type TimeInForce,
} from "../../../domain/orders.js";
import { ResponseShapeError } from "./wire.js";

function table<T extends string>(
  values: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): Map<string, T> {
  return new Map<string, T>([...values.map((v): [string, T] => [v, v]), ...Object.entries(aliases)]);
}

export const WIRE_STATUSES: ReadonlyMap<string, OrderStatus> = table(ORDER_STATUSES, {
  CANCELLED: "CANCELED",
});
export const WIRE_ORDER_TYPES: ReadonlyMap<string, OrderType> = table(ORDER_TYPES);
export const WIRE_TIME_IN_FORCES: ReadonlyMap<string, TimeInForce> = table(TIME_IN_FORCES);
export const WIRE_SIDES: ReadonlyMap<string, Side> = table(SIDES);
export const WIRE_LIQUIDITIES: ReadonlyMap<string, Liquidity> = table(LIQUIDITIES);

function lookup<T>(map: ReadonlyMap<string, T>, v: unknown, path: string, what: string, key = v): T {
  const found = typeof key === "string" ? map.get(key) : undefined;
  if (found !== undefined) return found;
  throw new ResponseShapeError(
    path,
    `not a known ${what}: ${JSON.stringify(v)} (known: ${[...map.keys()].join(", ")})`,
  );
}

export function wireStatus(v: unknown, path: string): OrderStatus {
  return lookup(WIRE_STATUSES, v, path, "order status");
}

export function wireOrderType(v: unknown, path: string): OrderType {
  return lookup(WIRE_ORDER_TYPES, v, path, "order type");
}

/** Undefined when absent or empty (the exchange omits it on some orders). */
export function wireTimeInForce(v: unknown, path: string): TimeInForce | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  return lookup(WIRE_TIME_IN_FORCES, v, path, "time_in_force");
}

export function wireSide(v: unknown, path: string): Side {
  return lookup(WIRE_SIDES, v, path, "side", typeof v === "string" ? v.toUpperCase() : v);
}

/** Undefined for anything but MAKER/TAKER (the field is informational). */
export function wireLiquidity(v: unknown): Liquidity | undefined {
  return typeof v === "string" ? WIRE_LIQUIDITIES.get(v) : undefined;
}
