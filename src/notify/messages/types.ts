/**
 * The event → message mapper's contract: one renderer per event kind (messages/*.ts), registered in
 * messages/index.ts. A renderer runs inside the transaction that appended the event and reads what
 * it needs through that transaction's repositories.
 *
 * Invariants:
 * - A renderer never throws for a malformed payload: missing fields render as "?" (or the event is
 *   skipped by answering undefined), so a notification can never roll back the state change.
 * - `text` is complete Telegram HTML (mode badge first, everything from outside escaped).
 */
import type { TradingMode } from "../../domain/trading.js";
import type { EventRecord, Repositories } from "../../store/types.js";
import type { PayloadReader } from "./payload.js";

/** Notification kinds, as the per-kind switches name them, with their defaults. */
export const NOTIFICATION_KINDS = [
  "signal",
  "order.placed",
  "order.filled",
  "position.closed",
  "protection.placed",
  "protection.failed",
  "position.unprotected",
  "auth.incident_opened",
  "auth.incident_closed",
  "order.rejected",
  "guard.blocked",
  "loss.tripped",
  "daily.summary",
  "delivery.notice",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Critical kinds: never "off" (a stored "off" reads as "on"); "silent" is allowed. */
export const CRITICAL_KINDS: ReadonlySet<NotificationKind> = new Set([
  "protection.failed",
  "position.unprotected",
  "auth.incident_opened",
  "delivery.notice",
]);

export interface MessageInput {
  event: EventRecord;
  p: PayloadReader;
  /** The mode the message shows (the event's own, else the mode a new intent would get now). */
  mode: TradingMode;
  tx: Repositories;
}

export interface NotificationDraft {
  kind: NotificationKind;
  text: string;
  /** Throttled kinds: one message per key and throttle window (the window joins the dedup key). */
  throttleKey?: string | undefined;
}

export type MessageRenderer = (m: MessageInput) => Promise<NotificationDraft | undefined>;

/** A field's text or "?" (never an empty gap in a message). */
export const orQ = (v: string | undefined | null): string => (v === undefined || v === null ? "?" : v);
