/**
 * The live event stream: `GET /api/events` through EventSource (which reconnects by itself and
 * resumes with Last-Event-ID). Every message is an unnamed SSE event whose data is an ApiEvent; any
 * of them only means "something changed: read the state again".
 *
 * Invariants:
 * - `onChange` is called for every event received, with its kind; the payload is not interpreted.
 * - `onStatus(true)` once the stream is open, `onStatus(false)` whenever it drops.
 */
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
  source.onmessage = (e: MessageEvent<string>) => onChange(kindOf(e.data));
  return {
    close() {
      source.close();
    },
  };
}

/** The event's kind from its data (an ApiEvent), "message" when it cannot be read. */
function kindOf(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed && typeof parsed === "object" && "kind" in parsed && typeof parsed.kind === "string")
      return parsed.kind;
  } catch {
    // not JSON: still a change
  }
  return "message";
}
