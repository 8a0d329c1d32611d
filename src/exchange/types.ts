/**
 * The venue-neutral exchange interface and its domain types. The trader (src/trading, to come), the
 * doctor and strategy code depend on this file only; `src/exchange/cryptocom` implements it for
 * Crypto.com Exchange v1. The enums, candles and tickers it uses are the shared vocabulary of
 * src/domain (closed unions: `Order.type` and `Order.status` are never an unchecked string).
 *
 * Invariants every implementation keeps:
 * - Money is decimal: every price, quantity, notional, fee and balance is a `Dec`; values sent to the
 *   exchange are `DecimalText` (a `Dec` written exactly, or a decimal string sent verbatim) and are
 *   validated against the instrument rules before anything leaves the process.
 * - Order placement never throws for an exchange answer: it returns a `PlaceOrderOutcome` saying
 *   whether the order exists, does not exist, or cannot be known yet. It throws only for programming
 *   errors and for orders refused locally (`OrderValidationError`: the order never left the process).
 * - Every order carries a `clientOid` derived deterministically from the caller's `intentId`, so the
 *   same intent can never become two orders through a retry.
 */

import type { AtpError, ErrorCategory } from "../domain/errors.js";
import type { DecCandle, DecTicker } from "../domain/market.js";
import type {
  Liquidity,
  OrderStatus,
  OrderType,
  PlainOrderType,
  RefPriceType,
  Side,
  TimeInForce,
  TriggerType,
} from "../domain/orders.js";
import type { Dec } from "../util/decimal.js";

/** A decimal to send: a `Dec` (written exactly with `plain()`, never rounded here) or a decimal string sent verbatim. */
export type DecimalText = Dec | string;

/**
 * What every exchange failure exposes (the Crypto.com `ExchangeError` satisfies it). Its
 * `disposition` follows from its category (`CATEGORY_DISPOSITION` in src/domain/errors.ts).
 */
export interface ExchangeFailure extends AtpError {
  readonly method: string;
  readonly category: ErrorCategory;
  readonly code: number | undefined;
  readonly codeName: string;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;
  /** A transport failure after the request was written: the exchange may have acted on it. */
  readonly ambiguous: boolean;
}

/** Trading rules of one instrument (from the exchange's instrument list). */
export interface Instrument {
  symbol: string;
  instType: string;
  displayName: string;
  baseCcy: string;
  quoteCcy: string;
  /** Price decimals. */
  quoteDecimals: number;
  quantityDecimals: number;
  priceTickSize: Dec;
  /** Quantity step, which is also the minimum quantity. */
  qtyTickSize: Dec;
  /** Minimum notional in quote currency when known. */
  minNotional?: Dec | undefined;
  tradable: boolean;
}

export interface BookLevel {
  price: Dec;
  quantity: Dec;
  /** Number of orders at the level (the exchange currently reports 0). */
  count: number;
}

export interface OrderBook {
  symbol: string;
  /** Best first: bids descending, asks ascending. */
  bids: BookLevel[];
  asks: BookLevel[];
  /** Exchange time, ms (0 when unknown). */
  time: number;
  /** Sequence number of the last applied update (streams only). */
  sequence?: number | undefined;
}

export interface PublicTrade {
  symbol: string;
  tradeId: string;
  time: number;
  price: Dec;
  quantity: Dec;
  /** Taker side. */
  side: Side;
}

export interface CurrencyBalance {
  currency: string;
  /** Total quantity held. */
  total: Dec;
  /** Reserved by open orders. */
  reserved: Dec;
  /** total - reserved. */
  available: Dec;
  /** Market value in the account's valuation currency (USD), when reported. */
  marketValue: Dec | undefined;
  maxWithdrawal: Dec | undefined;
}

export interface AccountBalance {
  /** Available balance of the whole account in USD. */
  totalAvailable: Dec;
  totalCash: Dec | undefined;
  totalMargin: Dec | undefined;
  currencies: CurrencyBalance[];
}

export interface Order {
  orderId: string;
  clientOid: string;
  symbol: string;
  side: Side;
  type: OrderType;
  status: OrderStatus;
  timeInForce: TimeInForce | undefined;
  execInst: string[];
  /** Ordered base quantity (0 for a market BUY by notional). */
  quantity: Dec;
  /** Limit price (undefined for market orders). */
  price: Dec | undefined;
  /** Trigger price of a trigger order. */
  refPrice: Dec | undefined;
  /** Order value in quote currency (quantity × price, or the notional of a market BUY). */
  orderValue: Dec | undefined;
  avgPrice: Dec | undefined;
  filledQuantity: Dec;
  filledValue: Dec;
  /** Cumulative fee paid (positive = paid). */
  fee: Dec;
  feeCurrency: string | undefined;
  /** Exchange reason code of a REJECTED/CANCELED order. */
  reason: number | undefined;
  createTime: number;
  updateTime: number;
  /** OCO/OTO list id and the kind of list. */
  listId: string | undefined;
  contingencyType: string | undefined;
}

