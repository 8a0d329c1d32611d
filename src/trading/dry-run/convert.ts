/**
 * Between the venue-neutral shapes of src/exchange/types.ts and the matching core's own: requests
 * become `VenueOrderRequest`s (the exact decimal text the live client would send), core orders,
 * fills and balances become `Order`, `Fill` and `AccountBalance` as the live client's parsers
 * produce them from the same state on the wire.
 *
 * Invariants:
 * - Decimals are never rounded here: a string is passed verbatim, a `Dec` written with `plain()`.
 * - Conversions copy: an `Order` handed out is a snapshot, never the core's mutable object.
 */

import type { Ledger, VenueFill, VenueOrder, VenueOrderRequest } from "../../emulator/matching/index.js";
import type {
  AccountBalance,
  CurrencyBalance,
  DecimalText,
  Fill,
  OcoLeg,
  Order,
  OrderRequest,
  TriggerOrderRequest,
} from "../../exchange/types.js";
import { Dec, plain } from "../../util/decimal.js";

const ZERO = new Dec(0);

function text(v: DecimalText | undefined, field: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (v instanceof Dec) return plain(v);
  throw new TypeError(`${field}: ${typeof v} is not a decimal string or Dec`);
}

export function plainVenueRequest(req: OrderRequest, clientOid: string): VenueOrderRequest {
  return {
    instrument_name: req.symbol,
    side: req.side,
    type: req.type,
    quantity: text(req.quantity, "quantity"),
    notional: text(req.notional, "notional"),
    price: text(req.price, "price"),
    time_in_force: req.timeInForce,
    exec_inst: req.postOnly ? ["POST_ONLY"] : undefined,
    client_oid: clientOid,
  };
}

export function triggerVenueRequest(req: TriggerOrderRequest, clientOid: string): VenueOrderRequest {
  return {
    instrument_name: req.symbol,
    side: req.side,
    type: req.type,
    quantity: text(req.quantity, "quantity"),
    notional: text(req.notional, "notional"),
    price: text(req.price, "price"),
    ref_price: text(req.refPrice, "ref_price"),
    ref_price_type: req.refPriceType,
    time_in_force: req.timeInForce,
    client_oid: clientOid,
  };
}

export function legVenueRequest(symbol: string, leg: OcoLeg, clientOid: string): VenueOrderRequest {
  return {
    instrument_name: symbol,
    side: leg.side,
    type: leg.type,
    quantity: text(leg.quantity, "quantity"),
    price: text(leg.price, "price"),
    ref_price: text(leg.refPrice, "ref_price"),
    ref_price_type: leg.refPriceType,
    time_in_force: leg.timeInForce,
    client_oid: clientOid,
  };
}

export function orderFromVenue(o: VenueOrder): Order {
  const orderValue = o.notional ?? (o.price && o.quantity ? o.price.mul(o.quantity) : undefined);
  return {
    orderId: o.orderId,
    clientOid: o.clientOid,
    symbol: o.instrument.symbol,
    side: o.side,
    type: o.type,
    status: o.status,
    timeInForce: o.timeInForce,
    execInst: [...o.execInst],
    quantity: o.quantity ?? ZERO,
    price: o.price,
    refPrice: o.refPrice,
    orderValue,
    avgPrice: o.cumQty.gt(0) ? o.cumValue.div(o.cumQty) : undefined,
    filledQuantity: o.cumQty,
    filledValue: o.cumValue,
    fee: o.cumFee,
    feeCurrency: o.feeCcy,
    reason: o.reason,
    createTime: o.createTime,
    updateTime: o.updateTime,
    listId: o.listId,
    contingencyType: o.contingencyType,
  };
}

export function fillFromVenue(f: VenueFill): Fill {
  return {
    tradeId: f.tradeId,
    orderId: f.orderId,
    clientOid: f.clientOid,
    symbol: f.instrument.symbol,
    side: f.side,
    price: f.price,
    quantity: f.quantity,
    fee: f.fee,
    feeCurrency: f.feeCcy,
    liquidity: f.role,
    time: f.time,
  };
}

/** The account's balance; `usdPrice` values a currency (undefined: not valued, left out of the totals). */
export function balanceFromLedger(
  ledger: Ledger,
  account: string,
  usdPrice: (ccy: string) => Dec | undefined,
): AccountBalance {
  let available = ZERO;
  let total = ZERO;
  const currencies: CurrencyBalance[] = [];
  for (const [ccy, row] of ledger.rows(account)) {
    const px = usdPrice(ccy);
    const free = row.total.sub(row.reserved);
    if (px) {
      available = available.add(Dec.max(free, ZERO).mul(px));
      total = total.add(row.total.mul(px));
    }
    currencies.push({
      currency: ccy,
      total: row.total,
      reserved: row.reserved,
      available: free,
      marketValue: px ? row.total.mul(px) : undefined,
      maxWithdrawal: Dec.max(free, ZERO),
    });
  }
  return { totalAvailable: available, totalCash: total, totalMargin: total, currencies };
}
