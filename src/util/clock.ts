/**
 * Time as a dependency: a clock (`now()`) and timers (`setTimeout` / `clearTimeout`), injected into
 * everything that waits or stamps, so tests run on `ManualTime` and never on where the wall clock
 * happens to be.
 *
 * Invariants of `ManualTime`:
 * - Time moves only through `advance()` / `set()`; timers fire in due order (ties: creation order),
 *   each at its due instant (`now()` reads that instant inside the callback).
 * - After each timer callback, pending promise jobs run before the next timer fires, so async work
 *   a timer starts can schedule further timers inside the same `advance()`.
 */

export interface Clock {
  now(): number;
}

export type TimerHandle = { readonly id: number } | ReturnType<typeof setTimeout>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimeSource extends Clock, Timers {}

/** The process's own clock and timers. */
export const systemTime: TimeSource = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2_147_483_647)));
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` of `time` (a manual time resolves when advanced past it). */
export function sleepOn(time: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => time.setTimeout(resolve, ms));
}

interface Pending {
  id: number;
  due: number;
  fn: () => void;
}

/** Time that stands still until a test moves it. */
export class ManualTime implements TimeSource {
  private current: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.set(id, { id, due: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === "object" && handle !== null && "id" in handle && typeof handle.id === "number") {
      this.pending.delete(handle.id);
    }
  }

  /** Timers not yet fired. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(this.current + ms);
  }

  /** Moves time to `instant` (never backwards). */
  async set(instant: number): Promise<void> {
    await this.runUntil(Math.max(instant, this.current));
  }

  /** Lets pending promise jobs run without moving time. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
  }

  private async runUntil(target: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.nextDue();
      if (!next || next.due > target) break;
      this.pending.delete(next.id);
      this.current = next.due;
      next.fn();
      await this.settle();
    }
    this.current = target;
    await this.settle();
  }

  private nextDue(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending.values()) {
      if (!best || p.due < best.due || (p.due === best.due && p.id < best.id)) best = p;
    }
    return best;
  }
}
