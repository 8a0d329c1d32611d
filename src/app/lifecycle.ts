/**
 * A small lifecycle container: named components, each with an optional `start()` and `stop()`,
 * started in the order they were added and stopped in reverse.
 *
 * Invariants:
 * - Order is dependency order: a component is added when it is built, and it can only be built
 *   from components built (so added) before it. Stopping in reverse therefore never stops a
 *   component while something built on it still runs.
 * - `start()` starts every added component that has not started yet, in order, one at a time; it
 *   may be called again after more components were added. When one fails, the ones already
 *   running are stopped (reverse order) and the error is rethrown as it was.
 * - A component without `start()` runs from the moment it is added (a client, built ready).
 * - `stop()` never throws and never stops half-way: each component's stop is bounded by a timeout,
 *   a failure or a timeout is recorded in the outcome and the next component is still stopped.
 *   It is idempotent: later calls return the first call's outcome. It waits for a start still in
 *   progress, so a stop requested during start-up stops what start-up built.
 * - Nothing can be added once stopping began (it would never be stopped).
 */

/** "drain": let work in flight finish; "abort": fail it now (the caller has given up waiting). */
export type StopMode = "drain" | "abort";

export interface Component {
  readonly name: string;
  start?(): void | Promise<void>;
  stop?(mode: StopMode): void | Promise<void>;
}

export interface StopOutcome {
  name: string;
  result: "stopped" | "failed" | "timed out";
  /** The failure's message, for "failed". */
  error?: string;
}

export interface LifecycleOptions {
  /** Longest wait for one component's stop (default DEFAULT_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
}

export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

interface Entry {
  component: Component;
  running: boolean;
}

export class Lifecycle {
  private readonly entries: Entry[] = [];
  private starting: Promise<void> = Promise.resolve();
  private stopping: Promise<StopOutcome[]> | undefined;
  private readonly stopTimeoutMs: number;

  constructor(opts: LifecycleOptions = {}) {
    this.stopTimeoutMs = opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  }

  /** Adds `component` after every component added before it. Throws once stopping began. */
  add<C extends Component>(component: C): C {
    if (this.stopping) throw new Error(`cannot add ${component.name}: the runtime is stopping`);
    if (this.entries.some((e) => e.component.name === component.name))
      throw new Error(`a component named ${component.name} was added twice`);
    this.entries.push({ component, running: component.start === undefined });
    return component;
  }

  /** True once stopping began: nothing can be added any more. */
  get stopRequested(): boolean {
    return this.stopping !== undefined;
  }

  /** Names in start order, each with whether it runs (for tests and `atp` status lines). */
  get components(): { name: string; running: boolean }[] {
    return this.entries.map((e) => ({ name: e.component.name, running: e.running }));
  }

  /** Starts, in order, every added component that is not running yet. */
  start(): Promise<void> {
    const run = this.starting.then(() => this.startPending());
    this.starting = run.catch(() => {});
    return run;
  }

  private async startPending(): Promise<void> {
    for (const entry of this.entries) {
      if (this.stopping) throw new Error("the runtime was stopped while starting");
      if (entry.running) continue;
      try {
        await entry.component.start?.();
        entry.running = true;
      } catch (err) {
        // a stop requested meanwhile runs once this start settles; otherwise stop what runs now
        if (!this.stopping) {
          this.stopping = this.stopRunning("drain");
          await this.stopping;
        }
        throw err;
      }
    }
  }

  /** Stops every running component in reverse order; the outcome of each, in stop order. */
  stop(mode: StopMode = "drain"): Promise<StopOutcome[]> {
    this.stopping ??= this.starting.then(() => this.stopRunning(mode));
    return this.stopping;
  }

  private async stopRunning(mode: StopMode): Promise<StopOutcome[]> {
    const outcomes: StopOutcome[] = [];
    for (const entry of [...this.entries].reverse()) {
      if (!entry.running) continue;
      entry.running = false;
      outcomes.push(await this.stopOne(entry.component, mode));
    }
    return outcomes;
  }

  private async stopOne(c: Component, mode: StopMode): Promise<StopOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed out">((resolve) => {
      timer = setTimeout(() => resolve("timed out"), this.stopTimeoutMs);
    });
    try {
      const stopped = Promise.resolve().then(() => c.stop?.(mode));
      stopped.catch(() => {}); // a stop that fails after its timeout is not an unhandled rejection
      const r = await Promise.race([stopped.then(() => "stopped" as const), timedOut]);
      return { name: c.name, result: r };
    } catch (err) {
      return { name: c.name, result: "failed", error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
