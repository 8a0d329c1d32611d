import { describe, expect, it } from "vitest";
import {
  formatNotional,
  type Instrument,
  OrderValidationError,
  quantityForAmount,
  roundPrice,
  validateOrder,
} from "../../src/exchange/cryptocom/instruments.js";
import { dec, plain } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";

const BTC_USD: Instrument = btcUsd();

describe("seed case: SELL BTC_USD for $10.00 at 89,936", () => {
  it("sizes raw 0.00011119 down to 0.00011", () => {
    const s = quantityForAmount(BTC_USD, "10.00", "89936");
    expect(plain(s.raw.toDecimalPlaces(8))).toBe("0.00011119");
    expect(s.text).toBe("0.00011");
  });
  it("the raw quantity as the original sent it is a 213 with the corrected value", () => {
    const v = validateOrder(BTC_USD, {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00011119",
    });
    expect(v).toEqual([expect.objectContaining({ field: "quantity", code: 213, corrected: "0.00011" })]);
  });
});

describe("order sizing", () => {
  it("refuses an amount below one tick with 415", () => {
    expect(() => quantityForAmount(BTC_USD, "0.50", "89936")).toThrow(OrderValidationError);
  });
  it("floors a notional to the quote decimals", () => {
    expect(formatNotional(BTC_USD, "10.129")).toBe("10.12");
    expect(formatNotional(BTC_USD, "10")).toBe("10.00");
  });
  it("rounds prices BUY down and SELL up", () => {
    expect(plain(roundPrice(BTC_USD, dec("100.005"), "BUY"))).toBe("100");
    expect(plain(roundPrice(BTC_USD, dec("100.005"), "SELL"))).toBe("100.01");
  });
  it("flags an off-tick price with 308 and exponent notation with 40004", () => {
    const v = validateOrder(BTC_USD, {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      quantity: "1e-5",
      price: "100.005",
    });
    expect(v.map((x) => x.code).sort()).toEqual([308, 40004]);
  });
  it("flags notional with quantity on a market BUY", () => {
    const v = validateOrder(BTC_USD, {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      quantity: "0.001",
      notional: "10.00",
    });
    expect(v.map((x) => x.code)).toContain(40004);
  });
  it("knows an unknown instrument is a 209", () => {
    expect(
      validateOrder(undefined, { instrument_name: "NOPE_USD", side: "BUY", type: "MARKET", notional: "1" })[0]
        ?.code,
    ).toBe(209);
  });
});
