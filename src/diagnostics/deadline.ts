/**
 * The doctor run's overall deadline (`totalMs`): its signal is the abort signal of the run's
 * transport, so every call, pending or not yet sent, stops when it fires.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly endsAt: number;

  constructor(totalMs: number, outer?: AbortSignal) {
    this.endsAt = performance.now() + totalMs;
    this.timer = setTimeout(() => this.controller.abort(new Error("deadline")), totalMs);
    this.timer.unref();
    if (outer) {
      if (outer.aborted) this.controller.abort(outer.reason);
      else outer.addEventListener("abort", () => this.controller.abort(outer.reason), { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
