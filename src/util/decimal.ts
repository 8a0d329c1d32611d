/**
 * Decimal money type. Prices, quantities and notionals are `Dec` values end to end and become
 * strings exactly once, through `plain()`, right before they are put into a request body.
 * JS `number` is never used for them (indicators use numbers; they are analytics, not orders).
 */
import { Decimal as DecimalJs } from "decimal.js";

export const Dec = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  // Never switch to exponent notation in toString(); plain() also guarantees it.
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Dec = InstanceType<typeof Dec>;
export type DecInput = Dec | string | bigint;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal from a string (or bigint). Numbers are refused: they may already have lost digits. */
export function dec(value: DecInput): Dec {
  if (value instanceof Dec) return value;
  if (typeof value === "bigint") return new Dec(value.toString());
  if (typeof value !== "string" || !DECIMAL_RE.test(value.trim())) {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  }
  return new Dec(value.trim());
}

/** Like dec() but also accepts a JSON number from an exchange response (parsed via its shortest repr). */
export function decFromWire(value: unknown): Dec {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return new Dec(String(value));
  }
  return dec(value as DecInput);
}

/** Plain positional string without exponent; `dp` fixes the number of decimals (no rounding here: exact). */
export function plain(value: Dec, dp?: number): string {
  if (dp === undefined) return value.toFixed();
  return value.toFixed(dp);
}

/** Number of decimal places needed to write `step` (e.g. "0.00001" → 5, "0.5" → 1, "1" → 0). */
export function decimalsOf(step: Dec): number {
  return step.decimalPlaces();
}

/** Floors `value` to a multiple of `step` (toward zero for positive values). */
export function floorToStep(value: Dec, step: Dec): Dec {
  return value.div(step).floor().mul(step);
}

/** Ceils `value` to a multiple of `step`. */
export function ceilToStep(value: Dec, step: Dec): Dec {
  return value.div(step).ceil().mul(step);
}

/** True when `value` is an exact multiple of `step`. */
export function isMultipleOf(value: Dec, step: Dec): boolean {
  return value.mod(step).isZero();
}
