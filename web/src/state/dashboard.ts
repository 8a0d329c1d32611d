/**
 * The dashboard state: one `GET /api/dashboard/state`, read again after every event of the stream
 * (coalesced: at most one read in flight, and one more queued), and by a slow fallback timer (60 s
 * while the stream is open, 15 s while it is not) — never a fast polling loop.
 *
 * Invariants:
 * - `state` is the last answer the API gave (never replaced by an empty one on failure); `error` says
 *   why the last read failed and `fetchedAt` when the shown state was read.
 * - `refresh()` resolves once a read that started after the call has finished.
 * - `stream` is "connecting" from the page load until the event stream first opens (at most
 *   `STREAM_CONNECT_GRACE_MS`), "open" while it is, and "down" after that whenever it is not: a
 *   stream that never opened, or dropped, is stale data; one still connecting is not yet.
 */
import {
  createContext,
  createElement,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";
import { api, describeError } from "../api/client.js";
import type { DashboardState } from "../api/types.js";
import { openEventStream } from "./events.js";

/** How long the first connection of the event stream may take before it counts as down. */
export const STREAM_CONNECT_GRACE_MS = 10_000;

export type StreamState = "connecting" | "open" | "down";

export interface DashboardView {
  state: DashboardState | null;
  error: string | null;
  fetchedAt: number | null;
  streamConnected: boolean;
  stream: StreamState;
  /** Events received since the page loaded (shown in the footer, used by tests). */
  eventCount: number;
  refresh(): Promise<void>;
}

const DashboardContext = createContext<DashboardView | null>(null);

export function useDashboard(): DashboardView {
  const view = useContext(DashboardContext);
  if (!view) throw new Error("useDashboard outside DashboardProvider");
  return view;
}

export function DashboardProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<DashboardState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fetchedAt, setFetchedAt] = useState<number | null>(null);
  const [streamConnected, setStreamConnected] = useState(false);
  const [streamOpened, setStreamOpened] = useState(false);
  const [connectGraceOver, setConnectGraceOver] = useState(false);
  const [eventCount, setEventCount] = useState(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const queued = useRef<Promise<void> | null>(null);

  const readOnce = useCallback(async () => {
    try {
      const next = await api.state();
      setState(next);
      setError(null);
      setFetchedAt(Date.now());
    } catch (e) {
      setError(describeError(e));
    }
  }, []);

  const refresh = useCallback((): Promise<void> => {
    if (!inFlight.current) {
      const run = readOnce().finally(() => {
        inFlight.current = null;
      });
      inFlight.current = run;
      return run;
    }
    if (!queued.current) {
      const current = inFlight.current;
      queued.current = current.then(() => {
        queued.current = null;
        return refresh();
      });
    }
    return queued.current;
  }, [readOnce]);

  useEffect(() => {
    void refresh();
    const stream = openEventStream(
      () => {
        setEventCount((n) => n + 1);
        void refresh();
      },
      (connected) => {
        setStreamConnected(connected);
        if (connected) {
          setStreamOpened(true);
          void refresh();
        }
      },
    );
    const grace = setTimeout(() => setConnectGraceOver(true), STREAM_CONNECT_GRACE_MS);
    return () => {
      clearTimeout(grace);
      stream.close();
    };
  }, [refresh]);

  useEffect(() => {
    const timer = setInterval(() => void refresh(), streamConnected ? 60_000 : 15_000);
    return () => clearInterval(timer);
  }, [refresh, streamConnected]);

  const stream: StreamState = streamConnected
    ? "open"
    : !streamOpened && !connectGraceOver
      ? "connecting"
      : "down";
  const view: DashboardView = { state, error, fetchedAt, streamConnected, stream, eventCount, refresh };
  return createElement(DashboardContext.Provider, { value: view }, children);
}
