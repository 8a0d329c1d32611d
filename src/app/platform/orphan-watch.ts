/**
 * Stops atp when the process that started it goes away. `npm start` runs atp as a child of npm
 * (through a shell in some npm versions); npm does not forward every signal to it, so `kill -TERM
 * <npm pid>` (what systemd, docker and process managers do) would leave atp running as an orphan on
 * its port. When started by npm (`npm_lifecycle_event` is "start") atp polls its parent's pid and,
 * when it changed (re-parented to init or a subreaper), stops exactly as for SIGTERM.
 *
 * Invariants:
 * - Off unless started by an npm script; the poll timer never holds the event loop.
 * - Calls `onOrphaned` at most once.
 */

export interface OrphanWatchOptions {
  /** Default process.env.npm_lifecycle_event === "start". */
  enabled?: boolean;
  /** Default 500 ms. */
  intervalMs?: number;
  /** Default () => process.ppid. */
  parentPid?: () => number;
}

/** Starts watching; returns the function that stops it. */
export function watchForOrphaning(onOrphaned: () => void, o: OrphanWatchOptions = {}): () => void {
  const enabled = o.enabled ?? process.env.npm_lifecycle_event === "start";
  if (!enabled) return () => undefined;
  const ppid = o.parentPid ?? (() => process.ppid);
  const first = ppid();
  const timer = setInterval(() => {
    if (ppid() === first) return;
    clearInterval(timer);
    onOrphaned();
  }, o.intervalMs ?? 500);
  timer.unref();
  return () => clearInterval(timer);
}
