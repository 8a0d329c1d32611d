/**
 * `DryRunBroker`: an `ExchangeClient` whose public calls are the real venue's and whose private
 * calls are simulated on the emulator's matching core, in process, against the live order book.
 *
 * Invariants:
 * - No private call ever leaves the process: the injected `market` client is used for public
 *   market data only (instruments, tickers, book, candles, trades), never for an order, a cancel,
 *   an order read or the balance.
 * - Orders fill at the live book (REST `getBook` when the cached book is older than
 *   `bookMaxAgeMs`, or the books/tickers a market stream feeds through `onBook` / `onTicker`),
 *   with the engine's maker/taker fees and `slippageBps` against the trader (market-view.ts).
 * - Trigger orders and resting limits (OCO legs) are re-checked on every book or ticker update,
 *   and every `pollMs` (on the injected TimeSource) for each symbol with open orders, after
 *   refreshing a stale book.
 * - State is in memory only: balances start from `balances` (default USD 10000) at every start;
 *   orders and fills are lost on restart (docs/trading/dry-run.md says what reconciliation does).
 */
import type { DecCandle, DecTicker } from "../../domain/market.js";
import { MatchingEngine } from "../../emulator/matching/index.js";
import type {
  AccountBalance,
  CancelAck,
  CandleQuery,
  ExchangeClient,
  Fill,
  HistoryQuery,
  Instrument,
  OcoRequest,
  Order,
  OrderBook,
  OrderRef,
  OrderRequest,
  OrderRules,
  OrderUpdateSource,
  PlaceOcoOutcome,
  PlaceOrderOutcome,
  PublicTrade,
  TriggerOrderRequest,
} from "../../exchange/types.js";
import { type Logger, silentLogger } from "../../log/logger.js";
import type { TimeSource } from "../../util/clock.js";
import { Dec } from "../../util/decimal.js";
import { DRY_RUN_ACCOUNT, DryRunAccount } from "./account.js";
import { DryRunBookKeeper } from "./book-keeper.js";
import { dryRunClientOid } from "./client-oid.js";
import { balanceFromLedger } from "./convert.js";
import { publishEngineEvent } from "./events.js";
import { DryRunMarketView } from "./market-view.js";
import { DryRunUpdateHub } from "./updates.js";

export interface DryRunBrokerOptions {
  /** The real venue's client, used for public market data only. */
  market: ExchangeClient;
  time: TimeSource;
  /** Virtual balances at start (default `{ USD: "10000" }`). */
  balances?: Record<string, string> | undefined;
  /** Fee rates (default the engine's: maker 0.0025, taker 0.005). */
  fees?: { maker: string; taker: string } | undefined;
  /** Price slippage against the trader, in basis points (default 0). */
  slippageBps?: number | undefined;
  /** Trigger re-check period for symbols with open orders (default 1000 ms). */
  pollMs?: number | undefined;
  /** A cached book older than this is refreshed by REST before it is used (default 5000 ms). */
  bookMaxAgeMs?: number | undefined;
  /** Depth of REST books (default 50, the exchange's maximum). */
  bookDepth?: number | undefined;
  logger?: Logger | undefined;
}

const STABLE_USD: ReadonlySet<string> = new Set(["USD", "USDT", "USDC"]);

export class DryRunBroker implements ExchangeClient {
  readonly venue = "dry-run";
  readonly rules: OrderRules;
  private readonly hub: DryRunUpdateHub;
  private readonly view: DryRunMarketView;
  private readonly log: Logger;
  private readonly books: DryRunBookKeeper;
  private started: Promise<DryRunAccount> | undefined;
  private engine: MatchingEngine | undefined;
  private closed = false;

  constructor(private readonly opts: DryRunBrokerOptions) {
    this.rules = opts.market.rules;
    this.log = opts.logger ?? silentLogger();
    this.hub = new DryRunUpdateHub(this.log);
    this.view = new DryRunMarketView(opts.time, opts.slippageBps ?? 0);
    this.books = new DryRunBookKeeper({
      market: opts.market,
      time: opts.time,
      view: this.view,
      logger: this.log,
      pollMs: opts.pollMs ?? 1_000,
      bookMaxAgeMs: opts.bookMaxAgeMs ?? 5_000,
      bookDepth: opts.bookDepth ?? 50,
      activeSymbols: (engine) =>
        engine.open(DRY_RUN_ACCOUNT, { origin: "any" }).map((o) => o.instrument.symbol),
    });
  }

  /** Order, trade and balance updates of the simulated account (always connected). */
  get updates(): OrderUpdateSource {
    return this.hub;
  }

  /** Loads the instruments, funds the account, starts the trigger poll, emits `ready`. Idempotent. */
  start(): Promise<void> {
    return this.account().then(() => undefined);
  }

