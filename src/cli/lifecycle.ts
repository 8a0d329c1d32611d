/**
 * How a running command is asked to stop, in one place: Ctrl-C (SIGINT), SIGTERM, or its reader
 * going away (stdout or stderr closed: `atp demo | head -3`, a closed terminal).
 *
 * Invariants:
 * - A write to a closed stdout/stderr (EPIPE) never becomes an uncaught `write EPIPE` stack: the
 *   error is absorbed here, once for every command, and long-running commands (demo, emulator)
 *   are told to stop through `onStop`, so they close what they opened and end quietly.
 * - Any other stream error is not ours to hide: it is rethrown.
 * - The first stop request (SIGINT, SIGTERM or closed output) asks the command to stop, once; the
 *   command then stops its runtime, whose every component stop is bounded by a timeout. A signal
 *   after that is the user insisting: the process exits at once (128 + the signal's number, the
 *   shell's convention), without waiting for the stop to finish — except the same signal again
 *   within SIGNAL_ECHO_MS: one Ctrl-C reaches atp twice under `npm start` (the terminal signals the
 *   whole foreground group, and npm forwards what it got to its child), and that is one request.
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

/** What `onStop` listens on and how it exits (the process; tests pass stand-ins). */
export interface StopSignals {
  on(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  exit(code: number): void;
  /** Where the "exiting at once" line goes. */
  warn(line: string): void;
  /** Monotonic ms (default performance.now): tells a signal's echo from a second request. */
  now?: () => number;
}

/** The same signal again this soon after the first is its echo, not the user insisting. */
export const SIGNAL_ECHO_MS = 300;

const processSignals: StopSignals = {
  on: (signal, listener) => process.on(signal, listener),
  off: (signal, listener) => process.off(signal, listener),
  exit: (code) => process.exit(code),
  warn: (line) => {
    if (!outputClosed) process.stderr.write(line);
  },
};

const EXIT_CODE = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Calls `stop` once on SIGINT, SIGTERM or closed output; `why` says which. A signal after that
 * exits the process at once. Returns the function that unregisters it (call it when the command
 * ends, so signals get their default meaning back).
 */
export function onStop(
  stop: (why: "signal" | "output closed") => void,
  signals: StopSignals = processSignals,
): () => void {
  let done = false;
  const now = signals.now ?? (() => performance.now());
  let first: { signal: "SIGINT" | "SIGTERM"; at: number } | undefined;
  const once = (why: "signal" | "output closed") => {
    if (done) return;
    done = true;
    stop(why);
  };
  const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const listener = () => {
      if (!done) {
        first = { signal, at: now() };
        return once("signal");
      }
      if (first && first.signal === signal && now() - first.at < SIGNAL_ECHO_MS) return;
      signals.warn(`atp: ${signal} again: exiting at once, without waiting for the stop to finish\n`);
      signals.exit(EXIT_CODE[signal]);
    };
    signals.on(signal, listener);
    return [signal, listener] as const;
  });
  const byOutput = () => once("output closed");
  stopListeners.add(byOutput);
  if (outputClosed) queueMicrotask(byOutput);
  return () => {
    for (const [signal, listener] of listeners) signals.off(signal, listener);
    stopListeners.delete(byOutput);
  };
}
