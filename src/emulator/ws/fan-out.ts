/**
 * What the sockets push: a subscription's first message, then every market event and user event to
 * the connections subscribed to it.
 *
 * Pushes have `id: -1` and `method: "subscribe"`; a user channel's first message carries the
 * subscribe request's id and the current snapshot. Books: a snapshot (`book`), then deltas
 * (`book.update`) whose `pu` is the previous message's `u` on that subscription, and an empty delta
 * (`u` = `pu`) after BOOK_IDLE_MS of the emulator clock without change (the exchange's book
 * heartbeat). The book_gap fault skips a delta (its `u` is still taken, so the next `pu` differs).
 *
 * Cost: each wire payload of a market event (ticker, book of a depth, candle of a timeframe, trade)
 * is built at most once per event, whatever the subscriber count.
 */
import type { JsonValue } from "../../domain/json-text.js";
import type { Timeframe } from "../../exchange/cryptocom/constants.js";
import type { EmulatedExchange } from "../exchange.js";
import { diffSide } from "../market/book.js";
import type { MarketEvent, SimulatedMarket } from "../market/market.js";
import { orderToWire } from "../matching/wire.js";
import type { UserPush } from "../user-push.js";
import type { BookSub, SimpleSub, Sub, UserSub } from "./channels.js";
import type { Connection } from "./connection.js";

/** An empty book delta after this long (emulator clock) without a message on the subscription. */
export const BOOK_IDLE_MS = 5_000;

type BookWire = ReturnType<SimulatedMarket["bookWire"]>;
type WirePayload = Record<string, unknown>;

export class FanOut {
  constructor(
    private readonly ex: EmulatedExchange,
    /** The hub's live connections (read, never changed here). */
    private readonly conns: ReadonlySet<Connection>,
  ) {}

  // ------------------------------------------------------------ first messages

  /** The first message of a market subscription (the reply to the subscribe request went first). */
  initialMarket(c: Connection, name: string, sub: Sub): void {
    const m = this.ex.market;
    switch (sub.kind) {
      case "book":
        this.bookSnapshot(c, name, sub);
        return;
      case "ticker":
        c.push({
          instrument_name: sub.symbol,
          subscription: name,
          channel: "ticker",
          data: [m.tickerWire(sub.symbol)],
        });
        return;
      case "trade": {
        const last = m
          .trades(sub.symbol)
          .slice(-50)
          .reverse()
          .map((t) => m.tradeToWire(sub.symbol, t));
        c.push({ instrument_name: sub.symbol, subscription: name, channel: "trade", data: last });
        return;
      }
      case "candlestick":
        this.pushCandle(c, name, sub);
        return;
      default:
        return;
    }
  }

  /** The first message of a user subscription: the current snapshot, answering request `id`. */
  initialUser(c: Connection, id: JsonValue | undefined, name: string, sub: UserSub): void {
    const ex = this.ex;
    const account = c.key!.account;
    let data: unknown[];
    if (sub.channel === "user.balance") data = [ex.balanceRow(account)];
    else if (sub.channel === "user.trade") data = [];
    else {
      const origin = sub.channel === "user.advanced.order" ? "advanced" : "plain";
      data = ex.engine.open(account, { instrument: sub.instrument, origin }).map(orderToWire);
    }
    const result: WirePayload = { subscription: name, channel: sub.channel, data };
    if (sub.instrument) result.instrument_name = sub.instrument;
    c.push(result, id);
  }

  // ------------------------------------------------------------ market events