export interface Fill {
  tradeId: string;
  orderId: string;
  clientOid: string | undefined;
  symbol: string;
  side: Side;
  price: Dec;
  quantity: Dec;
  /** Fee paid (positive = paid, negative = rebate). */
  fee: Dec;
  feeCurrency: string | undefined;
  liquidity: Liquidity | undefined;
  time: number;
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface OrderRequest {
  /** Our idempotency key; the exchange client_oid is derived from it deterministically. */
  intentId: string;
  symbol: string;
  side: Side;
  type: PlainOrderType;
  quantity?: DecimalText | undefined;
  /** Quote amount to spend: MARKET BUY only (exclusive with quantity). */
  notional?: DecimalText | undefined;
  /** Limit price (LIMIT only). */
  price?: DecimalText | undefined;
  timeInForce?: TimeInForce | undefined;
  postOnly?: boolean | undefined;
}

export interface TriggerOrderRequest {
  intentId: string;
  symbol: string;
  side: Side;
  type: TriggerType;
  /** Trigger price. */
  refPrice: DecimalText;
  refPriceType?: RefPriceType | undefined;
  /** Limit price of a STOP_LIMIT / TAKE_PROFIT_LIMIT. */
  price?: DecimalText | undefined;
  quantity?: DecimalText | undefined;
  notional?: DecimalText | undefined;
  timeInForce?: TimeInForce | undefined;
}

export interface OcoLeg {
  type: "LIMIT" | TriggerType;
  side: Side;
  quantity: DecimalText;
  price?: DecimalText | undefined;
  refPrice?: DecimalText | undefined;
  refPriceType?: RefPriceType | undefined;
  timeInForce?: TimeInForce | undefined;
  /** Defaults to `${intentId}/leg<i>`. */
  intentId?: string | undefined;
}

export interface OcoRequest {
  intentId: string;
  symbol: string;
  /** Exactly two legs: one LIMIT and one trigger order. */
  legs: readonly [OcoLeg, OcoLeg];
}

export type OrderRef = { orderId: string } | { clientOid: string };

export interface HistoryQuery {
  symbol?: string | undefined;
  /** ms since the epoch. */
  startTime?: number | undefined;
  endTime?: number | undefined;
  limit?: number | undefined;
}

export interface CandleQuery {
  count?: number | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Outcomes

/**
 * The result of placing an order. Only `accepted` means the order exists on the exchange; only
 * `rejected` without an `orderId` and `not_sent` mean it certainly does not. `not_found` and
 * `unknown` are the ambiguous cases: do not re-send until `resendSafeAfter` has passed and a new
 * probe still finds nothing.
 */
export type PlaceOrderOutcome =
  | {
      status: "accepted";
      clientOid: string;
      orderId: string;
      /** True when the acknowledgement was lost and the order was found by probing its client_oid. */
      probed: boolean;
      /** The order as the probe found it (probed only). */
      order?: Order | undefined;
      /** Requests written for this placement (1 unless a definite refusal such as 42901 was re-sent). */
      attempts: number;
    }
  | {
      status: "rejected";
      clientOid: string;
      error: ExchangeFailure;
      /**
       * Present when the exchange rejected with a result: the order was created and then rejected
       * or cancelled (IOC/FOK may carry fills). Look it up before acting on the rejection.
       */
      orderId?: string | undefined;
      attempts: number;
    }
  | {
      /** The request never left the process intact (connection refused, connect timeout). */
      status: "not_sent";
      clientOid: string;
      error: ExchangeFailure;
      attempts: number;
    }
  | {
      /** Outcome was ambiguous and probing by client_oid found nothing (yet). */
      status: "not_found";
      clientOid: string;
      error: ExchangeFailure;
      probes: number;
      /** ms since the epoch after which the exchange would refuse the lost request as stale. */
      resendSafeAfter: number;
      attempts: number;
    }
  | {
      /** Outcome was ambiguous and the probe itself failed. */
      status: "unknown";
      clientOid: string;
      error: ExchangeFailure;
      probeError: ExchangeFailure;
      resendSafeAfter: number;
      attempts: number;
    };

export type PlaceOcoOutcome =
  | { status: "accepted"; listId: string; clientOids: [string, string]; probed: boolean; attempts: number }
  | Exclude<PlaceOrderOutcome, { status: "accepted" }>;

export interface CancelAck {
  orderId: string | undefined;
  clientOid: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// The interface

/** A rule the venue would refuse an order for, found before anything is sent. */
export interface RuleViolation {
  field: string;
  rule: string;
  /** The venue's code for the refusal this rule prevents (Crypto.com: 213, 308, 415, …). */
  code: number;
  /** The value to send instead, when one exists. */
  corrected?: string | undefined;
}

/**
 * The venue's order rules (precision, minimum size, shape), so venue-neutral code (the trader) sizes
 * orders the venue accepts and never sends one it would refuse. Pure: no I/O.
 */
export interface OrderRules {
  /** Base quantity floored to the quantity step: never more than asked. */
  floorQuantity(inst: Instrument, qty: Dec): Dec;
  /** A price rounded to the price tick, down or up. */
  roundPrice(inst: Instrument, price: Dec, direction: "down" | "up"): Dec;
  /** A quote amount (market BUY notional) floored to the quote precision: never spend more than asked. */
  floorNotional(inst: Instrument, notional: Dec): Dec;
  /**
   * Everything the venue would refuse in this request, in the order it checks (empty: it would
   * accept it). `marketPrice` values orders given by quantity alone for the minimum order value.
   */
  check(inst: Instrument, req: OrderRequest | TriggerOrderRequest, marketPrice?: Dec): RuleViolation[];
}

export interface ExchangeClient {
  readonly venue: string;
  /** The venue's order rules (pure; no call). */
  readonly rules: OrderRules;