  private account(): Promise<DryRunAccount> {
    this.started ??= this.boot().catch((e: unknown) => {
      this.started = undefined; // a failed start (instruments unreadable) may be retried
      throw e;
    });
    return this.started;
  }

  private async boot(): Promise<DryRunAccount> {
    const instruments = await this.opts.market.getInstruments();
    const engine = new MatchingEngine({
      instruments,
      market: this.view,
      now: () => this.opts.time.now(),
      fees: this.opts.fees,
    });
    engine.on((e) =>
      publishEngineEvent(
        e,
        this.hub,
        (a) => this.balanceOf(engine, a),
        () => this.opts.time.now(),
      ),
    );
    engine.setBalances(DRY_RUN_ACCOUNT, this.opts.balances ?? { USD: "10000" });
    this.engine = engine;
    const account = new DryRunAccount({
      engine,
      clock: this.opts.time,
      prepare: (symbol) => this.books.prepare(engine, symbol),
      defer: (fn) =>
        setImmediate(() => {
          if (this.closed) return;
          fn();
          this.hub.flush(); // the order's updates in the same turn as its matching
        }),
    });
    this.books.startPolling(engine);
    this.hub.emit("ready");
    return account;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.books.stop();
  }

  // ---------------------------------------------------------------- market data (live)

  /** A book from the market stream: orders and triggers of its symbol are re-checked against it. */
  onBook(book: OrderBook): void {
    this.view.setBook(book);
    this.engine?.onMarket(book.symbol);
  }

  /** A ticker from the market stream (reference price of triggers). */
  onTicker(ticker: DecTicker): void {
    this.view.setTicker(ticker);
    this.engine?.onMarket(ticker.symbol);
  }

  private balanceOf(engine: MatchingEngine, account: string): AccountBalance {
    return balanceFromLedger(engine.ledger, account, (ccy) => {
      if (STABLE_USD.has(ccy)) return new Dec(1);
      return this.view.refPrice(`${ccy}_USD`, "MARK_PRICE");
    });
  }

  getInstruments(o?: { refresh?: boolean }): Promise<Instrument[]> {
    return this.opts.market.getInstruments(o);
  }
  getInstrument(symbol: string): Promise<Instrument | undefined> {
    return this.opts.market.getInstrument(symbol);
  }
  getTickers(symbol?: string): Promise<DecTicker[]> {
    return this.opts.market.getTickers(symbol);
  }
  getBook(symbol: string, depth?: number): Promise<OrderBook> {
    return this.opts.market.getBook(symbol, depth);
  }
  getCandles(symbol: string, timeframe: string, query?: CandleQuery): Promise<DecCandle[]> {
    return this.opts.market.getCandles(symbol, timeframe, query);
  }
  getPublicTrades(symbol: string, count?: number): Promise<PublicTrade[]> {
    return this.opts.market.getPublicTrades(symbol, count);
  }

  // ---------------------------------------------------------------- private calls (simulated)

  clientOidFor(intentId: string): string {
    return dryRunClientOid(intentId);
  }
  async getBalance(): Promise<AccountBalance> {
    await this.account();
    return this.balanceOf(this.engine!, DRY_RUN_ACCOUNT);
  }
  async placeOrder(req: OrderRequest): Promise<PlaceOrderOutcome> {
    return (await this.account()).placeOrder(req);
  }
  async placeTriggerOrder(req: TriggerOrderRequest): Promise<PlaceOrderOutcome> {
    return (await this.account()).placeTriggerOrder(req);
  }
  async placeOco(req: OcoRequest): Promise<PlaceOcoOutcome> {
    return (await this.account()).placeOco(req);
  }
  async probeOrder(clientOid: string): Promise<Order | undefined> {
    return (await this.account()).probeOrder(clientOid);
  }
  async cancelOrder(ref: OrderRef): Promise<CancelAck> {
    return (await this.account()).cancelOrder(ref);
  }
  async cancelAllOrders(symbol?: string): Promise<void> {
    return (await this.account()).cancelAllOrders(symbol);
  }
  async cancelOco(listId: string): Promise<void> {
    return (await this.account()).cancelOco(listId);
  }
  async getOpenOrders(symbol?: string): Promise<Order[]> {
    return (await this.account()).openOrders("plain", symbol);
  }
  async getOrder(ref: OrderRef): Promise<Order | undefined> {
    return (await this.account()).getOrder(ref);
  }
  async getOrderHistory(query?: HistoryQuery): Promise<Order[]> {
    return (await this.account()).getOrderHistory(query);
  }
  async getMyTrades(query?: HistoryQuery): Promise<Fill[]> {
    return (await this.account()).getMyTrades(query);
  }
  async getOpenTriggerOrders(symbol?: string): Promise<Order[]> {
    return (await this.account()).openOrders("advanced", symbol);
  }
  async getTriggerOrder(ref: OrderRef): Promise<Order | undefined> {
    return (await this.account()).getOrder(ref);
  }
}