  /** Fans one market event out to the market connections subscribed to its instrument. */
  onMarket(e: MarketEvent): void {
    if (this.conns.size === 0) return;
    const m = this.ex.market;
    let ticker: WirePayload | undefined;
    let trade: WirePayload | undefined;
    const books = new Map<number, BookWire>();
    const bookAt = (depth: number): BookWire => {
      let b = books.get(depth);
      if (!b) {
        b = m.bookWire(e.symbol, depth);
        books.set(depth, b);
      }
      return b;
    };
    const candles = new Map<Timeframe, WirePayload | null>();
    for (const c of this.conns) {
      if (c.kind !== "market" || c.subs.size === 0) continue;
      for (const [name, sub] of c.subs) {
        if (sub.kind === "user" || sub.symbol !== e.symbol) continue;
        if (e.type === "trade") {
          if (sub.kind === "trade") {
            trade ??= m.tradeToWire(e.symbol, e.trade);
            c.push({ instrument_name: e.symbol, subscription: name, channel: "trade", data: [trade] });
          }
          continue;
        }
        if (sub.kind === "book") {
          this.bookDelta(c, name, sub, false, bookAt(sub.depth));
        } else if (e.type === "tick") {
          if (sub.kind === "ticker") {
            ticker ??= m.tickerWire(e.symbol);
            c.push({ instrument_name: e.symbol, subscription: name, channel: "ticker", data: [ticker] });
          } else if (sub.kind === "candlestick") {
            const tf = sub.tf!;
            let candle = candles.get(tf);
            if (candle === undefined) {
              const latest = m.latestCandle(e.symbol, tf);
              candle = latest ? m.candleToWire(e.symbol, latest) : null;
              candles.set(tf, candle);
            }
            if (candle) this.pushCandle(c, name, sub, candle);
          }
        }
      }
    }
  }

  /** The book heartbeat: an empty delta on every delta subscription idle for BOOK_IDLE_MS. */
  idleBooks(): void {
    const now = this.ex.clock.now();
    for (const c of this.conns) {
      for (const [name, sub] of c.subs) {
        if (sub.kind === "book" && !sub.snapshotOnly && now - sub.lastSent >= BOOK_IDLE_MS) {
          this.bookDelta(c, name, sub, true);
        }
      }
    }
  }

  private bookSnapshot(c: Connection, name: string, sub: BookSub, wire?: BookWire): void {
    const b = wire ?? this.ex.market.bookWire(sub.symbol, sub.depth);
    sub.view = { bids: b.bids, asks: b.asks };
    sub.lastU = b.u;
    sub.lastSent = this.ex.clock.now();
    c.push({
      instrument_name: sub.symbol,
      subscription: name,
      channel: "book",
      depth: sub.depth,
      data: [{ asks: b.asks, bids: b.bids, t: b.t, tt: b.t, u: b.u }],
    });
  }

  private bookDelta(c: Connection, name: string, sub: BookSub, idle: boolean, wire?: BookWire): void {
    if (sub.snapshotOnly) {
      if (!idle) this.bookSnapshot(c, name, sub, wire);
      return;
    }
    const b = wire ?? this.ex.market.bookWire(sub.symbol, sub.depth);
    const bids = diffSide(sub.view.bids, b.bids);
    const asks = diffSide(sub.view.asks, b.asks);
    if (bids.length === 0 && asks.length === 0 && !idle) return;
    const pu = sub.lastU;
    const u = idle && bids.length === 0 && asks.length === 0 ? pu : b.u;
    sub.view = { bids: b.bids, asks: b.asks };
    sub.lastU = u;
    sub.lastSent = this.ex.clock.now();
    const faults = this.ex.faults;
    if (!idle && faults.has("book_gap") && faults.fire("book_gap", sub.symbol)) return;
    c.push({
      instrument_name: sub.symbol,
      subscription: name,
      channel: "book.update",
      depth: sub.depth,
      data: [{ update: { asks, bids }, t: b.t, tt: b.t, u, pu }],
    });
  }

  private pushCandle(c: Connection, name: string, sub: SimpleSub, wire?: WirePayload): void {
    const m = this.ex.market;
    let data = wire;
    if (!data) {
      const candle = m.latestCandle(sub.symbol, sub.tf!);
      if (!candle) return;
      data = m.candleToWire(sub.symbol, candle);
    }
    c.push({
      instrument_name: sub.symbol,
      subscription: name,
      channel: "candlestick",
      interval: sub.tfText,
      data: [data],
    });
  }

  // ------------------------------------------------------------ user events

  /** Pushes a user event to the authenticated user connections of its account subscribed to it. */
  onUser(p: UserPush): void {
    for (const c of this.conns) {
      if (c.kind !== "user" || !c.key || c.key.account !== p.account) continue;
      for (const [name, sub] of c.subs) {
        if (sub.kind !== "user" || sub.channel !== p.channel) continue;
        if (sub.instrument && sub.instrument !== p.instrument) continue;
        const result: WirePayload = { subscription: name, channel: p.channel, data: p.data };
        if (p.instrument) result.instrument_name = p.instrument;
        c.push(result);
      }
    }
  }
}
