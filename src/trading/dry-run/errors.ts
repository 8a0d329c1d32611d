/**
 * Refusals of the dry-run broker, shaped like the exchange's: an `ExchangeFailure` carrying the
 * matching core's code (the exchange's own code for the same refusal) and the category the live
 * client's catalogue gives that code, so the trader classifies a simulated rejection exactly as a
 * live one — by code and category, never by message text.
 *
 * Invariants:
 * - The table below is keyed by code and holds only the codes the matching core produces; its
 *   names and categories equal the live catalogue's (src/exchange/cryptocom/error-codes.ts, checked
 *   by test/trading/dry-run/errors.test.ts). An unlisted code is category `unknown` (skip).
 * - A dry-run refusal is never retryable and never ambiguous: the engine answered in process.
 */
import { AtpError, CATEGORY_DISPOSITION, type Disposition, type ErrorCategory } from "../../domain/errors.js";
import type { ExchangeFailure } from "../../exchange/types.js";
import { exchangeFailureOf } from "../exchange-failure.js";

/** Code → [name, category] for every code the matching core answers with. */
export const DRY_RUN_CODE_TABLE: ReadonlyMap<number, readonly [string, ErrorCategory]> = new Map([
  [204, ["DUPLICATE_CLORDID", "invalid_order"]],
  [209, ["INVALID_INSTRUMENT", "invalid_order"]],
  [212, ["INVALID_ORDERID", "not_found"]],
  [213, ["INVALID_ORDERQTY", "invalid_order"]],
  [218, ["INVALID_ORDTYPE", "invalid_order"]],
  [219, ["INVALID_EXECINST", "invalid_order"]],
  [229, ["INVALID_REF_PRICE", "invalid_order"]],
  [230, ["INVALID_REF_PRICE_TYPE", "invalid_order"]],
  [306, ["INSUFFICIENT_AVAILABLE_BALANCE", "insufficient_funds"]],
  [308, ["INVALID_PRICE", "invalid_order"]],
  [309, ["MARKET_IS_NOT_OPEN", "not_tradable"]],
  [314, ["EXCEEDS_MAX_ORDER_SIZE", "invalid_order"]],
  [315, ["FAR_AWAY_LIMIT_PRICE", "invalid_order"]],
  [316, ["NO_ACTIVE_ORDER", "not_found"]],
  [318, ["EXCEEDS_MAX_ALLOWED_ORDERS", "invalid_order"]],
  [415, ["BELOW_MIN_ORDER_SIZE", "invalid_order"]],
  [40004, ["MISSING_OR_INVALID_ARGUMENT", "bad_request"]],
  [43003, ["FILL_OR_KILL", "invalid_order"]],
  [43004, ["IMMEDIATE_OR_CANCEL", "invalid_order"]],
  [43005, ["POST_ONLY_REJ", "invalid_order"]],
  [140001, ["CONDITIONAL_ORDER_MIGRATED", "invalid_order"]],
] as const);

/** A refusal by the dry-run broker's matching core (or its market-data source). */
export class DryRunRefusal extends AtpError implements ExchangeFailure {
  readonly method: string;
  readonly category: ErrorCategory;
  readonly code: number | undefined;
  readonly codeName: string;
  readonly httpStatus = undefined;
  readonly retryable = false;
  readonly ambiguous = false;

  constructor(method: string, code: number | undefined, detail: string, category?: ErrorCategory) {
    const known = code !== undefined ? DRY_RUN_CODE_TABLE.get(code) : undefined;
    const cat = category ?? known?.[1] ?? "unknown";
    const name = known?.[0] ?? (code !== undefined ? `CODE_${code}` : cat.toUpperCase());
    super(`${method} (dry run): ${code !== undefined ? `${code} ` : ""}${name}: ${detail}`);
    this.name = "DryRunRefusal";
    this.method = method;
    this.code = code;
    this.codeName = name;
    this.category = cat;
  }

  get errorCode(): string {
    return `exchange.${this.category}`;
  }

  get disposition(): Disposition {
    return CATEGORY_DISPOSITION[this.category];
  }
}

/** A failure of the market-data source as an ExchangeFailure (kept as it is when it already is one). */
export function asExchangeFailure(method: string, e: unknown): ExchangeFailure {
  const f = exchangeFailureOf(e);
  if (f) return f;
  return new DryRunRefusal(method, undefined, e instanceof Error ? e.message : String(e), "network");
}
