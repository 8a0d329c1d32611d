/**
 * The live event stream: `GET /api/events` through EventSource (which reconnects by itself and
 * resumes with Last-Event-ID). An SSE message's `event:` is the store event's kind; EventSource only
 * delivers named events to listeners of that name, so the dashboard listens to every kind it knows
 * of (any one of them only means "something changed: read the state again").
 *
 * Invariants:
 * - `onChange` is called for every event received, with its kind; the payload is not interpreted.
 * - `onStatus(true)` once the stream is open, `onStatus(false)` whenever it drops.
 */
export const STREAM_EVENT_KINDS = [
  "message",
  "order.placed",
  "order.filled",
  "order.rejected",
  "order.ambiguous",
  "order.canceled",
  "order.updated",
  "order.validation",
  "intent.blocked",
  "position.opened",
  "position.closed",
  "position.unprotected",
  "protection.placed",
  "protection.failed",
  "reconcile.correction",
  "settings.changed",
  "settings.set",
  "trading.auth_circuit_open",
  "trading.auth_circuit_closed",
  "trading.kill_switch",
  "trading.live",
  "watchlist.changed",
  "watchlist.upsert",
  "watchlist.remove",
  "signal",
  "signal.received",
  "incident.opened",
  "incident.closed",
  "diagnosis",
  "price",
  "prices",
  "ticker",
  "exchange.status",
] as const;

export interface StreamHandle {
  close(): void;
}

export function openEventStream(
  onChange: (kind: string) => void,
  onStatus: (connected: boolean) => void,
): StreamHandle {
  if (typeof EventSource === "undefined") {
    onStatus(false);
    return { close() {} };
  }
  const source = new EventSource("/api/events", { withCredentials: true });
  source.onopen = () => onStatus(true);
  source.onerror = () => onStatus(source.readyState === EventSource.OPEN);
  const listener = (e: Event) => onChange(e.type);
  for (const kind of STREAM_EVENT_KINDS) source.addEventListener(kind, listener);
  return {
    close() {
      for (const kind of STREAM_EVENT_KINDS) source.removeEventListener(kind, listener);
      source.close();
    },
  };
}
