/**
 * How a panel shows its read of the API (state/api-read.ts): why the last try failed, and that it is
 * tried again; before a first value, "Loading …" instead when nothing failed yet.
 */

/** The failed read's reason, or nothing when the last read succeeded. */
export function ReadFailed({ error, what }: { error: string | null; what: string }) {
  if (!error) return null;
  return (
    <p className="error" data-testid="read-error">
      Could not read the {what} ({error}); trying again.
    </p>
  );
}

/** What a panel shows before its first value: the failure, or "Loading …". */
export function ReadPending({ error, what }: { error: string | null; what: string }) {
  return error ? <ReadFailed error={error} what={what} /> : <p className="muted">Loading {what}…</p>;
}
