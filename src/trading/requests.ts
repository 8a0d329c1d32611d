/**
 * What callers hand the trader (`TradeRequest`) and what they get back (`TradeResult`): the one
 * request shape for engine signals, the CLI and (later) webhooks and Telegram.
 *
 * Invariants:
 * - `idempotencyKey` is unique per request: the same key twice is one intent and at most one order
 *   (the second call answers "duplicate" with the existing intent).
 * - Money is `Dec`; nothing here is a JS number.
 */
import type { Side } from "../domain/orders.js";
import type { Intent, Lot, OrderRecord } from "../store/types.js";
import type { Dec } from "../util/decimal.js";
import type { GuardVerdict } from "./guards/types.js";

export interface TradeRequest {
  symbol: string;
  side: Side;
  /** "engine" | "cli" | "webhook" | … */
  source: string;
  actor: string;
  idempotencyKey: string;
  amountUsd?: Dec | undefined;
  signalId?: string | undefined;
  strategy?: string | undefined;
  /** The signal's price (used to value the order for the guards when no market price is known). */
  price?: Dec | undefined;
}

export type TradeOutcome = "duplicate" | "blocked" | "placed" | "filled" | "failed";

export type TradeResult = {
  outcome: TradeOutcome;
  intent: Intent;
  verdict?: GuardVerdict | undefined;
  orders: OrderRecord[];
  lot?: Lot | undefined;
  message: string;
};

/**
 * What became of a request once it is decided (its intent committed SUBMITTING or BLOCKED, or found
 * to be a duplicate): for a new entry, before its order is sent.
 */
export interface RequestDecision {
  outcome: "accepted" | "blocked" | "duplicate";
  intent: Intent;
}

export type OnDecided = (d: RequestDecision) => void;
