/**
 * The event → message mapper: the renderer of each event kind, looked up in a Map (event kinds come
 * from the store, never as plain-object keys). Kinds without a renderer are not notified.
 */
import { renderIncidentClosed, renderIncidentOpened } from "./auth.js";
import { renderOrderFilled, renderOrderPlaced, renderPositionClosed } from "./orders.js";
import { renderPositionUnprotected, renderProtectionFailed, renderProtectionPlaced } from "./protection.js";
import { renderIntentBlocked, renderOrderRejected } from "./rejected.js";
import { renderSignal } from "./signal.js";
import type { MessageRenderer } from "./types.js";

export const EVENT_RENDERERS: ReadonlyMap<string, MessageRenderer> = new Map<string, MessageRenderer>([
  ["signal.received", renderSignal],
  ["order.placed", renderOrderPlaced],
  ["order.filled", renderOrderFilled],
  ["position.closed", renderPositionClosed],
  ["protection.placed", renderProtectionPlaced],
  ["protection.failed", renderProtectionFailed],
  ["position.unprotected", renderPositionUnprotected],
  ["auth.incident_opened", renderIncidentOpened],
  ["auth.incident_closed", renderIncidentClosed],
  ["order.rejected", renderOrderRejected],
  ["intent.blocked", renderIntentBlocked],
]);
