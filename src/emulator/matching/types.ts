/**
 * Types of the matching core: order requests as the exchange receives them (enums checked, decimals
 * still the text that was sent), order state, fills and the market view the core fills against.
 * All money is `Dec`. The enums are the shared vocabulary (src/domain/orders.ts); the `Venue…` names
 * keep the core's own shapes apart from the venue-neutral `Order`/`Fill` of src/exchange/types.ts.
 */
import type {
  Liquidity,
  OrderStatus,
  OrderType,
  RefPriceType,
  Side,
  TimeInForce,
} from "../../domain/orders.js";
import type { Instrument } from "../../exchange/cryptocom/instruments.js";
import type { Dec } from "../../util/decimal.js";

/** Which endpoint family created an order: `private/create-order` or `private/advanced/…`. */
export type Origin = "plain" | "advanced";

/** An order as the exchange receives it: enum fields already checked, decimals the exact text sent. */
export interface VenueOrderRequest {
  instrument_name: string;
  side: Side;
  type: OrderType;
  quantity?: string | undefined;
  notional?: string | undefined;
  price?: string | undefined;
  ref_price?: string | undefined;
  ref_price_type?: RefPriceType | undefined;
  time_in_force?: TimeInForce | undefined;
  exec_inst?: readonly string[] | undefined;
  client_oid: string;
}

/** Balance held for open orders; OCO legs share one. `amount` is what is still reserved. */
export interface Reservation {
  account: string;
  ccy: string;
  amount: Dec;
}

export interface VenueOrder {
  orderId: string;
  clientOid: string;
  account: string;
  instrument: Instrument;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  execInst: string[];
  quantity: Dec | undefined;
  notional: Dec | undefined;
  price: Dec | undefined;
  refPrice: Dec | undefined;
  refPriceType: RefPriceType | undefined;
  status: OrderStatus;
  /** Reason code of a REJECTED/CANCELED order (a §4 code), when there is one. */
  reason: number | undefined;
  cumQty: Dec;
  cumValue: Dec;
  cumFee: Dec;
  feeCcy: string;
  makerFeeRate: Dec;
  takerFeeRate: Dec;
  createTime: number;
  updateTime: number;
  origin: Origin;
  listId: string | undefined;
  contingencyType: "OCO" | undefined;
  /** True once a trigger order's condition was met (it then works as a LIMIT or MARKET order). */
  triggered: boolean;
  /** False until `execute()` ran (the asynchronous part after the acknowledgement). */
  processed: boolean;
  reservation: Reservation | undefined;
  seq: number;
}

export interface VenueFill {
  tradeId: string;
  matchId: string;
  orderId: string;
  clientOid: string;
  account: string;
  instrument: Instrument;
  side: Side;
  price: Dec;
  quantity: Dec;
  /** Fee paid (positive), in `feeCcy` (the currency received). */
  fee: Dec;
  feeCcy: string;
  role: Liquidity;
  time: number;
}

export interface VenueBookLevel {
  price: Dec;
  qty: Dec;
}

/**
 * What the core fills against. The emulator's simulated market implements it; a dry-run broker
 * can implement it over the real exchange's book (and make `consume` a no-op).
 */
export interface MarketView {
  /** Levels best first (bids descending, asks ascending). */
  levels(symbol: string, side: "bids" | "asks"): readonly VenueBookLevel[];
  /** Reference price for triggers and price bands; undefined when the market has none yet. */
  refPrice(symbol: string, type: RefPriceType): Dec | undefined;
  /** Removes filled liquidity from the book (optional). */
  consume?(symbol: string, side: "bids" | "asks", price: Dec, qty: Dec): void;
}

export type EngineEvent =
  | { type: "order"; order: VenueOrder }
  | { type: "fill"; fill: VenueFill }
  | { type: "balance"; account: string; currencies: string[] }
  | { type: "public_trade"; symbol: string; price: Dec; qty: Dec; takerSide: Side; time: number }
  /** A final order dropped from the engine's memory (beyond `maxFinalOrders`), with its fills. */
  | { type: "forgotten"; order: VenueOrder };

export type SubmitResult =
  | { ok: true; order: VenueOrder }
  /** `order` is set when the rejection is recorded as a REJECTED order (reject_with_result). */
  | { ok: false; code: number; message: string; order?: VenueOrder | undefined };
