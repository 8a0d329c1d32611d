/**
 * The closed lists the store's enum columns hold: the domain vocabulary (`src/domain/orders.ts`,
 * `src/domain/trading.ts`), re-exported, and the store's own lists (local order states, signals,
 * intents, lots, protection, outbox).
 *
 * Invariants:
 * - Every enum column is written from one of these unions and read back through `parseMember`
 *   (membership in the list itself, never a cast and never a plain-object lookup): a value outside
 *   the list is a `StoreDataError` naming the table and column.
 * - The lists are append-only: a value removed from a list would make stored rows unreadable.
 */
import { ORDER_STATUSES } from "../domain/orders.js";
import { StoreDataError } from "./errors.js";

// --- from src/domain (re-exported so the store's columns read from one place) ---------------------

export {
  LIQUIDITIES,
  type Liquidity,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderStatus,
  type OrderType,
  SIDES,
  type Side,
} from "../domain/orders.js";
export { ORDER_ROLES, type OrderRole, TRADING_MODES, type TradingMode } from "../domain/trading.js";

// --- the store's own -------------------------------------------------------------------------------

/**
 * What the store says of an order: the exchange's states plus two local ones. `PENDING_SUBMIT`: the
 * attempt row is committed and the request may or may not have left (a restart must probe by
 * client_oid before anything else). `UNKNOWN`: the request left and its outcome is not known yet.
 */
export const STORED_ORDER_STATUSES = [...ORDER_STATUSES, "PENDING_SUBMIT", "UNKNOWN"] as const;
export type StoredOrderStatus = (typeof STORED_ORDER_STATUSES)[number];

/**
 * An attempt whose outcome the exchange has not told: the request may not have left
 * (PENDING_SUBMIT) or its answer was lost (UNKNOWN). It is found or confirmed absent by its
 * client_oid, never waited for like an acknowledged order.
 */
export const IN_DOUBT_ORDER_STATUSES: readonly StoredOrderStatus[] = ["PENDING_SUBMIT", "UNKNOWN"];
export const isInDoubt = (o: { status: StoredOrderStatus }): boolean =>
  IN_DOUBT_ORDER_STATUSES.includes(o.status);

/** Stored statuses after which an order never changes again. */
export const FINAL_ORDER_STATUSES: readonly StoredOrderStatus[] = [
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
];
export const isFinalOrder = (o: { status: StoredOrderStatus }): boolean =>
  FINAL_ORDER_STATUSES.includes(o.status);
/** Every stored status but the final ones: an order still open (or in doubt), as a positive list for `in (…)`. */
export const NON_FINAL_ORDER_STATUSES: readonly StoredOrderStatus[] = STORED_ORDER_STATUSES.filter(
  (st) => !FINAL_ORDER_STATUSES.includes(st),
);

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

export const LOT_EXIT_REASONS = [
  "TAKE_PROFIT",
  "STOP_LOSS",
  "SIGNAL",
  "FLATTEN",
  "MANUAL",
  "EXTERNAL",
] as const;
export type LotExitReason = (typeof LOT_EXIT_REASONS)[number];

/**
 * `SENDING`: the sender claimed the message and may have written the request (set BEFORE the
 * request leaves). `UNKNOWN`: a message found `SENDING` by a later sender (the previous one died
 * mid-send): it may or may not have been delivered, and is never re-sent automatically.
 */
export const OUTBOX_STATES = ["PENDING", "SENT", "FAILED", "SENDING", "UNKNOWN"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** `value` as a member of `list`, or a StoreDataError naming `where` (`table.column`). */
export function parseMember<const T extends string>(list: readonly T[], value: unknown, where: string): T {
  const members: readonly unknown[] = list;
  if (typeof value === "string" && members.includes(value)) return value as T;
  throw new StoreDataError(where, `${JSON.stringify(value)} is not one of ${list.join(", ")}`);
}
