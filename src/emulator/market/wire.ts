/**
 * The simulated market's public data in the exchange's wire format (reference §5.1, §7.1): book
 * levels, candles, public trades and the ticker row, as public methods and market channels carry
 * them. Prices are rounded to the price tick and printed with the instrument's price decimals,
 * quantities with its quantity decimals. Pure: the market hands in its state.
 */

import type { Candle } from "../../domain/market.js";
import type { Side } from "../../domain/orders.js";
import { type Instrument, priceDecimals, quantityDecimals } from "../../exchange/cryptocom/instruments.js";
import type { Dec } from "../../util/decimal.js";
import type { VenueBookLevel } from "../matching/types.js";
import { type Book, levelsToWire, type WireLevel } from "./book.js";

/** A trade on the public tape. */
export interface TapeTrade {
  id: string;
  t: number;
  price: Dec;
  qty: Dec;
  side: Side;
}

export interface BookWire {
  bids: WireLevel[];
  asks: WireLevel[];
  u: number;
  t: number;
}

/** A type, not an interface: it is also a `Record<string, unknown>` payload. */
export type CandleWire = { o: string; h: string; l: string; c: string; v: string; t: number };

/** The price on the instrument's tick nearest to `x` (at least one tick). */
export function toTick(inst: Instrument, x: number): Dec {
  const n = Math.max(1, Math.round(x / inst.priceTickSize.toNumber()));
  return inst.priceTickSize.mul(n);
}

export function bookToWire(inst: Instrument, book: Book, depth: number): BookWire {
  const pdp = priceDecimals(inst);
  const qdp = quantityDecimals(inst);
  return {
    bids: levelsToWire(book.bids, depth, pdp, qdp),
    asks: levelsToWire(book.asks, depth, pdp, qdp),
    u: book.u,
    t: book.t,
  };
}

export function candleToWire(inst: Instrument, c: Candle): CandleWire {
  const pdp = priceDecimals(inst);
  const qdp = quantityDecimals(inst);
  const px = (x: number) => toTick(inst, x).toFixed(pdp);
  return { o: px(c.o), h: px(c.h), l: px(c.l), c: px(c.c), v: c.v.toFixed(qdp), t: c.t };
}

export function tradeToWire(inst: Instrument, tr: TapeTrade): Record<string, unknown> {
  return {
    d: tr.id,
    t: tr.t,
    tn: `${tr.t}000000`,
    q: tr.qty.toFixed(quantityDecimals(inst)),
    p: tr.price.toFixed(priceDecimals(inst)),
    s: tr.side,
    i: inst.symbol,
    m: tr.id,
  };
}

/** What the ticker row is computed from. */
export interface TickerInput {
  /** Hourly candles of the last 24 hours (market time), oldest first. */
  day: readonly Candle[];
  last: Dec;
  bid: VenueBookLevel | undefined;
  ask: VenueBookLevel | undefined;
  now: number;
}

/*
 * Ticker row as public/get-tickers and ticker.{i} carry it:
 * {"i":"BTC_USD","h":"66000.00","l":"64000.00","a":"65000.00","v":"120.5","vv":"7800000.00",
 *  "c":"0.0125","b":"64999.99","bs":"0.5","k":"65000.01","ks":"0.4","oi":"0","t":1700000000000}
 */
export function tickerToWire(
  inst: Instrument,
  { day, last, bid, ask, now }: TickerInput,
): Record<string, unknown> {
  const pdp = priceDecimals(inst);
  const qdp = quantityDecimals(inst);
  let h = last.toNumber();
  let l = h;
  let v = 0;
  let open = day[0]?.o ?? h;
  for (const c of day) {
    if (c.h > h) h = c.h;
    if (c.l < l) l = c.l;
    v += c.v;
  }
  if (day.length === 0) open = h;
  const change = open > 0 ? last.toNumber() / open - 1 : 0;
  return {
    i: inst.symbol,
    h: toTick(inst, h).toFixed(pdp),
    l: toTick(inst, l).toFixed(pdp),
    a: last.toFixed(pdp),
    v: v.toFixed(qdp),
    vv: (v * last.toNumber()).toFixed(2),
    c: change.toFixed(4),
    b: bid ? bid.price.toFixed(pdp) : null,
    bs: bid ? bid.qty.toFixed(qdp) : null,
    k: ask ? ask.price.toFixed(pdp) : null,
    ks: ask ? ask.qty.toFixed(qdp) : null,
    oi: "0",
    t: now,
  };
}