  getInstruments(opts?: { refresh?: boolean }): Promise<Instrument[]>;
  /** From the instrument cache (loaded on first use, refreshed once when a symbol is missing). */
  getInstrument(symbol: string): Promise<Instrument | undefined>;
  getTickers(symbol?: string): Promise<DecTicker[]>;
  getBook(symbol: string, depth?: number): Promise<OrderBook>;
  getCandles(symbol: string, timeframe: string, query?: CandleQuery): Promise<DecCandle[]>;
  getPublicTrades(symbol: string, count?: number): Promise<PublicTrade[]>;

  getBalance(): Promise<AccountBalance>;

  /** The client_oid an intent maps to (pure, deterministic). */
  clientOidFor(intentId: string): string;
  placeOrder(req: OrderRequest): Promise<PlaceOrderOutcome>;
  placeTriggerOrder(req: TriggerOrderRequest): Promise<PlaceOrderOutcome>;
  placeOco(req: OcoRequest): Promise<PlaceOcoOutcome>;
  /** Looks an order up by client_oid (plain, then trigger orders); undefined when the exchange has none. */
  probeOrder(clientOid: string, trigger?: boolean): Promise<Order | undefined>;

  cancelOrder(ref: OrderRef): Promise<CancelAck>;
  cancelAllOrders(symbol?: string): Promise<void>;
  cancelOco(listId: string): Promise<void>;

  getOpenOrders(symbol?: string): Promise<Order[]>;
  /** Undefined when the exchange answers "not found". */
  getOrder(ref: OrderRef): Promise<Order | undefined>;
  getOrderHistory(query?: HistoryQuery): Promise<Order[]>;
  getMyTrades(query?: HistoryQuery): Promise<Fill[]>;
  getOpenTriggerOrders(symbol?: string): Promise<Order[]>;
  getTriggerOrder(ref: OrderRef): Promise<Order | undefined>;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Streams

export interface BalanceUpdate {
  balance: AccountBalance;
  time: number;
}

/** Where an order update came from: the live stream, or the REST gap-fill after a reconnect. */
export type UpdateSource = "stream" | "gapfill";

export interface UserStreamEvents {
  order: (order: Order, source: UpdateSource) => void;
  triggerOrder: (order: Order, source: UpdateSource) => void;
  trade: (fill: Fill) => void;
  balance: (update: BalanceUpdate) => void;
  /** Authenticated and subscribed (first time and after each reconnect). */
  ready: () => void;
  disconnected: (info: { code: number; reason: string; willReconnect: boolean }) => void;
  error: (error: Error) => void;
}

export interface MarketStreamEvents {
  ticker: (ticker: DecTicker) => void;
  /** The full local book after each applied snapshot or delta. */
  book: (book: OrderBook) => void;
  /** A sequence gap was detected and the book is being re-synchronised. */
  bookGap: (info: { symbol: string; expected: number; got: number }) => void;
  trade: (trade: PublicTrade) => void;
  candle: (candle: DecCandle & { symbol: string; timeframe: string }) => void;
  ready: () => void;
  disconnected: (info: { code: number; reason: string; willReconnect: boolean }) => void;
  error: (error: Error) => void;
}

/**
 * Order, trade and balance updates of the account, with connection state: the live user stream
 * (and its REST gap-fill after a reconnect) or a dry-run broker's own events. `ready` fires on
 * every (re)connect: a consumer reconciles then. Listeners must not throw.
 */
export interface OrderUpdateSource {
  on<E extends keyof UserStreamEvents>(event: E, listener: UserStreamEvents[E]): unknown;
  off<E extends keyof UserStreamEvents>(event: E, listener: UserStreamEvents[E]): unknown;
  /** Authenticated and subscribed right now (a dry-run broker is always connected). */
  readonly connected: boolean;
}
