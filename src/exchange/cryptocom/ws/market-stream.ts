/**
 * Market-data stream on the market socket (reference §7): `ticker.{i}`, `book.{i}.{depth}`,
 * `trade.{i}`, `candlestick.{tf}.{i}`.
 *
 * Invariants:
 * - Every subscription is re-sent after each reconnect (books get a fresh snapshot).
 * - Book deltas are applied only in sequence (`pu` = last `u`); a gap emits `bookGap` and
 *   re-synchronises that book (unsubscribe + subscribe → new snapshot). Between the gap and the
 *   snapshot no `book` event is emitted for that instrument.
 * - At most 400 channels per connection (the exchange's cap, 40107).
 * - Request nonces come from the nonce source (nonce.ts), as on the user stream: strictly
 *   increasing, from the injected clock.
 */
import { EventEmitter } from "node:events";
import type { Logger } from "../../../log/logger.js";
import type { MarketStreamEvents } from "../../types.js";
import { WS_MAX_MARKET_SUBSCRIPTIONS } from "../constants.js";
import { NonceSource } from "../nonce.js";
import { parseCandle, parsePublicTrade, parseTicker } from "../parsers/market.js";
import { LocalBook } from "./book.js";
import { ReconnectingSocket, type SocketOptions, type WsPush } from "./socket.js";

type Args<T> = { [K in keyof T]: T[K] extends (...a: infer A) => void ? A : never };

export interface MarketSubscription {
  tickers?: readonly string[] | undefined;
  books?: readonly { symbol: string; depth?: number | undefined }[] | undefined;
  trades?: readonly string[] | undefined;
  candles?: readonly { symbol: string; timeframe: string }[] | undefined;
}

export interface MarketStreamOptions extends Omit<SocketOptions, "sendLimit"> {
  /** Book delta frequency: 10 (default) or 100 ms. */
  bookUpdateFrequencyMs?: 10 | 100 | undefined;
  /** Wall clock for request nonces (tests inject one). */
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

export class MarketStream extends EventEmitter<Args<MarketStreamEvents>> {
  private readonly socket: ReconnectingSocket;
  private readonly channels = new Set<string>();
  private readonly books = new Map<string, LocalBook>();
  private readonly frequency: number;
  private readonly nonces: NonceSource;
  /** The session (warm-up + subscriptions) is established; new channels can be sent at once. */
  private live = false;

  constructor(opts: MarketStreamOptions) {
    super();
    this.frequency = opts.bookUpdateFrequencyMs ?? 10;
    this.nonces = new NonceSource(opts.now ?? Date.now);
    this.socket = new ReconnectingSocket(
      { ...opts, sendLimit: { limit: 100, windowMs: 1_000 } },
      { onSession: () => this.onSession(), onPush: (p) => this.onPush(p) },
    );
    this.socket.on("ready", () => this.emit("ready"));
    this.socket.on("disconnected", (info) => {
      this.live = false;
      for (const b of this.books.values()) b.invalidate();
      this.emit("disconnected", info);
    });
    this.socket.on("error", (e) => {
      if (this.listenerCount("error") > 0) this.emit("error", e);
    });
  }

  start(): void {
    this.socket.start();
  }

  stop(): Promise<void> {
    return this.socket.stop();
  }

  /** The current local book (undefined before its first snapshot). */
  book(symbol: string): ReturnType<LocalBook["snapshot"]> | undefined {
    for (const b of this.books.values()) if (b.symbol === symbol && b.inSync) return b.snapshot();
    return undefined;
  }

