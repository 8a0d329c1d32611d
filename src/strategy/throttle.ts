/**
 * Signal throttle per (symbol, strategy, side). BUY and SELL are independent.
 *
 * A signal is emitted when, in this order:
 * 1. there is no earlier emitted signal for the key (FIRST_SIGNAL), or
 * 2. the coin's configuration changed since the last emitted signal (CONFIG_CHANGED: exactly one
 *    immediate signal; the new hash is recorded with it, so the gates apply again afterwards), or
 * 3. at least `minIntervalMs` passed since the last emitted signal (else THROTTLED_TIME_GATE) and the
 *    price moved at least `minPriceChangePct` % from that signal's price (else THROTTLED_PRICE_GATE).
 *
 * State lives in a cache loaded from a `ThrottleStore` at start and written through on every emitted
 * signal, so a restart does not re-alert. `admit()` updates the cache synchronously before the write,
 * so two evaluations racing on one key cannot both emit.
 */
import type { Side } from "../domain/orders.js";

export interface ThrottleKey {
  symbol: string;
  strategy: string;
  side: Side;
}

/** One persisted row: the last emitted signal of a key. */
export interface ThrottleRecord extends ThrottleKey {
  /** Price of the last emitted signal (the baseline of the price gate). */
  price: number;
  /** When it was emitted (ms). */
  at: number;
  /** Configuration hash in effect when it was emitted. */
  configHash: string;
}

/** Persistence of throttle state (in memory now; the SQL store implements it later). */
export interface ThrottleStore {
  /** Every stored record (called once when the throttle opens). */
  load(): Promise<ThrottleRecord[]>;
  /** Inserts or replaces the record of its key. */
  save(record: ThrottleRecord): Promise<void>;
}

export class MemoryThrottleStore implements ThrottleStore {
  private readonly rows = new Map<string, ThrottleRecord>();

  async load(): Promise<ThrottleRecord[]> {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  async save(record: ThrottleRecord): Promise<void> {
    this.rows.set(keyString(record), { ...record });
  }
}

export type ThrottleCode =
  | "FIRST_SIGNAL"
  | "CONFIG_CHANGED"
  | "PASSED_GATES"
  | "THROTTLED_TIME_GATE"
  | "THROTTLED_PRICE_GATE";

export interface ThrottleVerdict {
  emit: boolean;
  code: ThrottleCode;
  detail: string;
  /** The previous emitted signal of this key, if any. */
  previous?: ThrottleRecord;
}

export interface ThrottleRequest extends ThrottleKey {
  price: number;
  now: number;
  configHash: string;
  /** Price gate: minimum % move since the last emitted signal of this key. */
  minPriceChangePct: number;
}

function keyString(k: ThrottleKey): string {
  return `${k.symbol}\u0000${k.strategy}\u0000${k.side}`;
}

export class Throttle {
  private readonly cache = new Map<string, ThrottleRecord>();

  private constructor(
    private readonly store: ThrottleStore,
    readonly minIntervalMs: number,
  ) {}

  /** Loads the stored state; `minIntervalMs` is the time gate (the original: 60 s). */
  static async open(store: ThrottleStore, minIntervalMs: number): Promise<Throttle> {
    const t = new Throttle(store, minIntervalMs);
    for (const r of await store.load()) t.cache.set(keyString(r), { ...r });
    return t;
  }

  /** The verdict for a candidate signal, without recording anything. */
  check(req: ThrottleRequest): ThrottleVerdict {
    const prev = this.cache.get(keyString(req));
    if (!prev)
      return { emit: true, code: "FIRST_SIGNAL", detail: `first ${req.side} signal for ${req.strategy}` };
    if (prev.configHash !== req.configHash) {
      return {
        emit: true,
        code: "CONFIG_CHANGED",
        detail: "configuration changed since the last signal: one immediate signal allowed",
        previous: prev,
      };
    }
    const elapsed = req.now - prev.at;
    if (elapsed < this.minIntervalMs) {
      return {
        emit: false,
        code: "THROTTLED_TIME_GATE",
        detail: `${Math.round(elapsed / 1000)} s since the last ${req.side} signal, minimum ${Math.round(this.minIntervalMs / 1000)} s`,
        previous: prev,
      };
    }
    const movePct = (Math.abs(req.price - prev.price) / prev.price) * 100;
    if (movePct < req.minPriceChangePct) {
      return {
        emit: false,
        code: "THROTTLED_PRICE_GATE",
        detail: `price moved ${movePct.toFixed(2)} % since the last ${req.side} signal at ${prev.price}, minimum ${req.minPriceChangePct} %`,
        previous: prev,
      };
    }
    return {
      emit: true,
      code: "PASSED_GATES",
      detail: `${Math.round(elapsed / 1000)} s and ${movePct.toFixed(2)} % since the last ${req.side} signal`,
      previous: prev,
    };
  }

  /**
   * Checks and, when the signal may go out, records it at once (cache) and persists it. Await
   * `saved` before announcing the signal: once it resolves, a restart will not re-alert.
   */
  admit(req: ThrottleRequest): { verdict: ThrottleVerdict; saved: Promise<void> } {
    const verdict = this.check(req);
    if (!verdict.emit) return { verdict, saved: Promise.resolve() };
    const record: ThrottleRecord = {
      symbol: req.symbol,
      strategy: req.strategy,
      side: req.side,
      price: req.price,
      at: req.now,
      configHash: req.configHash,
    };
    this.cache.set(keyString(record), record);
    return { verdict, saved: this.store.save({ ...record }) };
  }

  /** The last emitted signal of a key (dashboard, tests). */
  last(key: ThrottleKey): ThrottleRecord | undefined {
    const r = this.cache.get(keyString(key));
    return r ? { ...r } : undefined;
  }
}
