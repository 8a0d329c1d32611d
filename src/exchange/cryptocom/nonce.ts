/**
 * Nonces and request ids (reference §3.2).
 *
 * Invariants:
 * - A nonce is ms since the epoch (plus the applied clock offset, when enabled) and is strictly
 *   increasing within the process, even when the wall clock steps back: a step back makes the
 *   nonce advance by 1 ms per request until the clock catches up.
 * - The one exception is `rebase()`, called only after the exchange refused a nonce (40102) and
 *   the measured offset shows our nonces are ahead of its clock: continuing to count up from the
 *   last nonce would keep every request outside the exchange's window.
 * - Request ids are strictly increasing, seeded from the start time so they are unique across restarts.
 */

export class NonceSource {
  private last = 0;
  private lastId: number;
  private offsetMs = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.lastId = Math.floor(now());
  }

  /** The offset (exchange clock − local clock, ms) added to every nonce; 0 unless applied. */
  get appliedOffsetMs(): number {
    return this.offsetMs;
  }

  setOffset(offsetMs: number): void {
    this.offsetMs = Math.round(offsetMs);
  }

  /** The nonce the wall clock (plus offset) would give now, ignoring monotonicity. */
  candidate(): number {
    return Math.floor(this.now()) + this.offsetMs;
  }

  next(): number {
    const t = this.candidate();
    const n = t > this.last ? t : this.last + 1;
    this.last = n;
    return n;
  }

  /** Last nonce handed out (0 before the first). */
  get lastNonce(): number {
    return this.last;
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /**
   * Lets the next nonce go back to the (offset-corrected) clock. Returns how far back it jumps
   * (0 when no rebase was needed). Only for after a 40102 with a fresh offset measurement.
   */
  rebase(): number {
    const t = this.candidate();
    if (t >= this.last) return 0;
    const back = this.last - t;
    this.last = t - 1;
    return back;
  }
}
