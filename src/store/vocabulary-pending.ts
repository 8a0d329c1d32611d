/**
 * The closed lists the store's enum columns hold, until the domain vocabulary (`src/domain`, issue 9)
 * lands: at merge the mirrored lists below become re-exports of `domain/orders.ts` and
 * `domain/trading.ts` (same names, same values), and the store-only lists stay here or move there.
 *
 * Invariants:
 * - Every enum column is written from one of these unions and read back through `parseMember`
 *   (membership in the list itself, never a cast and never a plain-object lookup): a value outside
 *   the list is a `StoreDataError` naming the table and column.
 * - The lists are append-only: a value removed from a list would make stored rows unreadable.
 */
import { StoreDataError } from "./errors.js";

// --- mirrors of src/domain (same names and values) -------------------------------------------------

export const SIDES = ["BUY", "SELL"] as const;
export type Side = (typeof SIDES)[number];

export const ORDER_TYPES = [
  "LIMIT",
  "MARKET",
  "STOP_LOSS",
  "STOP_LIMIT",
  "TAKE_PROFIT",
  "TAKE_PROFIT_LIMIT",
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Order states as the exchange reports them. */
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

export const ORDER_ROLES = ["ENTRY", "STOP_LOSS", "TAKE_PROFIT", "EXIT"] as const;
export type OrderRole = (typeof ORDER_ROLES)[number];

export const TRADING_MODES = ["LIVE", "DRY_RUN", "DEMO"] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

export const LIQUIDITIES = ["MAKER", "TAKER"] as const;
export type Liquidity = (typeof LIQUIDITIES)[number];

// --- the store's own -------------------------------------------------------------------------------

/**
 * What the store says of an order: the exchange's states plus two local ones. `PENDING_SUBMIT`: the
 * attempt row is committed and the request may or may not have left (a restart must probe by
 * client_oid before anything else). `UNKNOWN`: the request left and its outcome is not known yet.
 */
export const STORED_ORDER_STATUSES = [...ORDER_STATUSES, "PENDING_SUBMIT", "UNKNOWN"] as const;
export type StoredOrderStatus = (typeof STORED_ORDER_STATUSES)[number];

/** Stored statuses after which an order never changes again. */
export const FINAL_ORDER_STATUSES: readonly StoredOrderStatus[] = [
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
];

export const SIGNAL_STATUSES = ["PENDING", "ACCEPTED", "BLOCKED", "DUPLICATE", "DONE"] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

export const INTENT_KINDS = ["ENTRY", "EXIT", "PROTECT", "FLATTEN"] as const;
export type IntentKind = (typeof INTENT_KINDS)[number];

export const INTENT_STATUSES = ["NEW", "BLOCKED", "READY", "SUBMITTING", "PLACED", "DONE", "FAILED"] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

/** Intent statuses that never change again. */
export const FINAL_INTENT_STATUSES: readonly IntentStatus[] = ["BLOCKED", "DONE", "FAILED"];

export const LOT_STATUSES = ["OPENING", "OPEN", "CLOSING", "CLOSED"] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LOT_PROTECTIONS = [
  "NONE",
  "PENDING",
  "PROTECTED",
  "FAILED",
  "FLATTENING",
  "NOT_NEEDED",
] as const;
export type LotProtection = (typeof LOT_PROTECTIONS)[number];

export const EXIT_REASONS = ["TAKE_PROFIT", "STOP_LOSS", "SIGNAL", "FLATTEN", "MANUAL", "EXTERNAL"] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export const OUTBOX_STATES = ["PENDING", "SENT", "FAILED"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** `value` as a member of `list`, or a StoreDataError naming `where` (`table.column`). */
export function parseMember<const T extends string>(list: readonly T[], value: unknown, where: string): T {
  const members: readonly unknown[] = list;
  if (typeof value === "string" && members.includes(value)) return value as T;
  throw new StoreDataError(where, `${JSON.stringify(value)} is not one of ${list.join(", ")}`);
}
