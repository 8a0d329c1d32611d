/**
 * The one test of "is this an exchange failure" for trading code: anything thrown or carried that
 * has the shape of an `ExchangeFailure` (an Error with a string `category` and a `method`), duck-typed
 * so that trading never imports a venue's error classes. Decisions use its category (classified from
 * the exchange's code by the client), never its message.
 */
import type { ExchangeFailure } from "../exchange/types.js";

export function exchangeFailureOf(value: unknown): ExchangeFailure | undefined {
  if (!(value instanceof Error) || !("category" in value) || !("method" in value)) return undefined;
  return typeof value.category === "string" ? (value as ExchangeFailure) : undefined;
}
