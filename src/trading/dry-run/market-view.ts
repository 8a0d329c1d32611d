/**
 * The live market as the matching core sees it in dry run: the last order book received for each
 * symbol (from the market stream through `setBook`, or a REST `getBook`) and the last ticker.
 *
 * Invariants:
 * - The live book is never edited: `consume` is absent, so a simulated fill does not remove
 *   liquidity (each order fills against the book as published; documented in docs/trading/dry-run.md).
 * - Slippage is applied against the trader: every ask is raised and every bid lowered by
 *   `slippageBps` / 10,000 of its price, so a taker fills worse than the book and a resting limit
 *   fills only once the book is through its price by the slippage.
 * - The reference price (triggers, price band) is the most recent of the book's mid and the
 *   ticker's (mid of bid/ask, else last); LAST_PRICE prefers the ticker's last trade.
 * - Ages are measured on the injected clock: `ageMs` is how long ago the book arrived here.
 */

import type { DecTicker } from "../../domain/market.js";
import type { RefPriceType } from "../../domain/orders.js";
import type { MarketView, VenueBookLevel } from "../../emulator/matching/index.js";
import type { OrderBook } from "../../exchange/types.js";
import type { Clock } from "../../util/clock.js";
import { Dec } from "../../util/decimal.js";

interface BookEntry {
  bids: VenueBookLevel[];
  asks: VenueBookLevel[];
  mid: Dec | undefined;
  at: number;
  seq: number;
}

interface TickerEntry {
  ticker: DecTicker;
  seq: number;
}

export class DryRunMarketView implements MarketView {
  private readonly books = new Map<string, BookEntry>();
  private readonly tickers = new Map<string, TickerEntry>();
  private readonly askFactor: Dec;
  private readonly bidFactor: Dec;
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    slippageBps = 0,
  ) {
    if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps >= 10_000) {
      throw new RangeError(`slippageBps must be an integer in [0, 10000), got ${slippageBps}`);
    }
    const s = new Dec(slippageBps).div(10_000);
    this.askFactor = new Dec(1).add(s);
    this.bidFactor = new Dec(1).sub(s);
  }

  setBook(book: OrderBook): void {
    const bids = book.bids.map((l) => ({ price: l.price.mul(this.bidFactor), qty: l.quantity }));
    const asks = book.asks.map((l) => ({ price: l.price.mul(this.askFactor), qty: l.quantity }));
    const b = book.bids[0]?.price;
    const a = book.asks[0]?.price;
    const mid = b && a ? b.add(a).div(2) : (b ?? a);
    this.books.set(book.symbol, { bids, asks, mid, at: this.clock.now(), seq: ++this.seq });
  }

  setTicker(ticker: DecTicker): void {
    this.tickers.set(ticker.symbol, { ticker, seq: ++this.seq });
  }

  /** ms since the symbol's book arrived; undefined when none has. */
  ageMs(symbol: string): number | undefined {
    const b = this.books.get(symbol);
    return b ? this.clock.now() - b.at : undefined;
  }

  hasBook(symbol: string): boolean {
    return this.books.has(symbol);
  }

  levels(symbol: string, side: "bids" | "asks"): readonly VenueBookLevel[] {
    return this.books.get(symbol)?.[side] ?? [];
  }

  refPrice(symbol: string, type: RefPriceType): Dec | undefined {
    const book = this.books.get(symbol);
    const t = this.tickers.get(symbol);
    const tickerMid = t?.ticker.bid && t.ticker.ask ? t.ticker.bid.add(t.ticker.ask).div(2) : undefined;
    const tickerRef = type === "LAST_PRICE" ? (t?.ticker.last ?? tickerMid) : (tickerMid ?? t?.ticker.last);
    if (tickerRef && (!book?.mid || (t && t.seq > book.seq) || type === "LAST_PRICE")) return tickerRef;
    return book?.mid;
  }
}
