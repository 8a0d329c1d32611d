/**
 * Conversions at the store's boundary, one function per kind of column. Money goes Dec → exact
 * decimal text → Dec (never a JS number); every value read back is checked, and a value that does
 * not parse is a StoreDataError naming `table.column`, never a silently wrong number.
 */
import { type Dec, dec, plain } from "../util/decimal.js";
import { StoreDataError } from "./errors.js";
import type { Json } from "./types.js";

export function moneyIn(value: Dec): string {
  if (!value.isFinite()) throw new RangeError(`not a finite decimal: ${value.toString()}`);
  return plain(value);
}

export function moneyInOpt(value: Dec | null | undefined): string | null {
  return value === undefined || value === null ? null : moneyIn(value);
}

export function moneyOut(value: string | null, where: string): Dec | undefined {
  if (value === null) return undefined;
  try {
    return dec(String(value));
  } catch {
    throw new StoreDataError(where, `${JSON.stringify(value)} is not a decimal`);
  }
}

export function moneyOutReq(value: string | null, where: string): Dec {
  const d = moneyOut(value, where);
  if (d === undefined) throw new StoreDataError(where, "missing decimal");
  return d;
}

/** Canonical decimal text: what `Dec.toFixed()` writes (no exponent, no leading or trailing zeros, no "-0"). */
const CANONICAL_DECIMAL = /^(?!-0$)-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

/**
 * A money column as its exact decimal text, the same text `moneyOut(…).toFixed()` gives, without
 * parsing a decimal when the stored text is already canonical (what `moneyIn` writes always is).
 */
export function moneyTextOut(value: string | null, where: string): string | undefined {
  if (value === null) return undefined;
  const text = String(value);
  if (CANONICAL_DECIMAL.test(text)) return text;
  return moneyOut(text, where)?.toFixed();
}

export function moneyTextOutReq(value: string | null, where: string): string {
  const t = moneyTextOut(value, where);
  if (t === undefined) throw new StoreDataError(where, "missing decimal");
  return t;
}

/** JSON text of a value (Dec values inside become decimal strings through their toJSON). */
export function jsonIn(value: Json | undefined): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function jsonOut(value: string, where: string): Json {
  try {
    return JSON.parse(value) as Json;
  } catch {
    throw new StoreDataError(where, "not valid JSON");
  }
}

export function jsonObjectOut(value: string, where: string): { [key: string]: Json } {
  const v = jsonOut(value, where);
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new StoreDataError(where, "not a JSON object");
  return v;
}

export function boolIn(value: boolean): number {
  return value ? 1 : 0;
}

export function boolOut(value: number | boolean, where: string): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new StoreDataError(where, `${JSON.stringify(value)} is not a flag`);
}

/** An integer column (ms, counts) as a safe JS integer. */
export function intOut(value: number | string | bigint, where: string): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreDataError(where, `${String(value)} is not a safe integer`);
  return n;
}

export function intOutOpt(value: number | string | bigint | null, where: string): number | undefined {
  return value === null ? undefined : intOut(value, where);
}

export function optOut(value: string | null): string | undefined {
  return value === null ? undefined : value;
}
