/**
 * Local order book from `book.{instrument}.{depth}` pushes (reference §7): a snapshot
 * `{asks, bids, t, u}` then deltas `{update: {asks, bids}, t, u, pu}`.
 *
 * Invariants:
 * - A delta is applied only when its `pu` equals the last applied `u`; otherwise the book is
 *   marked out of sync, the gap is reported, and every delta is ignored until the next snapshot.
 * - Levels are keyed by the exchange's price text parsed as `Dec`; a size of 0 removes the level.
 */
import type { BookLevel, OrderBook } from "../../types.js";
import { parseLevels } from "../parsers/market.js";
import { int, ms, obj } from "../parsers/wire.js";

export type BookApplyResult =
  | { kind: "applied" }
  | { kind: "gap"; expected: number; got: number }
  | { kind: "ignored" };

export class LocalBook {
  private bids = new Map<string, BookLevel>();
  private asks = new Map<string, BookLevel>();
  private lastU: number | undefined;
  private time = 0;
  inSync = false;

  constructor(
    readonly symbol: string,
    readonly depth: number,
  ) {}

  /** Applies one `data[]` element of a book push (snapshot or delta). */
  apply(v: unknown): BookApplyResult {
    const d = obj(v, "book");
    if (d.update !== undefined) return this.delta(d);
    this.bids = toMap(parseLevels(d.bids, "book.bids"));
    this.asks = toMap(parseLevels(d.asks, "book.asks"));
    this.lastU = d.u === undefined ? undefined : int(d.u, "book.u");
    this.time = ms(d.t, "book.t");
    this.inSync = true;
    return { kind: "applied" };
  }

  private delta(d: Record<string, unknown>): BookApplyResult {
    if (!this.inSync) return { kind: "ignored" };
    const u = int(d.u, "book.u");
    const pu = d.pu === undefined || d.pu === null ? undefined : int(d.pu, "book.pu");
    if (pu !== undefined && this.lastU !== undefined && pu !== this.lastU) {
      this.inSync = false;
      return { kind: "gap", expected: this.lastU, got: pu };
    }
    const up = obj(d.update, "book.update");
    merge(this.bids, parseLevels(up.bids, "book.update.bids"));
    merge(this.asks, parseLevels(up.asks, "book.update.asks"));
    this.lastU = u;
    this.time = ms(d.t, "book.t") || this.time;
    return { kind: "applied" };
  }

  /** Marks the book stale (e.g. on disconnect): deltas are ignored until the next snapshot. */
  invalidate(): void {
    this.inSync = false;
  }

  snapshot(): OrderBook {
    const bids = [...this.bids.values()].sort((a, b) => b.price.comparedTo(a.price)).slice(0, this.depth);
    const asks = [...this.asks.values()].sort((a, b) => a.price.comparedTo(b.price)).slice(0, this.depth);
    return { symbol: this.symbol, bids, asks, time: this.time, sequence: this.lastU };
  }
}

function key(l: BookLevel): string {
  return l.price.toFixed();
}

function toMap(levels: BookLevel[]): Map<string, BookLevel> {
  const m = new Map<string, BookLevel>();
  for (const l of levels) if (!l.quantity.isZero()) m.set(key(l), l);
  return m;
}

function merge(m: Map<string, BookLevel>, levels: BookLevel[]): void {
  for (const l of levels) {
    if (l.quantity.isZero()) m.delete(key(l));
    else m.set(key(l), l);
  }
}
