/**
 * The default spot instrument set (`"instruments": "default"`). Tick sizes and decimals are the
 * real exchange's as best known (public/get-instruments, 2023-2026 captures); BTC pairs use
 * qty_tick_size 0.00001. `initial_price` only seeds the simulated market; `min_notional` (quote
 * currency) stands in for the risk-parameter minimum and is an emulator assumption (documented).
 */
import type { InstrumentConfig } from "./config.js";

export const DEFAULT_INSTRUMENTS: readonly InstrumentConfig[] = [
  spot("BTC", "USD", "0.01", "0.00001", "65000", 0.03),
  spot("BTC", "USDT", "0.01", "0.00001", "65010", 0.03),
  spot("ETH", "USD", "0.01", "0.0001", "3200", 0.035),
  spot("ETH", "USDT", "0.01", "0.0001", "3201", 0.035),
  spot("SOL", "USD", "0.01", "0.001", "150", 0.05),
  spot("CRO", "USD", "0.00001", "1", "0.1", 0.05),
  spot("DOGE", "USD", "0.00001", "1", "0.15", 0.06),
  spot("XRP", "USD", "0.0001", "0.1", "0.6", 0.05),
];

function spot(
  base: string,
  quote: string,
  priceTick: string,
  qtyTick: string,
  initialPrice: string,
  dailyVolatility: number,
): InstrumentConfig {
  return {
    symbol: `${base}_${quote}`,
    base_ccy: base,
    quote_ccy: quote,
    price_tick_size: priceTick,
    qty_tick_size: qtyTick,
    initial_price: initialPrice,
    min_notional: "1",
    tradable: true,
    daily_volatility: dailyVolatility,
  };
}
