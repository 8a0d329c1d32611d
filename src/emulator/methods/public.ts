/**
 * Public market-data methods (reference §5.1), answered from the simulated market.
 * Unknown instruments give 40004 "Invalid instrument_name" (the message JKorf maps to UnknownSymbol).
 */
import type { JsonObject } from "../../domain/json-text.js";
import { TIMEFRAME_MS, type Timeframe } from "../../exchange/cryptocom/constants.js";
import type { EmulatedExchange, Handler } from "../exchange.js";
import { ok } from "../http/envelope.js";
import { instrumentToWire } from "../instruments.js";
import { timeframeOf } from "../market/candles.js";
import { optInt, optString, optTime, ParamError, reqString } from "./params.js";

const DAY = 86_400_000;

function instrumentParam(ex: EmulatedExchange, p: JsonObject, required: boolean): string | undefined {
  const name = required ? reqString(p, "instrument_name") : optString(p, "instrument_name");
  if (name !== undefined && !ex.market.has(name)) {
    throw new ParamError(40004, `Invalid instrument_name: ${name}`);
  }
  return name;
}

/* {"id":-1,"method":"public/get-instruments","code":0,"result":{"data":[{"symbol":"BTC_USD",…}]}} */
const getInstruments: Handler = (ex) => {
  const t = ex.clock.now();
  return ok({ data: ex.engine.instrumentList().map((i) => instrumentToWire(i, t)) });
};

/* {"result":{"data":[{"i":"BTC_USD","h":"…","l":"…","a":"…","v":"…","vv":"…","c":"…","b":"…","k":"…","oi":"0","t":…}]}} */
const getTickers: Handler = (ex, ctx) => {
  const name = instrumentParam(ex, ctx.params, false);
  const symbols = name ? [name] : ex.market.symbols();
  return ok({ data: symbols.map((s) => ex.market.tickerWire(s)) });
};

/* {"result":{"instrument_name":"BTC_USD","depth":10,"data":[{"bids":[["64999.99","0.5","1"]],"asks":[…],"t":…,"u":…}]}} */
const getBook: Handler = (ex, ctx) => {
  const name = instrumentParam(ex, ctx.params, true)!;
  const depth = optInt(ctx.params, "depth", 1, 50) ?? 50;
  const b = ex.market.bookWire(name, depth);
  return ok({
    instrument_name: name,
    depth,
    data: [{ bids: b.bids, asks: b.asks, t: b.t, tt: b.t, u: b.u }],
  });
};

/* {"result":{"instrument_name":"BTC_USD","interval":"1h","data":[{"o":"…","h":"…","l":"…","c":"…","v":"…","t":1700000000000}]}} */
const getCandlestick: Handler = (ex, ctx) => {
  const name = instrumentParam(ex, ctx.params, true)!;
  const tfText = optString(ctx.params, "timeframe") ?? "1m";
  const tf: Timeframe | undefined = timeframeOf(tfText);
  if (!tf) throw new ParamError(40004, `Invalid timeframe: ${tfText}`);
  const count = optInt(ctx.params, "count", 1, 10_000) ?? 25;
  const end = optTime(ctx.params, "end_ts") ?? ex.marketNow();
  const window = ex.config.switches.candlestick_default_window === "count" ? count * TIMEFRAME_MS[tf] : DAY;
  const start = optTime(ctx.params, "start_ts") ?? end - window;
  const candles = ex.market.candles(name, tf, start, end, Math.min(count, 300));
  return ok({
    instrument_name: name,
    interval: tfText,
    data: candles.map((c) => ex.market.candleToWire(name, c)),
  });
};

/* {"result":{"data":[{"d":"…","t":…,"tn":"…","q":"0.01","p":"65000.00","s":"BUY","i":"BTC_USD","m":"…"}]}} */
const getTrades: Handler = (ex, ctx) => {
  const name = instrumentParam(ex, ctx.params, true)!;
  const count = optInt(ctx.params, "count", 1, 150) ?? 25;
  const start = optTime(ctx.params, "start_ts");
  const end = optTime(ctx.params, "end_ts");
  const out: Record<string, unknown>[] = [];
  const tape = ex.market.trades(name);
  for (let i = tape.length - 1; i >= 0 && out.length < count; i--) {
    const tr = tape[i]!;
    if (end !== undefined && tr.t >= end) continue;
    if (start !== undefined && tr.t < start) break;
    out.push(ex.market.tradeToWire(name, tr));
  }
  return ok({ data: out });
};

export const PUBLIC_METHODS: ReadonlyArray<readonly [string, Handler]> = [
  ["public/get-instruments", getInstruments],
  ["public/get-tickers", getTickers],
  ["public/get-book", getBook],
  ["public/get-candlestick", getCandlestick],
  ["public/get-trades", getTrades],
];
