/**
 * The simulated market: per instrument a seeded price process, a candle history backfilled at start
 * (enough for MA200 on 1h and 1D), an order book around the mid and a tape of public trades. It is
 * the MarketView the matching core fills against, and the source of every public endpoint and market
 * channel.
 *
 * Time: market time comes from `now()` (the emulator clock, sped up by `speed`). A tick advances
 * each process by a fixed nominal step (`stepMs`), so a seed reproduces the same path whatever the
 * timer jitter; only timestamps follow the clock. The wire shapes of its public data are wire.ts.
 */

import type { Candle } from "../../domain/market.js";
import type { RefPriceType, Side } from "../../domain/orders.js";
import type { Timeframe } from "../../exchange/cryptocom/constants.js";
import type { Instrument } from "../../exchange/cryptocom/instruments.js";
import { Dec } from "../../util/decimal.js";
import type { MarketView, VenueBookLevel } from "../matching/types.js";
import { Rng } from "../rng.js";
import { type Book, consumeLevel, generateBook } from "./book.js";
import { CandleStore, HOUR_TIMEFRAMES } from "./candles.js";
import { hourlyVolumeFor, nextBar, PriceProcess } from "./price-process.js";
import {
  type BookWire,
  bookToWire,
  type CandleWire,
  candleToWire,
  type TapeTrade,
  tickerToWire,
  toTick,
  tradeToWire,
} from "./wire.js";

export type { TapeTrade } from "./wire.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TRADE_TAPE = 200;

export type MarketEvent =
  | { type: "tick"; symbol: string }
  | { type: "book"; symbol: string }
  | { type: "trade"; symbol: string; trade: TapeTrade };

export interface MarketOptions {
  instruments: readonly { inst: Instrument; initialPrice: number; dailyVolatility: number }[];
  seed: number;
  now: () => number;
  /** End of the backfilled history (ms). */
  historyEnd: number;
  /** Days of history (default 300): the last 7 (or all, when fewer) in minute bars, the rest hourly. */
  historyDays?: number;
  /** Nominal market time advanced by one tick (ms). */
  stepMs: number;
}

interface State {
  /**
   * Static metadata (ticks, currencies) for prices and sizes. Whether the instrument is tradable is
   * not read here: the matching engine's instrument table is the one place that flag lives.
   */
  readonly inst: Instrument;
  process: PriceProcess;
  bookRng: Rng;
  tapeRng: Rng;
  candles: CandleStore;
  book: Book;
  tape: TapeTrade[];
  last: Dec;
  /** Typical base volume per hour (float). */
  hourlyVolume: number;
}

export class SimulatedMarket implements MarketView {
  private readonly states = new Map<string, State>();
  private readonly listeners: ((e: MarketEvent) => void)[] = [];
  private tradeSeq: bigint;
  private updateSeq = 1_000_000;

  constructor(private readonly opts: MarketOptions) {
    this.tradeSeq = BigInt(opts.seed) * 1_000_000_000n + 1_700_000_000_000_000n;
    const days = opts.historyDays ?? 300;
    for (const { inst, initialPrice, dailyVolatility } of opts.instruments) {
      // One stream per base currency: BTC_USD and BTC_USDT move together (a constant basis apart).
      const rng = new Rng(opts.seed, `price:${inst.baseCcy}`);
      const process = new PriceProcess(rng, initialPrice, dailyVolatility);
      const state: State = {
        inst,
        process,
        bookRng: new Rng(opts.seed, `book:${inst.symbol}`),
        tapeRng: new Rng(opts.seed, `tape:${inst.symbol}`),
        candles: new CandleStore(),
        book: { bids: [], asks: [], u: 0, t: 0 },
        tape: [],
        last: new Dec(0),
        hourlyVolume: hourlyVolumeFor(initialPrice),
      };
      this.backfill(state, opts.historyEnd, days);
      // Anchor the generated history so that it ends at the configured price (returns are kept).
      state.candles.scale(initialPrice / process.price);
      process.set(initialPrice);
      // The candle in progress at `historyEnd` exists from the start (flat at the price, no volume),
      // as on the exchange: the minute the emulator starts in never goes missing, wherever in the
      // minute that is and whenever the first tick comes.
      state.candles.add(opts.historyEnd, process.price, process.price, process.price, process.price, 0);
      state.book = generateBook(inst, process.price, state.bookRng, this.updateSeq++, opts.historyEnd);
      state.last = this.toTick(inst, process.price);
      this.states.set(inst.symbol, state);
    }
  }

