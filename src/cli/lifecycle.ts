/**
 * How a running command is asked to stop, in one place: Ctrl-C (SIGINT), SIGTERM, or its reader
 * going away (stdout or stderr closed: `atp demo | head -3`, a closed terminal).
 *
 * Invariants:
 * - A write to a closed stdout/stderr (EPIPE) never becomes an uncaught `write EPIPE` stack: the
 *   error is absorbed here, once for every command, and long-running commands (demo, emulator)
 *   are told to stop through `onStop`, so they close what they opened and end quietly.
 * - Any other stream error is not ours to hide: it is rethrown.
 */

const stopListeners = new Set<() => void>();
let guarded = false;
let outputClosed = false;

function closedOutput(err: NodeJS.ErrnoException): boolean {
  return err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED";
}

/** Absorbs EPIPE on stdout and stderr and turns it into a stop request. Idempotent. */
export function guardOutput(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (!closedOutput(err)) throw err;
      if (outputClosed) return;
      outputClosed = true;
      for (const stop of [...stopListeners]) stop();
    });
  }
}

/** True once a reader closed stdout or stderr. */
export function isOutputClosed(): boolean {
  return outputClosed;
}

/**
 * Calls `stop` once on SIGINT, SIGTERM or closed output; `why` says which. Returns the function that
 * unregisters it (call it when the command ends, so signals get their default meaning back).
 */
export function onStop(stop: (why: "signal" | "output closed") => void): () => void {
  let done = false;
  const once = (why: "signal" | "output closed") => {
    if (done) return;
    done = true;
    stop(why);
  };
  const bySignal = () => once("signal");
  const byOutput = () => once("output closed");
  process.on("SIGINT", bySignal);
  process.on("SIGTERM", bySignal);
  stopListeners.add(byOutput);
  if (outputClosed) queueMicrotask(byOutput);
  return () => {
    process.off("SIGINT", bySignal);
    process.off("SIGTERM", bySignal);
    stopListeners.delete(byOutput);
  };
}
