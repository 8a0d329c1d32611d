import { describe, expect, it } from "vitest";
import {
  formatNotional,
  type Instrument,
  type OrderFields,
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
    const e = (() => {
      try {
        quantityForAmount(BTC_USD, "0.50", "89936");
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(OrderValidationError);
    expect((e as OrderValidationError).code).toBe(415);
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

describe("order shape by type (reference §5.3): one rule set for the client and the emulator", () => {
  const base = { instrument_name: "BTC_USD" } as const;
  const first = (o: Omit<OrderFields, "instrument_name">) => {
    const v = validateOrder(BTC_USD, { ...base, ...o });
    return v[0] ? [v[0].field, v[0].code] : [];
  };

  it.each<[string, Omit<OrderFields, "instrument_name">, unknown[]]>([
    ["LIMIT without price", { side: "BUY", type: "LIMIT", quantity: "0.001" }, ["price", 40004]],
    ["LIMIT without quantity", { side: "BUY", type: "LIMIT", price: "100.00" }, ["quantity", 40004]],
    [
      "LIMIT with notional",
      { side: "BUY", type: "LIMIT", price: "100.00", quantity: "0.001", notional: "1.00" },
      ["notional", 40004],
    ],
    [
      "MARKET with a price",
      { side: "BUY", type: "MARKET", notional: "10.00", price: "100.00" },
      ["price", 40004],
    ],
    [
      "MARKET SELL with notional only",
      { side: "SELL", type: "MARKET", notional: "10.00" },
      ["quantity", 40004],
    ],
    [
      "MARKET SELL with quantity and notional",
      { side: "SELL", type: "MARKET", quantity: "0.001", notional: "10.00" },
      ["notional", 40004],
    ],
    ["MARKET BUY with neither", { side: "BUY", type: "MARKET" }, ["notional", 40004]],
    [
      "STOP_LIMIT with notional",
      {
        side: "SELL",
        type: "STOP_LIMIT",
        price: "99.00",
        quantity: "0.001",
        ref_price: "100.00",
        notional: "5.00",
      },
      ["notional", 40004],
    ],
    [
      "BUY STOP_LOSS with quantity and notional",
      { side: "BUY", type: "STOP_LOSS", ref_price: "100.00", quantity: "0.001", notional: "5.00" },
      ["notional", 40004],
    ],
    [
      "STOP_LOSS with a price",
      { side: "SELL", type: "STOP_LOSS", ref_price: "100.00", quantity: "0.001", price: "99.00" },
      ["price", 40004],
    ],
    [
      "trigger without ref_price",
      { side: "SELL", type: "TAKE_PROFIT", quantity: "0.001" },
      ["ref_price", 40004],
    ],
    [
      "ref_price on a LIMIT",
      { side: "BUY", type: "LIMIT", price: "100.00", quantity: "0.001", ref_price: "90.00" },
      ["ref_price", 40004],
    ],
    ["unknown type", { side: "BUY", type: "ICEBERG", quantity: "0.001" }, ["type", 218]],
    [
      "POST_ONLY with IOC",
      {
        side: "BUY",
        type: "LIMIT",
        price: "100.00",
        quantity: "0.001",
        exec_inst: ["POST_ONLY"],
        time_in_force: "IMMEDIATE_OR_CANCEL",
      },
      ["time_in_force", 43005],
    ],
    [
      "POST_ONLY on a MARKET",
      { side: "BUY", type: "MARKET", notional: "10.00", exec_inst: ["POST_ONLY"] },
      ["exec_inst", 219],
    ],
    [
      "POST_ONLY and SMART_POST_ONLY",
      {
        side: "BUY",
        type: "LIMIT",
        price: "100.00",
        quantity: "0.001",
        exec_inst: ["POST_ONLY", "SMART_POST_ONLY"],
      },
      ["exec_inst", 219],
    ],
    ["valid MARKET BUY by notional", { side: "BUY", type: "MARKET", notional: "10.00" }, []],
    ["valid MARKET BUY by quantity", { side: "BUY", type: "MARKET", quantity: "0.001" }, []],
    [
      "valid BUY STOP_LOSS by notional",
      { side: "BUY", type: "STOP_LOSS", ref_price: "100.00", notional: "10.00" },
      [],
    ],
    [
      "valid STOP_LIMIT",
      { side: "SELL", type: "STOP_LIMIT", ref_price: "100.00", price: "99.00", quantity: "0.001" },
      [],
    ],
  ])("%s", (_name, order, expected) => {
    expect(first(order)).toEqual(expected);
  });

  it("names the field and the rule in each violation", () => {
    const [v] = validateOrder(BTC_USD, {
      ...base,
      side: "BUY",
      type: "MARKET",
      notional: "10.00",
      price: "1.00",
    });
    expect(v).toMatchObject({ field: "price", code: 40004 });
    expect(v!.rule).toMatch(/MARKET.*no price/);
  });
});

describe("minimum order value (min_notional)", () => {
  const inst = btcUsd({ minNotional: dec("1") });

  it("a LIMIT is valued at quantity × price: 0.00001 BTC at 65000.00 is 0.65 USD, a 415", () => {
    const v = validateOrder(inst, {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      quantity: "0.00001",
      price: "65000.00",
    });
    expect(v).toEqual([expect.objectContaining({ field: "quantity", code: 415 })]);
    expect(v[0]!.rule).toMatch(/order value 0\.65 USD is below the minimum 1/);
    expect(
      validateOrder(inst, {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.00002",
        price: "65000.00",
      }),
    ).toEqual([]);
  });

  it("a trigger order by quantity is valued at its ref_price", () => {
    const v = validateOrder(inst, {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      quantity: "0.00001",
      ref_price: "60000.00",
    });
    expect(v.map((x) => x.code)).toEqual([415]);
  });

  it("a notional is its own value", () => {
    const v = validateOrder(inst, {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "0.99",
    });
    expect(v).toEqual([expect.objectContaining({ field: "notional", code: 415 })]);
  });

  it("a MARKET by quantity is valued at the market price when one is given, else not checked", () => {
    const order: OrderFields = {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00001",
    };
    expect(validateOrder(inst, order)).toEqual([]);
    expect(validateOrder(inst, order, { marketPrice: "65000" }).map((x) => x.code)).toEqual([415]);
    expect(validateOrder(inst, order, { marketPrice: "100000" })).toEqual([]);
  });
});
