/**
 * Instrument specs from the emulator configuration, as the shared `Instrument` type (what the
 * matching core and the client's validators use) and as public/get-instruments rows.
 */
import type { Instrument } from "../exchange/cryptocom/instruments.js";
import { dec } from "../util/decimal.js";
import type { InstrumentSpec } from "./config.js";

export function toInstrument(spec: InstrumentSpec): Instrument {
  const priceTick = dec(spec.price_tick_size);
  const qtyTick = dec(spec.qty_tick_size);
  return {
    symbol: spec.symbol,
    instType: "CCY_PAIR",
    displayName: spec.display_name ?? `${spec.base_ccy}/${spec.quote_ccy}`,
    baseCcy: spec.base_ccy,
    quoteCcy: spec.quote_ccy,
    quoteDecimals: spec.quote_decimals ?? priceTick.decimalPlaces(),
    quantityDecimals: spec.quantity_decimals ?? qtyTick.decimalPlaces(),
    priceTickSize: priceTick,
    qtyTickSize: qtyTick,
    minNotional: spec.min_notional !== undefined ? dec(spec.min_notional) : undefined,
    tradable: spec.tradable,
  };
}

/*
 * public/get-instruments row (spot):
 * {"symbol":"BTC_USDT","inst_type":"CCY_PAIR","display_name":"BTC/USDT","base_ccy":"BTC",
 *  "quote_ccy":"USDT","quote_decimals":2,"quantity_decimals":5,"price_tick_size":"0.01",
 *  "qty_tick_size":"0.00001","max_leverage":"50","tradable":true,"expiry_timestamp_ms":0,
 *  "beta_product":false,"margin_buy_enabled":false,"margin_sell_enabled":false}
 */
export function instrumentToWire(i: Instrument, updatedMs: number): Record<string, unknown> {
  return {
    symbol: i.symbol,
    inst_type: i.instType,
    display_name: i.displayName,
    base_ccy: i.baseCcy,
    quote_ccy: i.quoteCcy,
    quote_decimals: i.quoteDecimals,
    quantity_decimals: i.quantityDecimals,
    price_tick_size: i.priceTickSize.toFixed(),
    qty_tick_size: i.qtyTickSize.toFixed(),
    max_leverage: "1",
    tradable: i.tradable,
    expiry_timestamp_ms: 0,
    beta_product: false,
    margin_buy_enabled: false,
    margin_sell_enabled: false,
    last_updated_time: `${updatedMs}000000`,
  };
}
