/**
 * The live venue's updates when there is no user stream to open: proxy mode without a local key
 * (the signing proxy holds the key, and the user stream's `public/auth` must be signed here). The
 * source is never connected, so the trader confirms every order by order-detail polling (its
 * fallback when the stream is down) and reconciliation runs on its period; nothing else changes.
 */
import { EventEmitter } from "node:events";
import type { StartableUpdates } from "./engine.js";

export function pollingOnlyUpdates(): StartableUpdates {
  const events = new EventEmitter();
  return {
    on: (event, listener) => events.on(event, listener as (...a: unknown[]) => void),
    off: (event, listener) => events.off(event, listener as (...a: unknown[]) => void),
    connected: false,
    start: () => undefined,
    stop: async () => undefined,
  };
}
