/** Instrument fixtures shared by tests: BTC_USD with the exchange's real ticks (qty 0.00001, price 0.01). */
import type { Instrument } from "../../src/exchange/types.js";
import { dec } from "../../src/util/decimal.js";

export function btcUsd(overrides: Partial<Instrument> = {}): Instrument {
  return {
    symbol: "BTC_USD",
    instType: "CCY_PAIR",
    displayName: "BTC/USD",
    baseCcy: "BTC",
    quoteCcy: "USD",
    quoteDecimals: 2,
    quantityDecimals: 5,
    priceTickSize: dec("0.01"),
    qtyTickSize: dec("0.00001"),
    tradable: true,
    ...overrides,
  };
}
