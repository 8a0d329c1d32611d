/**
 * The matching core's state in the exchange's wire format (reference §5.2-§5.4): order objects,
 * private trades and user-balance rows. Decimals are strings; timestamps are ms numbers with `_ns`
 * strings beside them, as in the exchange's captures.
 */
import { createHash } from "node:crypto";
import { priceDecimals, quantityDecimals } from "../../exchange/cryptocom/instruments.js";
import { Dec, plain } from "../../util/decimal.js";
import type { Ledger } from "./ledger.js";
import type { VenueFill, VenueOrder } from "./types.js";

const accountIds = new Map<string, string>();

/** A stable UUID-shaped account id derived from the account name (hashed once per account). */
export function accountId(account: string): string {
  let id = accountIds.get(account);
  if (id === undefined) {
    const h = createHash("sha256").update(`atp-emulator:${account}`).digest("hex");
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    accountIds.set(account, id);
  }
  return id;
}

function ns(ms: number): string {
  return `${ms}000000`;
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function trim(d: Dec, dp = 12): string {
  return d.toDecimalPlaces(dp).toFixed();
}

/*
 * Order object as private/get-open-orders, get-order-detail and user.order carry it:
 * {"account_id":"…","order_id":"6142909895025252686","client_oid":"c1","order_type":"LIMIT",
 *  "time_in_force":"GOOD_TILL_CANCEL","side":"BUY","exec_inst":[],"quantity":"0.00020",
 *  "limit_price":"20000.00","order_value":"4","maker_fee_rate":"0.0025","taker_fee_rate":"0.005",
 *  "avg_price":"0","cumulative_quantity":"0","cumulative_value":"0","cumulative_fee":"0",
 *  "status":"ACTIVE","update_user_id":"…","order_date":"2023-06-15","instrument_name":"BTC_USD",
 *  "fee_instrument_name":"BTC","create_time":1686870220684,"create_time_ns":"1686870220684000000",
 *  "update_time":1686870220684}
 */
export function orderToWire(o: VenueOrder): Record<string, unknown> {
  const inst = o.instrument;
  const qdp = quantityDecimals(inst);
  const pdp = priceDecimals(inst);
  const orderValue = o.notional ?? (o.price && o.quantity ? o.price.mul(o.quantity) : undefined);
  const out: Record<string, unknown> = {
    account_id: accountId(o.account),
    order_id: o.orderId,
    client_oid: o.clientOid,
    order_type: o.type,
    time_in_force: o.timeInForce,
    side: o.side,
    exec_inst: [...o.execInst],
    quantity: o.quantity ? plain(o.quantity, qdp) : "0",
    limit_price: o.price ? plain(o.price, pdp) : "0",
    order_value: orderValue ? trim(orderValue) : "0",
    maker_fee_rate: o.makerFeeRate.toFixed(),
    taker_fee_rate: o.takerFeeRate.toFixed(),
    avg_price: o.cumQty.gt(0) ? trim(o.cumValue.div(o.cumQty), pdp + 4) : "0",
    cumulative_quantity: plain(o.cumQty, qdp),
    cumulative_value: trim(o.cumValue),
    cumulative_fee: trim(o.cumFee, 16),
    status: o.status,
    update_user_id: accountId(o.account),
    order_date: date(o.createTime),
    instrument_name: inst.symbol,
    fee_instrument_name: o.feeCcy,
    create_time: o.createTime,
    create_time_ns: ns(o.createTime),
    update_time: o.updateTime,
  };
  if (o.notional) out.notional = trim(o.notional);
  if (o.reason !== undefined) out.reason = o.reason;
  if (o.refPrice) {
    out.ref_price = plain(o.refPrice, pdp);
    out.ref_price_type = o.refPriceType;
    out.trigger_price = plain(o.refPrice, pdp);
  }
  if (o.listId) {
    out.list_id = o.listId;
    out.contingency_type = o.contingencyType;
  }
  return out;
}

/*
 * Private trade as private/get-trades returns it (user.trade carries the same plus transaction_time):
 * {"account_id":"…","event_date":"2023-06-15","journal_type":"TRADING","side":"BUY",
 *  "instrument_name":"BTC_USD","fees":"-0.00000050","trade_id":"…","trade_match_id":"…",
 *  "create_time":1686870220684,"traded_price":"25000.00","traded_quantity":"0.00020",
 *  "fee_instrument_name":"BTC","client_oid":"c1","taker_side":"TAKER","order_id":"…",
 *  "create_time_ns":"…","transact_time_ns":"…","match_count":"1","match_index":"0"}
 */
export function fillToWire(f: VenueFill): Record<string, unknown> {
  const inst = f.instrument;
  return {
    account_id: accountId(f.account),
    event_date: date(f.time),
    journal_type: "TRADING",
    side: f.side,
    instrument_name: inst.symbol,
    fees: f.fee.isZero() ? "0" : `-${trim(f.fee, 16)}`,
    fee_credits: "0",
    trade_id: f.tradeId,
    trade_match_id: f.matchId,
    create_time: f.time,
    traded_price: plain(f.price, priceDecimals(inst)),
    traded_quantity: plain(f.quantity, quantityDecimals(inst)),
    fee_instrument_name: f.feeCcy,
    client_oid: f.clientOid,
    taker_side: f.role,
    order_id: f.orderId,
    create_time_ns: ns(f.time),
    transact_time_ns: ns(f.time),
    match_count: "1",
    match_index: "0",
  };
}

/*
 * private/user-balance result.data (one row, the USD summary, with per-currency position_balances):
 * {"instrument_name":"USD","total_available_balance":"…","total_margin_balance":"…",
 *  "total_initial_margin":"0", …, "position_balances":[{"instrument_name":"BTC","quantity":"0.25",
 *  "market_value":"16250","collateral_eligible":"true","haircut":"0","collateral_amount":"16250",
 *  "max_withdrawal_balance":"0.25","reserved_qty":"0"}]}
 */
export function balanceToWire(
  ledger: Ledger,
  account: string,
  usdPrice: (ccy: string) => Dec | undefined,
): Record<string, unknown> {
  let totalValue = new Dec(0);
  let availableValue = new Dec(0);
  const positions: Record<string, unknown>[] = [];
  for (const [ccy, row] of ledger.rows(account)) {
    const px = usdPrice(ccy) ?? new Dec(0);
    const value = row.total.mul(px);
    const available = row.total.sub(row.reserved);
    totalValue = totalValue.add(value);
    availableValue = availableValue.add(available.mul(px));
    positions.push({
      instrument_name: ccy,
      quantity: trim(row.total, 16),
      market_value: trim(value, 8),
      collateral_eligible: "true",
      haircut: "0",
      collateral_amount: trim(value, 8),
      max_withdrawal_balance: trim(Dec.max(available, 0), 16),
      reserved_qty: trim(row.reserved, 16),
    });
  }
  return {
    instrument_name: "USD",
    total_available_balance: trim(availableValue, 8),
    total_margin_balance: trim(totalValue, 8),
    total_initial_margin: trim(totalValue.sub(availableValue), 8),
    total_position_im: "0",
    total_haircut: "0",
    total_maintenance_margin: "0",
    total_position_cost: "0",
    total_cash_balance: trim(totalValue, 8),
    total_collateral_value: trim(totalValue, 8),
    total_session_unrealized_pnl: "0",
    total_session_realized_pnl: "0",
    is_liquidating: false,
    total_effective_leverage: "0",
    position_limit: "3000000",
    used_position_limit: "0",
    total_isolated_cash_balance: "0",
    isolated_positions: [],
    position_balances: positions,
  };
}
