/**
 * The guards' contract: what the pipeline asks (`GuardRequest`), what each guard answers
 * (`GuardCheck`) and the verdict (`GuardVerdict`) that goes into the intent's decision trace and,
 * through its `reasonCode`, into the store (intents.reason_code, signals.reason_code).
 *
 * Invariants:
 * - One settings source: every guard reads the store's settings and watchlist (never a copy).
 * - Fail closed: a guard that cannot read what it needs blocks, with its own code and the reason.
 * - Protective orders and cancels are never blocked by the kill switch (`protective: true`).
 * - The verdict lists every guard that ran, in order, with its outcome; the first failure is
 *   `reasonCode`.
 */
import type { Side } from "../../domain/orders.js";
import type { TradingMode } from "../../domain/trading.js";
import type { Dec } from "../../util/decimal.js";

/** Every reason a guard (or the pipeline around it) can block an order for. Append-only. */
export const GUARD_CODES = [
  "NOT_LEADER",
  "KILL_SWITCH",
  "NOT_IN_WATCHLIST",
  "TRADING_DISABLED",
  "AMOUNT_NOT_SET",
  "MAX_USD_PER_ORDER",
  "MAX_POSITIONS_SYMBOL",
  "MAX_POSITIONS_TOTAL",
  "COOLDOWN",
  "MAX_ORDERS_PER_DAY",
  "MAX_NOTIONAL_PER_DAY",
  "DAILY_LOSS_LIMIT",
  "STOPLOSS_GUARD",
  "INSUFFICIENT_BALANCE",
  "NO_POSITION",
  "AUTH_CIRCUIT_OPEN",
  "SIZE_BELOW_MINIMUM",
  "NO_MARKET_PRICE",
  "UNKNOWN_INSTRUMENT",
  "GUARD_ERROR",
] as const;
export type GuardCode = (typeof GUARD_CODES)[number];

export interface GuardRequest {
  /** ENTRY opens a lot (BUY); EXIT closes lots (SELL); protective orders are PROTECT/FLATTEN. */
  kind: "ENTRY" | "EXIT" | "PROTECT" | "FLATTEN";
  symbol: string;
  side: Side;
  mode: TradingMode;
  /** Quote amount of an entry (USD); for an EXIT the notional estimate when known. */
  amountUsd?: Dec | undefined;
  /** Base quantity of a SELL. */
  quantity?: Dec | undefined;
  /** A price to value the order with (last/ask), when known. */
  price?: Dec | undefined;
  /** True for protection, flattening and cancels: the kill switch never blocks them. */
  protective: boolean;
  /** Who asked: "engine", "cli", "webhook", … (manual orders skip nothing). */
  actor: string;
  /** The evaluation instant (ms): day boundaries (UTC), cooldowns and windows are measured from it. */
  now: number;
}

export interface GuardCheck {
  code: GuardCode;
  ok: boolean;
  /** What was compared, in words a trader reads ("2 open positions on BTC_USD, limit 2"). */
  detail: string;
}

export interface GuardVerdict {
  ok: boolean;
  /** The first failed guard's code (undefined when ok). */
  reasonCode: GuardCode | undefined;
  checks: GuardCheck[];
}
