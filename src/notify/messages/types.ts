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
/** The kinds and their switches: src/trading/services/notifications.ts (the API edits them too). */
import type { NotificationKind } from "../../trading/services/notifications.js";
import type { PayloadReader } from "./payload.js";

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