  /**
   * Adds channels: sent at once when the session is up, otherwise with the session (never during
   * the warm-up), and again after every reconnect.
   */
  async subscribe(sub: MarketSubscription): Promise<void> {
    const plain: string[] = [];
    const books: string[] = [];
    for (const s of sub.tickers ?? []) plain.push(`ticker.${s}`);
    for (const s of sub.trades ?? []) plain.push(`trade.${s}`);
    for (const c of sub.candles ?? []) plain.push(`candlestick.${c.timeframe}.${c.symbol}`);
    for (const b of sub.books ?? []) {
      const depth = b.depth ?? 10;
      const ch = `book.${b.symbol}.${depth}`;
      if (!this.books.has(ch)) this.books.set(ch, new LocalBook(b.symbol, depth));
      books.push(ch);
    }
    const fresh = [...plain, ...books].filter((c) => !this.channels.has(c));
    if (this.channels.size + fresh.length > WS_MAX_MARKET_SUBSCRIPTIONS) {
      throw new RangeError(`at most ${WS_MAX_MARKET_SUBSCRIPTIONS} market channels per connection`);
    }
    for (const c of fresh) this.channels.add(c);
    if (this.live && fresh.length > 0) await this.sendSubscriptions(fresh);
  }

  async unsubscribe(channels: readonly string[]): Promise<void> {
    for (const c of channels) {
      this.channels.delete(c);
      this.books.delete(c);
    }
    if (this.live && channels.length > 0) {
      await this.socket.request("unsubscribe", { params: { channels }, nonce: this.nonces.next() });
    }
  }

  private async onSession(): Promise<void> {
    // Channels added while the session is being set up are picked up by the next round.
    const sent = new Set<string>();
    for (;;) {
      const todo = [...this.channels].filter((c) => !sent.has(c));
      if (todo.length === 0) break;
      await this.sendSubscriptions(todo);
      for (const c of todo) sent.add(c);
    }
    this.live = true;
  }

  private async sendSubscriptions(channels: string[]): Promise<void> {
    const books = channels.filter((c) => c.startsWith("book."));
    const plain = channels.filter((c) => !c.startsWith("book."));
    const jobs: Promise<unknown>[] = [];
    if (plain.length)
      jobs.push(this.socket.request("subscribe", { params: { channels: plain }, nonce: this.nonces.next() }));
    if (books.length) {
      jobs.push(
        this.socket.request("subscribe", {
          params: {
            channels: books,
            book_subscription_type: "SNAPSHOT_AND_UPDATE",
            book_update_frequency: this.frequency,
          },
          nonce: this.nonces.next(),
        }),
      );
    }
    await Promise.all(jobs);
  }

  private onPush(p: WsPush): void {
    const ch = p.channel;
    if (ch === "ticker" || p.subscription.startsWith("ticker.")) {
      for (const d of p.data) this.emit("ticker", parseTicker(d));
    } else if (ch === "trade" || p.subscription.startsWith("trade.")) {
      for (const d of p.data) this.emit("trade", parsePublicTrade(d));
    } else if (ch === "candlestick" || p.subscription.startsWith("candlestick.")) {
      const [, timeframe = "", ...rest] = p.subscription.split(".");
      const symbol = p.instrumentName ?? rest.join(".");
      for (const d of p.data) this.emit("candle", { ...parseCandle(d), symbol, timeframe });
    } else if (ch === "book" || ch === "book.update" || p.subscription.startsWith("book.")) {
      this.onBook(p);
    }
  }

  private onBook(p: WsPush): void {
    const book = this.books.get(p.subscription);
    if (!book) return;
    for (const d of p.data) {
      const r = book.apply(d);
      if (r.kind === "gap") {
        this.emit("bookGap", { symbol: book.symbol, expected: r.expected, got: r.got });
        void this.resync(p.subscription);
        return;
      }
      if (r.kind === "applied") this.emit("book", book.snapshot());
    }
  }

  private async resync(channel: string): Promise<void> {
    try {
      await this.socket.request("unsubscribe", {
        params: { channels: [channel] },
        nonce: this.nonces.next(),
      });
      await this.sendSubscriptions([channel]);
    } catch (e) {
      if (this.listenerCount("error") > 0) this.emit("error", e instanceof Error ? e : new Error(String(e)));
    }
  }
}
