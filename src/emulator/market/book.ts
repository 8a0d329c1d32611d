/**
 * The simulated order book of one instrument: `BOOK_LEVELS` levels a side around the mid price,
 * prices on the price tick and sizes on the quantity tick (decimals built from integer tick counts,
 * never from floats), regenerated at each market tick and depleted by fills in between.
 * `u` increases by one at every change; subscribers diff snapshots to produce `book.update` deltas.
 */
import type { Instrument } from "../../exchange/cryptocom/instruments.js";
import type { Dec } from "../../util/decimal.js";
import type { VenueBookLevel } from "../matching/types.js";
import type { Rng } from "../rng.js";

export const BOOK_LEVELS = 150;

export interface Book {
  bids: VenueBookLevel[];
  asks: VenueBookLevel[];
  /** Update id (monotonic). */
  u: number;
  /** Market time of the last change (ms). */
  t: number;
}

/** Quote value of one level, before randomisation (a few thousand USD near the top). */
const LEVEL_VALUE = 4_000;

export function generateBook(inst: Instrument, mid: number, rng: Rng, u: number, t: number): Book {
  const tick = inst.priceTickSize.toNumber();
  const qtyTick = inst.qtyTickSize.toNumber();
  const midTicks = Math.max(2, Math.round(mid / tick));
  // Spread ≈ 2 bps (at least one tick); level spacing ≈ 1.5 bps (at least one tick).
  const halfSpread = Math.max(1, Math.round((mid * 0.0001) / tick));
  const spacing = Math.max(1, Math.round((mid * 0.00015) / tick));
  const bids: VenueBookLevel[] = [];
  const asks: VenueBookLevel[] = [];
  for (let i = 0; i < BOOK_LEVELS; i++) {
    const bidTicks = midTicks - halfSpread - i * spacing;
    const askTicks = midTicks + halfSpread + i * spacing;
    const depthFactor = 1 + i * 0.03;
    const bidQty = Math.max(1, Math.round((LEVEL_VALUE * depthFactor * rng.range(0.2, 1.8)) / mid / qtyTick));
    const askQty = Math.max(1, Math.round((LEVEL_VALUE * depthFactor * rng.range(0.2, 1.8)) / mid / qtyTick));
    if (bidTicks >= 1)
      bids.push({ price: inst.priceTickSize.mul(bidTicks), qty: inst.qtyTickSize.mul(bidQty) });
    asks.push({ price: inst.priceTickSize.mul(askTicks), qty: inst.qtyTickSize.mul(askQty) });
  }
  return { bids, asks, u, t };
}

/** Removes `qty` at `price` from one side (a fill took it). Returns whether the book changed. */
export function consumeLevel(book: Book, side: "bids" | "asks", price: Dec, qty: Dec): boolean {
  const levels = book[side];
  const i = levels.findIndex((l) => l.price.eq(price));
  if (i < 0) return false;
  const left = levels[i]!.qty.sub(qty);
  if (left.lte(0)) levels.splice(i, 1);
  else levels[i] = { price: levels[i]!.price, qty: left };
  return true;
}

export type WireLevel = [string, string, string];

/** Levels as the exchange sends them: [price, quantity, number of orders] strings. */
export function levelsToWire(
  levels: readonly VenueBookLevel[],
  depth: number,
  pdp: number,
  qdp: number,
): WireLevel[] {
  const out: WireLevel[] = [];
  const n = Math.min(depth, levels.length);
  for (let i = 0; i < n; i++) {
    const l = levels[i]!;
    out.push([l.price.toFixed(pdp), l.qty.toFixed(qdp), "1"]);
  }
  return out;
}

/**
 * Delta between two top-`depth` views of one side: changed or new levels with their size, removed
 * levels with size "0".
 */
export function diffSide(before: readonly WireLevel[], after: readonly WireLevel[]): WireLevel[] {
  const prev = new Map(before.map((l) => [l[0], l]));
  const out: WireLevel[] = [];
  const seen = new Set<string>();
  for (const l of after) {
    seen.add(l[0]);
    const p = prev.get(l[0]);
    if (!p || p[1] !== l[1]) out.push(l);
  }
  for (const l of before) if (!seen.has(l[0])) out.push([l[0], "0", "0"]);
  return out;
}
