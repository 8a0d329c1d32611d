/**
 * A user action against the API (a mutation): busy while it runs, its failure in words, and the
 * dashboard state read again after it succeeded so that every page shows the result.
 */
import { useCallback, useState } from "react";
import { describeError } from "../api/client.js";
import { useDashboard } from "./dashboard.js";

export interface ActionView {
  busy: boolean;
  error: string | null;
  /** Runs `fn`; resolves to its result, or undefined when it failed (the failure is in `error`). */
  run<R>(fn: () => Promise<R>): Promise<R | undefined>;
  clear(): void;
}

export function useAction(): ActionView {
  const { refresh } = useDashboard();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <R>(fn: () => Promise<R>): Promise<R | undefined> => {
      setBusy(true);
      setError(null);
      try {
        const result = await fn();
        await refresh();
        return result;
      } catch (e) {
        setError(describeError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [refresh],
  );
  return { busy, error, run, clear: () => setError(null) };
}
