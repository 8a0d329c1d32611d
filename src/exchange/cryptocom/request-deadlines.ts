/**
 * The overall deadlines of a transport's requests in flight, on one timer instead of one per request
 * (a timer per request is a Node `Timeout` created, listed and cleared on every call).
 *
 * Invariants:
 * - An entry whose deadline (monotonic ms, `performance.now()`) has passed is expired exactly once,
 *   when the timer fires at or after it; one removed before that is never expired.
 * - The timer is armed for the earliest deadline of the entries present when it was armed, and
 *   re-armed earlier when an entry with an earlier deadline arrives; when it fires it expires what is
 *   due and re-arms for the next deadline, or stops when nothing is left.
 * - The timer does not hold the process open (unref): a request in flight does, through its socket.
 */

export interface Expiring {
  /** Monotonic ms (`performance.now()`) after which the entry expires. */
  readonly deadline: number;
  expire(): void;
}

export class RequestDeadlines<T extends Expiring> {
  private readonly entries = new Set<T>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly fire = () => this.expireDue();

  add(entry: T): void {
    this.entries.add(entry);
    if (entry.deadline < this.armedFor) this.arm(entry.deadline);
  }

  delete(entry: T): void {
    this.entries.delete(entry);
  }

  /** Entries not yet expired nor removed. */
  get size(): number {
    return this.entries.size;
  }

  /** Stops the timer (entries stay; nothing expires until the next `add`). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - performance.now())));
    this.timer.unref();
  }

  private expireDue(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    const due: T[] = [];
    for (const e of this.entries) {
      if (e.deadline <= now) due.push(e);
      else if (e.deadline < next) next = e.deadline;
    }
    for (const e of due) {
      this.entries.delete(e);
      e.expire();
    }
    if (next !== Number.POSITIVE_INFINITY && next < this.armedFor) this.arm(next);
  }
}
