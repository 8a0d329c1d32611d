/** What a panel shows before its first read arrives: "Loading …", or why the read failed and that it is tried again. */
export function ReadPending({ error, what }: { error: string | null; what: string }) {
  if (!error) return <p className="muted">Loading {what}…</p>;
  return (
    <p className="error" data-testid="read-error">
      Could not read the {what} ({error}); trying again.
    </p>
  );
}