  on(listener: (e: MarketEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(e: MarketEvent): void {
    for (const l of this.listeners) l(e);
  }

  symbols(): string[] {
    return [...this.states.keys()];
  }

  has(symbol: string): boolean {
    return this.states.has(symbol);
  }

  private state(symbol: string): State {
    const s = this.states.get(symbol);
    if (!s) throw new Error(`unknown instrument ${symbol}`);
    return s;
  }

  // ------------------------------------------------------------ history

  private backfill(s: State, end: number, days: number): void {
    const start = Math.floor((end - days * DAY) / HOUR) * HOUR;
    const minuteStart = Math.max(start, Math.floor((end - 7 * DAY) / HOUR) * HOUR);
    const rng = new Rng(this.opts.seed, `volume:${s.inst.symbol}`);
    // Hourly bars (4 sub-steps for high/low) feed the timeframes of one hour and more.
    for (let t = start; t + HOUR <= minuteStart; t += HOUR) {
      const b = nextBar(s.process, rng, t, HOUR, s.hourlyVolume);
      s.candles.add(t, b.o, b.h, b.l, b.c, b.v, HOUR_TIMEFRAMES);
    }
    // Minute bars feed every timeframe.
    for (let t = minuteStart; t + MINUTE <= end; t += MINUTE) {
      const o = s.process.price;
      const c = s.process.step(MINUTE);
      const wiggle = Math.abs(rng.normal()) * 0.0004;
      const h = Math.max(o, c) * (1 + wiggle);
      const l = Math.min(o, c) * (1 - wiggle);
      const v = (s.hourlyVolume / 60) * rng.range(0.4, 1.6) * (1 + 30 * Math.abs(Math.log(c / o)));
      s.candles.add(t, o, h, l, c, v);
    }
  }

  // ------------------------------------------------------------ live

  /** Advances every instrument by one nominal step (or `stepMs` given). */
  tick(stepMs = this.opts.stepMs): void {
    const t = this.opts.now();
    for (const s of this.states.values()) this.advance(s, t, stepMs);
  }

  private advance(s: State, t: number, stepMs: number): void {
    const o = s.process.price;
    const c = s.process.step(stepMs);
    this.afterMove(s, t, o, c, (s.hourlyVolume * stepMs) / HOUR);
  }

  private afterMove(s: State, t: number, o: number, c: number, volume: number): void {
    s.candles.add(t, o, Math.max(o, c), Math.min(o, c), c, volume * s.tapeRng.range(0.5, 1.5));
    s.book = generateBook(s.inst, c, s.bookRng, this.updateSeq++, t);
    // A few public trades at the touch.
    const n = s.tapeRng.int(0, 2);
    for (let i = 0; i < n; i++) {
      const side: Side = s.tapeRng.next() < 0.5 ? "BUY" : "SELL";
      const level = side === "BUY" ? s.book.asks[0] : s.book.bids[0];
      if (!level) continue;
      const qtyTicks = Math.max(1, Math.round(s.tapeRng.range(50, 3000) / c / s.inst.qtyTickSize.toNumber()));
      this.printOn(s, level.price, s.inst.qtyTickSize.mul(qtyTicks), side, t);
    }
    this.emit({ type: "tick", symbol: s.inst.symbol });
  }

  /** Sets the mid price of an instrument (admin); the book, a trade and the candles follow. */
  setPrice(symbol: string, price: Dec): void {
    const s = this.state(symbol);
    const t = this.opts.now();
    const o = s.process.price;
    s.process.set(price.toNumber());
    const c = s.process.price;
    this.afterMove(s, t, o, c, 0);
    const level = c >= o ? s.book.asks[0] : s.book.bids[0];
    if (level) this.printOn(s, this.toTick(s.inst, c), s.inst.qtyTickSize, c >= o ? "BUY" : "SELL", t);
  }

  /** Moves the price by `pct` percent (e.g. -5). */
  nudgePrice(symbol: string, pct: number): Dec {
    const s = this.state(symbol);
    const p = this.toTick(s.inst, s.process.price * (1 + pct / 100));
    this.setPrice(symbol, p);
    return p;
  }

  /** Records a trade on the tape (simulated flow or a user's fill). */
  print(symbol: string, price: Dec, qty: Dec, side: Side, t: number): TapeTrade {
    return this.printOn(this.state(symbol), price, qty, side, t);
  }

  private printOn(st: State, price: Dec, qty: Dec, side: Side, t: number): TapeTrade {
    const trade: TapeTrade = { id: (this.tradeSeq++).toString(), t, price, qty, side };
    st.tape.push(trade);
    if (st.tape.length > TRADE_TAPE) st.tape.splice(0, st.tape.length - TRADE_TAPE);
    st.last = price;
    this.emit({ type: "trade", symbol: st.inst.symbol, trade });
    return trade;
  }

  // ------------------------------------------------------------ MarketView

  levels(symbol: string, side: "bids" | "asks"): readonly VenueBookLevel[] {
    return this.states.get(symbol)?.book[side] ?? [];
  }

  refPrice(symbol: string, type: RefPriceType): Dec | undefined {
    const s = this.states.get(symbol);
    if (!s) return undefined;
    if (type === "LAST_PRICE") return s.last;
    return this.toTick(s.inst, s.process.price);
  }

  consume(symbol: string, side: "bids" | "asks", price: Dec, qty: Dec): void {
    const s = this.states.get(symbol);
    if (!s) return;
    if (consumeLevel(s.book, side, price, qty)) {
      s.book.u = this.updateSeq++;
      s.book.t = this.opts.now();
      this.emit({ type: "book", symbol });
    }
  }

  // ------------------------------------------------------------ public data

  mid(symbol: string): Dec | undefined {
    return this.refPrice(symbol, "MARK_PRICE");
  }

  toTick(inst: Instrument, x: number): Dec {
    return toTick(inst, x);
  }

  book(symbol: string): Book {
    return this.state(symbol).book;
  }

  bookWire(symbol: string, depth: number): BookWire {
    const s = this.state(symbol);
    return bookToWire(s.inst, s.book, depth);
  }

  candles(symbol: string, tf: Timeframe, start: number, end: number, count: number): Candle[] {
    return this.state(symbol).candles.range(tf, start, end, count);
  }

  latestCandle(symbol: string, tf: Timeframe): Candle | undefined {
    return this.state(symbol).candles.latest(tf);
  }

  candleToWire(symbol: string, c: Candle): CandleWire {
    return candleToWire(this.state(symbol).inst, c);
  }

  trades(symbol: string): readonly TapeTrade[] {
    return this.state(symbol).tape;
  }

  tradeToWire(symbol: string, tr: TapeTrade): Record<string, unknown> {
    return tradeToWire(this.state(symbol).inst, tr);
  }

  /** The ticker row (last 24 hours of market time). */
  tickerWire(symbol: string): Record<string, unknown> {
    const s = this.state(symbol);
    const now = this.opts.now();
    return tickerToWire(s.inst, {
      day: s.candles.range("1h", now - DAY, now, 25),
      last: s.last,
      bid: s.book.bids[0],
      ask: s.book.asks[0],
      now,
    });
  }
}
