/**
 * The order check, pure: the input's shape (field-level messages, never a TypeError), the minimum
 * order value when published and when not, advice that satisfies the rules it checks, one
 * explanation per broken rule, advice that fits the balance, and the assumptions shared with the
 * emulator's defaults.
 */

import { describe, expect, it } from "vitest";
import { assessOrder, normaliseOrder, OrderInputError } from "../../src/diagnostics/order-check.js";
import {
  ASSUMED_FAR_LIMIT_RATIO,
  ASSUMED_MIN_ORDER_VALUE,
  withMinimum,
} from "../../src/diagnostics/order-rules.js";
import { JsonNumberText } from "../../src/domain/json-text.js";
import { parseEmulatorConfig } from "../../src/emulator/config.js";
import { DEFAULT_INSTRUMENTS } from "../../src/emulator/default-instruments.js";
import { validateOrder } from "../../src/exchange/cryptocom/instruments.js";
import { dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";

const BTC_USD = btcUsd();
const MARKET = { bid: dec("89927.01"), ask: dec("89944.99"), last: dec("89936.00") };
const BTC = { instrument_name: "BTC_USD" };

function assess(
  input: Record<string, unknown>,
  extra: { balances?: Map<string, ReturnType<typeof dec>> } = {},
) {
  return assessOrder({ order: normaliseOrder(input), instruments: [BTC_USD], market: MARKET, ...extra });
}

describe("the order input's shape: field-level messages before anything else", () => {
  it.each([
    [
      { instrument_name: ["BTC_USD"], side: "SELL", quantity: "1" },
      /"instrument_name" must be a string like "BTC_USD", got an array/,
    ],
    [
      { symbol: { s: "BTC_USD" }, side: "SELL", quantity: "1" },
      /"symbol" must be a string like "BTC_USD", got an object/,
    ],
    [{ ...BTC, side: ["SELL"], quantity: "1" }, /the order's "side" must be BUY or SELL, got an array/],
    [{ ...BTC, side: "SELL", type: 3, quantity: "1" }, /"type" must be a string like "MARKET", got 3/],
    [
      { ...BTC, side: "SELL", type: "FOO", quantity: "1" },
      /the order's "type" must be one of LIMIT, MARKET, .*, got "FOO"/,
    ],
    [
      { ...BTC, side: "SELL", quantity: ["1"] },
      /"quantity" must be a decimal string like "0\.001", got an array/,
    ],
    [{ ...BTC, side: "SELL", quantity: true }, /"quantity" must be a decimal string like "0\.001", got true/],
    [
      { ...BTC, side: "SELL", quantity: "NaN" },
      /"quantity" must be a decimal string like "0\.001", got "NaN"/,
    ],
    [
      { ...BTC, side: "SELL", quantity: Number.NaN },
      /"quantity" must be a decimal string like "0\.001", got NaN/,
    ],
    [{ ...BTC, side: "BUY", notional: "" }, /"notional" must be a decimal string like "10\.00", got ""/],
    [
      { ...BTC, side: "BUY", type: "LIMIT", quantity: "0.001" },
      /a LIMIT order needs "price" \(its limit price/,
    ],
    [
      { ...BTC, side: "SELL", type: "STOP_LOSS", quantity: "0.001" },
      /a STOP_LOSS order needs "ref_price" \(the trigger price/,
    ],
    [
      { ...BTC, side: "SELL", type: "STOP_LIMIT", price: "80000.00", quantity: "0.001" },
      /a STOP_LIMIT order needs "ref_price"/,
    ],
    [{ ...BTC, side: "SELL", amount: "-1" }, /"amount" .* must be positive, got "-1"/],
    [["BTC_USD"], /the order must be a JSON object/],
    [null, /the order must be a JSON object/],
  ])("%j", (input, message) => {
    expect(() => normaliseOrder(input)).toThrow(OrderInputError);
    expect(() => normaliseOrder(input)).toThrow(message);
  });

  it("reads fields as own properties only", () => {
    const input = Object.create({ instrument_name: "BTC_USD", side: "SELL" });
    input.quantity = "0.001";
    expect(() => normaliseOrder(input)).toThrow(/needs "instrument_name"/);
  });

  it("keeps the exact text of JSON numbers and of strings", () => {
    const o = normaliseOrder({
      ...BTC,
      side: "buy",
      type: "limit",
      price: new JsonNumberText("89000.000"),
      quantity: " 0.001 ",
    });
    expect(o).toMatchObject({ side: "BUY", type: "LIMIT", price: "89000.000", quantity: "0.001" });
    expect(o.numbers.map((h) => h.path)).toEqual(["params.price"]);
  });
});

describe("the minimum order value", () => {
  it("unpublished (BTC_USD): an order below about 1 USD is a likely 415 that says the minimum is assumed", () => {
    const a = assess({ ...BTC, side: "SELL", type: "MARKET", quantity: "0.00001" });
    expect(a.violations).toHaveLength(1);
    expect(a.violations[0]).toMatchObject({ code: 415, certain: false });
    expect(a.violations[0]!.rule).toBe(
      "order value 0.89936 USD: the exchange does not publish a minimum order value for BTC_USD; orders below about 1 USD are rejected with 415",
    );
    expect(a.alternative?.order.quantity).toBe("0.00002");
  });

  it("published: checked, including a MARKET order by quantity at the mark price, and certain", () => {
    const sol = btcUsd({
      symbol: "SOL_USD",
      baseCcy: "SOL",
      qtyTickSize: dec("0.001"),
      quantityDecimals: 3,
      minNotional: dec("5"),
    });
    const order = normaliseOrder({
      instrument_name: "SOL_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.030",
    });
    const a = assessOrder({ order, instruments: [sol], market: { bid: dec("149.99"), ask: dec("150.01") } });
    expect(a.violations.map((v) => [v.code, v.certain])).toEqual([[415, true]]);
    expect(a.violations[0]!.fix).toMatch(/SOL_USD orders must be worth at least 5 USD/);
    expect(a.alternative?.order.quantity).toBe("0.034"); // 5 USD × 1.02 (the market margin) / 150
  });

  it("a quote currency the assumption cannot convert: not checked, and the report says so", () => {
    const ethBtc = btcUsd({
      symbol: "ETH_BTC",
      baseCcy: "ETH",
      quoteCcy: "BTC",
      qtyTickSize: dec("0.0001"),
      quantityDecimals: 4,
      priceTickSize: dec("0.000001"),
      quoteDecimals: 6,
    });
    const order = normaliseOrder({
      instrument_name: "ETH_BTC",
      side: "SELL",
      type: "MARKET",
      quantity: "0.0001",
    });
    const a = assessOrder({ order, instruments: [ethBtc], market: { last: dec("0.035") } });
    expect(a.violations).toEqual([]);
    expect(a.unknowns.join("\n")).toMatch(
      /does not publish a minimum order value for ETH_BTC; it is about 1 USD, which the doctor cannot convert to BTC/,
    );
  });
});

describe("advice satisfies the rules it checks", () => {
  it("1e-8 is not corrected to 0.00000001 (off the 0.00001 step): the smallest passing order instead", () => {
    const a = assess({ ...BTC, side: "SELL", type: "MARKET", quantity: "1e-8" });
    expect(a.corrected).toBeUndefined();
    expect(a.violations.map((v) => [v.code, v.corrected])).toEqual([
      [40004, undefined],
      [213, undefined],
    ]);
    expect(a.violations[0]!.fix).toMatch(/without an exponent \(1e-8 is 0\.00000001\)/);
    expect(a.violations[1]!.rule).toMatch(
      /^with quantity written as 0\.00000001: 0\.00000001 is not a multiple of qty_tick_size 0\.00001/,
    );
    expect(a.alternative?.order).toMatchObject({ quantity: "0.00002" });
    expect(validateOrder(withMinimum(BTC_USD), a.alternative!.order, { marketPrice: dec("89936") })).toEqual(
      [],
    );
  });

  it("a correction that lands below the minimum is not the answer (0.000019 → 0.00001 is 0.90 USD)", () => {
    const a = assess({ ...BTC, side: "SELL", type: "MARKET", quantity: "0.000019" });
    expect(a.corrected).toBeUndefined();
    expect(a.alternative?.order.quantity).toBe("0.00002");
  });
});

describe("each broken rule has its own explanation", () => {
  const fixes = (input: Record<string, unknown>) => assess(input).violations.map((v) => v.fix);
  it.each([
    [
      { ...BTC, side: "SELL", type: "MARKET", quantity: "-1" },
      /"quantity" must be a positive number of BTC \(at least 0\.00001\); -1 is not/,
    ],
    [
      { ...BTC, side: "BUY", type: "LIMIT", price: "-5", quantity: "0.001" },
      /"price" must be a positive price in USD; -5 is not/,
    ],
    [
      { ...BTC, side: "BUY", type: "MARKET", price: "89000.00", quantity: "0.001" },
      /a MARKET order executes at the market and takes no "price": drop it, or send "type":"LIMIT"/,
    ],
    [
      { ...BTC, side: "SELL", type: "MARKET", notional: "10.00" },
      /a SELL is sized by "quantity" \(the BTC to sell\)/,
    ],
    [
      { ...BTC, side: "BUY", type: "LIMIT", price: "89000.00", ref_price: "88000.00", quantity: "0.001" },
      /"ref_price" is the trigger price of STOP_LOSS, .* orders: drop it/,
    ],
    [
      { ...BTC, side: "SELL", type: "STOP_LOSS", ref_price: "95000.00", quantity: "0.001" },
      /a SELL STOP_LOSS is released when the market falls to "ref_price": set it below the market 89936\.00/,
    ],
    [
      { ...BTC, side: "BUY", type: "LIMIT", price: "89000.005", quantity: "0.001" },
      /prices are whole multiples of 0\.01 USD .* rounds a BUY down/,
    ],
  ])("%j", (input, fix) => {
    const f = fixes(input);
    expect(f.join("\n")).toMatch(fix);
    expect(f.join("\n")).not.toMatch(/Increase the amount|pick another instrument/);
  });

  it("not tradable (309): wait or trade another instrument", () => {
    const order = normaliseOrder({ ...BTC, side: "BUY", notional: "10.00" });
    const a = assessOrder({ order, instruments: [btcUsd({ tradable: false })], market: MARKET });
    expect(a.violations.map((v) => v.code)).toEqual([309]);
    expect(a.violations[0]!.fix).toMatch(
      /not tradable at the moment .* wait until the exchange opens it again/,
    );
  });
});

describe("advice fits the balance", () => {
  it("a 213 whose corrected order the balance cannot cover: no 'atp would send', the largest order it covers", () => {
    const a = assess(
      { ...BTC, side: "SELL", type: "MARKET", quantity: "0.00041234" },
      {
        balances: new Map([
          ["BTC", dec("0.0003")],
          ["USD", dec("0")],
        ]),
      },
    );
    expect(a.corrected).toBeUndefined();
    expect(a.violations[0]!.corrected).toBeUndefined();
    expect(a.shortfall).toMatchObject({ currency: "BTC" });
    expect(a.alternative?.order.quantity).toBe("0.00030");
  });

  it("no order fits: the balance is below the smallest order", () => {
    const a = assess(
      { ...BTC, side: "SELL", type: "MARKET", quantity: "0.0001" },
      { balances: new Map([["BTC", dec("0.00001")]]) },
    );
    expect(a.alternative).toBeUndefined();
    expect(a.noOrderFits).toMatch(/the available 0\.00001 BTC covers no BTC_USD order that passes the rules/);
  });
});

describe("an order given only by its amount", () => {
  it("is sized, and the order checked is the sized one", () => {
    const a = assess({ ...BTC, side: "SELL", amount: "10.00" });
    expect(a.checked).toMatchObject({ quantity: "0.00011" });
    expect(a.sizing?.text).toMatch(
      /amount 10\.00 USD at 89927\.01 is 0\.0001112\d* BTC, floored to the 0\.00001 tick: 0\.00011/,
    );
  });
  it("without a market price it says it cannot be sized", () => {
    const order = normaliseOrder({ ...BTC, side: "SELL", amount: "10.00" });
    const a = assessOrder({ order, instruments: [BTC_USD] });
    expect(a.unknowns).toEqual(["amount 10.00 USD cannot be sized without a market price"]);
    expect(a.passed).toEqual([]);
  });
});

describe("the assumptions are the emulator's defaults", () => {
  it("minimum order value and limit price band", () => {
    for (const i of DEFAULT_INSTRUMENTS) expect(i.min_notional).toBe(ASSUMED_MIN_ORDER_VALUE);
    expect(parseEmulatorConfig({}).limits.far_limit_ratio).toBe(ASSUMED_FAR_LIMIT_RATIO);
  });
});
