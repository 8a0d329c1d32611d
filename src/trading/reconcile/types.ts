/**
 * The reconciler's contract: its options, the hooks it calls into the trader, and the report of
 * one pass. See docs/trading/reconcile.md.
 */
import type { TradingMode } from "../../domain/trading.js";
import type { Order } from "../../exchange/types.js";
import type { TradingContext, Venue } from "../context.js";

export interface ReconcileHooks {
  /** Protects an open lot (the trader's protectLot); a throw flags the lot instead. */
  protect(lotId: string): Promise<void>;
  /** Applies an exchange order update so lots follow (the trader's onVenueUpdate). */
  applyUpdate?(o: Order, mode: TradingMode): Promise<void>;
}

export interface ReconcilerOptions {
  ctx: TradingContext;
  venue: Venue;
  hooks: ReconcileHooks;
  /** Between scheduled passes (default 15 000). */
  intervalMs?: number;
  /** How far back order history and trades are read (default 1 h). */
  historyWindowMs?: number;
  /** client_oid prefixes of orders this atp placed (default `atp-` and `dry-`). */
  ourPrefixes?: string[];
  /**
   * A PENDING_SUBMIT/UNKNOWN attempt the exchange does not know is resolved as not placed only
   * when it is older than this (default 120 000: past the exchange's 60 s nonce window, after
   * which a lost request can no longer be accepted).
   */
  pendingGraceMs?: number;
}

export interface ReconcileReport {
  /** Exchange orders unknown locally, adopted as ours (client_oid prefix). */
  adopted: number;
  /** Exchange orders unknown locally, recorded as external. */
  external: number;
  /** Known orders brought up to date from the exchange's open list. */
  updated: number;
  /** Local non-final orders the exchange no longer lists, resolved (history, order detail, or not placed). */
  resolved: number;
  /** New trades inserted. */
  fills: number;
  /** Lots handed to `hooks.protect`. */
  protectRequested: number;
  /** Lots flagged `position.unprotected`. */
  flagged: number;
  /** Local non-final orders neither listed nor found (left as they are, logged). */
  unresolved: number;
  /** Open lots holding more of a currency than the account's balance. */
  balanceMismatches: number;
  /** Audit entries written. */
  corrections: number;
  durationMs: number;
  /** Set when the pass did nothing because this process is not the leader. */
  skipped?: "not_leader" | undefined;
}

export function emptyReconcileReport(): ReconcileReport {
  return {
    adopted: 0,
    external: 0,
    updated: 0,
    resolved: 0,
    fills: 0,
    protectRequested: 0,
    flagged: 0,
    unresolved: 0,
    balanceMismatches: 0,
    corrections: 0,
    durationMs: 0,
  };
}
