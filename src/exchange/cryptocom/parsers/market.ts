/** Parsers for the public market-data endpoints (reference §5.1) and their WebSocket pushes (§7). */
import type { DecCandle, DecTicker } from "../../../domain/market.js";
import type { Instrument, OrderBook, PublicTrade } from "../../types.js";
import type { Instrument as RulesInstrument } from "../instruments.js";
import { wireSide } from "./enums.js";
import { arr, bool, dataArray, decField, decOpt, int, ms, obj, type Raw, str, strOpt } from "./wire.js";

// The venue-neutral Instrument and the one instruments.ts validates against must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameInstrument: Same<Instrument, RulesInstrument> = true;
void _sameInstrument;

/*
 * public/get-instruments → result
 * {"data":[{"symbol":"BTC_USD","inst_type":"CCY_PAIR","display_name":"BTC/USD","base_ccy":"BTC",
 *   "quote_ccy":"USD","quote_decimals":2,"quantity_decimals":5,"price_tick_size":"0.01",
 *   "qty_tick_size":"0.00001","max_leverage":"50","tradable":true,"expiry_timestamp_ms":0,
 *   "beta_product":false,"margin_buy_enabled":false,"margin_sell_enabled":true}]}
 * (quote_decimals / quantity_decimals seen as numbers and as strings; tradable as bool or "true".)
 */
export function parseInstrument(v: unknown, path = "instrument"): Instrument {
  const r = obj(v, path);
  return {
    symbol: str(r.symbol, `${path}.symbol`),
    instType: strOpt(r.inst_type) ?? "CCY_PAIR",
    displayName: strOpt(r.display_name) ?? str(r.symbol, `${path}.symbol`),
    baseCcy: str(r.base_ccy, `${path}.base_ccy`),
    quoteCcy: str(r.quote_ccy, `${path}.quote_ccy`),
    quoteDecimals: int(r.quote_decimals, `${path}.quote_decimals`),
    quantityDecimals: int(r.quantity_decimals, `${path}.quantity_decimals`),
    priceTickSize: decField(r.price_tick_size, `${path}.price_tick_size`),
    qtyTickSize: decField(r.qty_tick_size, `${path}.qty_tick_size`),
    minNotional: undefined,
    tradable: r.tradable === undefined ? true : bool(r.tradable, `${path}.tradable`),
  };
}

export function parseInstruments(result: unknown): Instrument[] {
  return dataArray(result, "result").map((v, i) => parseInstrument(v, `result.data[${i}]`));
}

/*
 * public/get-tickers → result
 * {"data":[{"i":"BTC_USD","h":"51790.00","l":"47895.50","a":"51174.50","v":"879.5024",
 *   "vv":"26370000.12","c":"0.03955106","b":"51170.00","k":"51180.00","oi":"0","t":1613580710768}]}
 * Any of h/l/a/b/k/c may be null when there were no trades or quotes.
 * ticker.{i} pushes (WS) add "bs"/"ks" (best bid/ask size) in the same object.
 */
export function parseTicker(v: unknown, path = "ticker"): DecTicker {
  const r = obj(v, path);
  return {
    symbol: str(r.i, `${path}.i`),
    last: decOpt(r.a, `${path}.a`),
    bid: decOpt(r.b, `${path}.b`),
    ask: decOpt(r.k, `${path}.k`),
    bidSize: decOpt(r.bs, `${path}.bs`),
    askSize: decOpt(r.ks, `${path}.ks`),
    high: decOpt(r.h, `${path}.h`),
    low: decOpt(r.l, `${path}.l`),
    volume: decOpt(r.v, `${path}.v`),
    volumeValue: decOpt(r.vv, `${path}.vv`),
    changeRatio: decOpt(r.c, `${path}.c`),
    time: ms(r.t, `${path}.t`),
  };
}

export function parseTickers(result: unknown): DecTicker[] {
  return dataArray(result, "result").map((v, i) => parseTicker(v, `result.data[${i}]`));
}

/** A book level `["50126.000000", "0.400000", "2"]` (count may be a number or missing). */
export function parseLevels(v: unknown, path: string): OrderBook["bids"] {
  return arr(v ?? [], path).map((lv, i) => {
    const l = arr(lv, `${path}[${i}]`);
    return {
      price: decField(l[0], `${path}[${i}][0]`),
      quantity: decField(l[1], `${path}[${i}][1]`),
      count: l[2] === undefined || l[2] === null ? 0 : int(l[2], `${path}[${i}][2]`),
    };
  });
}

/*
 * public/get-book → result
 * {"instrument_name":"BTC_USD","depth":10,"data":[{"bids":[["50113.500000","0.400000","0"]],
 *   "asks":[["50126.000000","0.400000","0"]],"t":1613580710768}]}
 */
export function parseBook(result: unknown, symbol: string): OrderBook {
  const r = obj(result, "result");
  const rows = arr(r.data, "result.data");
  const d = rows.length > 0 ? obj(rows[0], "result.data[0]") : ({} as Raw);
  return {
    symbol: strOpt(r.instrument_name) ?? symbol,
    bids: parseLevels(d.bids, "result.data[0].bids"),
    asks: parseLevels(d.asks, "result.data[0].asks"),
    time: ms(d.t, "result.data[0].t"),
  };
}

/*
 * public/get-candlestick → result
 * {"instrument_name":"BTC_USD","interval":"1m","data":[{"o":"50508.500000","h":"50548.500000",
 *   "l":"50172.500000","c":"50202.000000","v":"17.203200","t":1613544000000}]}
 * candlestick.{tf}.{i} pushes carry the same data objects.
 */
export function parseCandle(v: unknown, path = "candle"): DecCandle {
  const r = obj(v, path);
  return {
    time: ms(r.t, `${path}.t`),
    open: decField(r.o, `${path}.o`),
    high: decField(r.h, `${path}.h`),
    low: decField(r.l, `${path}.l`),
    close: decField(r.c, `${path}.c`),
    volume: decField(r.v ?? "0", `${path}.v`),
  };
}

export function parseCandles(result: unknown): DecCandle[] {
  return dataArray(result, "result")
    .map((v, i) => parseCandle(v, `result.data[${i}]`))
    .sort((a, b) => a.time - b.time);
}

/*
 * public/get-trades → result
 * {"data":[{"d":"15281981878","t":1613581138462,"tn":"1613581138462000001","q":"0.0015",
 *   "p":"51170.00","s":"BUY","i":"BTC_USD","m":"76423"}]}
 * trade.{i} pushes carry the same objects ("s" is the taker side).
 */
export function parsePublicTrade(v: unknown, path = "trade"): PublicTrade {
  const r = obj(v, path);
  return {
    symbol: str(r.i, `${path}.i`),
    tradeId: str(r.d, `${path}.d`),
    time: ms(r.t, `${path}.t`),
    price: decField(r.p, `${path}.p`),
    quantity: decField(r.q, `${path}.q`),
    side: wireSide(r.s, `${path}.s`),
  };
}

export function parsePublicTrades(result: unknown): PublicTrade[] {
  return dataArray(result, "result").map((v, i) => parsePublicTrade(v, `result.data[${i}]`));
}
