/**
 * The breaker's pass-through half: public calls delegate as they are; private reads delegate
 * through `guarded()`, which the breaker overrides to trip on an auth failure before rethrowing.
 *
 * Invariant: nothing here changes a call's arguments or result; a read is never short-circuited.
 */
import type { DecCandle, DecTicker } from "../../domain/market.js";
import type {
  AccountBalance,
  CandleQuery,
  ExchangeClient,
  Fill,
  HistoryQuery,
  Instrument,
  Order,
  OrderBook,
  OrderRef,
  OrderRules,
  PublicTrade,
} from "../../exchange/types.js";

export abstract class BreakerReads {
  readonly venue: string;
  readonly rules: OrderRules;

  constructor(protected readonly inner: ExchangeClient) {
    this.venue = inner.venue;
    this.rules = inner.rules;
  }

  /** Runs a private call (the breaker watches it for auth failures). */
  protected abstract guarded<T>(method: string, request: unknown, call: () => Promise<T>): Promise<T>;

  getInstruments(opts?: { refresh?: boolean }): Promise<Instrument[]> {
    return this.inner.getInstruments(opts);
  }
  getInstrument(symbol: string): Promise<Instrument | undefined> {
    return this.inner.getInstrument(symbol);
  }
  getTickers(symbol?: string): Promise<DecTicker[]> {
    return this.inner.getTickers(symbol);
  }
  getBook(symbol: string, depth?: number): Promise<OrderBook> {
    return this.inner.getBook(symbol, depth);
  }
  getCandles(symbol: string, timeframe: string, query?: CandleQuery): Promise<DecCandle[]> {
    return this.inner.getCandles(symbol, timeframe, query);
  }
  getPublicTrades(symbol: string, count?: number): Promise<PublicTrade[]> {
    return this.inner.getPublicTrades(symbol, count);
  }
  clientOidFor(intentId: string): string {
    return this.inner.clientOidFor(intentId);
  }

  getBalance(): Promise<AccountBalance> {
    return this.guarded("getBalance", undefined, () => this.inner.getBalance());
  }
  probeOrder(clientOid: string, trigger?: boolean): Promise<Order | undefined> {
    return this.guarded("probeOrder", { clientOid }, () => this.inner.probeOrder(clientOid, trigger));
  }
  getOpenOrders(symbol?: string): Promise<Order[]> {
    return this.guarded("getOpenOrders", { symbol }, () => this.inner.getOpenOrders(symbol));
  }
  getOrder(ref: OrderRef): Promise<Order | undefined> {
    return this.guarded("getOrder", ref, () => this.inner.getOrder(ref));
  }
  getOrderHistory(query?: HistoryQuery): Promise<Order[]> {
    return this.guarded("getOrderHistory", query, () => this.inner.getOrderHistory(query));
  }
  getMyTrades(query?: HistoryQuery): Promise<Fill[]> {
    return this.guarded("getMyTrades", query, () => this.inner.getMyTrades(query));
  }
  getOpenTriggerOrders(symbol?: string): Promise<Order[]> {
    return this.guarded("getOpenTriggerOrders", { symbol }, () => this.inner.getOpenTriggerOrders(symbol));
  }
  getTriggerOrder(ref: OrderRef): Promise<Order | undefined> {
    return this.guarded("getTriggerOrder", ref, () => this.inner.getTriggerOrder(ref));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
