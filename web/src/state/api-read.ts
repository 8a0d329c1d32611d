/**
 * A panel's read of the API (`useApiRead`): the value, the error of the last failed try, and a new
 * try every READ_RETRY_MS while it fails. Read again when `deps` change or on `reload()`.
 *
 * Invariants:
 * - A failure never clears the value read before: the panel keeps it on screen beside the error,
 *   and is never left on "Loading…" or on an error until the page is reloaded.
 * - A read that a newer one replaced (deps changed, reload, the panel gone) changes nothing.
 */
import { useCallback, useEffect, useState } from "react";
import { describeError } from "../api/client.js";

export const READ_RETRY_MS = 2_000;

export interface ApiRead<T> {
  value: T | null;
  /** Why the last try failed; null once a read succeeds. */
  error: string | null;
  /** Replaces the value (what a change answered with). */
  set(value: T): void;
  /** Reads again now. */
  reload(): void;
}

export function useApiRead<T>(read: () => Promise<T>, deps: readonly unknown[]): ApiRead<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` is the caller's closure over `deps`
  useEffect(() => {
    let current = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    read().then(
      (v) => {
        if (!current) return;
        setValue(v);
        setError(null);
      },
      (e: unknown) => {
        if (!current) return;
        setError(describeError(e));
        retry = setTimeout(() => setRound((n) => n + 1), READ_RETRY_MS);
      },
    );
    return () => {
      current = false;
      if (retry !== undefined) clearTimeout(retry);
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { value, error, set: setValue, reload };
}
