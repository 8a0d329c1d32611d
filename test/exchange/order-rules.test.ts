/**
 * The venue-neutral OrderRules port, as the Crypto.com client implements it: `check` refuses
 * exactly what the client's order params would refuse locally (never a request the client would
 * send, never a pass for one it would refuse), and the rounding helpers round the way they say.
 */
import { describe, expect, it } from "vitest";
import { orderParams, triggerParams } from "../../src/exchange/cryptocom/order-params.js";
import { cryptoComOrderRules as rules } from "../../src/exchange/cryptocom/order-rules.js";
import type { OrderRequest, TriggerOrderRequest } from "../../src/exchange/types.js";
import { dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";

const inst = btcUsd();

function clientRefuses(req: OrderRequest | TriggerOrderRequest): boolean {
  try {
    if ("refPrice" in req) triggerParams(inst, req, "atp-x");
    else orderParams(inst, req, "atp-x");
    return false;
  } catch {
    return true;
  }
}

const base = { intentId: "i", symbol: "BTC_USD" } as const;
const cases: (OrderRequest | TriggerOrderRequest)[] = [
  { ...base, side: "BUY", type: "MARKET", notional: "10.00" },
  { ...base, side: "SELL", type: "MARKET", quantity: "0.00011" },
  { ...base, side: "SELL", type: "MARKET", quantity: "0.00011119" },
  { ...base, side: "BUY", type: "LIMIT", quantity: "0.001", price: "50000.005" },
  { ...base, side: "BUY", type: "LIMIT", quantity: "0.001" },
  { ...base, side: "SELL", type: "STOP_LIMIT", quantity: "0.001", price: "49000", refPrice: "49100" },
  { ...base, side: "SELL", type: "STOP_LOSS", quantity: "0.001", refPrice: "49100.001" },
  { ...base, side: "BUY", type: "MARKET", notional: "10", quantity: "0.001" },
];

describe("Crypto.com OrderRules", () => {
  it.each(cases.map((c, i) => [i, c] as const))(
    "case %i: check refuses exactly what the client refuses",
    (_, req) => {
      expect(rules.check(inst, req).length > 0).toBe(clientRefuses(req));
    },
  );

  it("names the seed's 213: too many quantity decimals, with the corrected value", () => {
    const v = rules.check(inst, { ...base, side: "SELL", type: "MARKET", quantity: "0.00011119" });
    expect(v[0]).toMatchObject({ field: "quantity", code: 213, corrected: "0.00011" });
  });

  it("values a quantity-only order at the market price for the minimum", () => {
    const small = { ...base, side: "SELL", type: "MARKET", quantity: "0.00001" } as const;
    expect(rules.check(btcUsd({ minNotional: dec("5") }), small, dec("50000"))).toEqual([
      expect.objectContaining({ code: 415 }),
    ]);
    expect(rules.check(btcUsd({ minNotional: dec("5") }), small, dec("600000"))).toEqual([]);
  });

  it("floors quantities and notionals, rounds prices in the direction asked", () => {
    expect(rules.floorQuantity(inst, dec("0.00011119")).toFixed()).toBe("0.00011");
    expect(rules.floorNotional(inst, dec("10.019")).toFixed()).toBe("10.01");
    expect(rules.roundPrice(inst, dec("100.005"), "down").toFixed()).toBe("100");
    expect(rules.roundPrice(inst, dec("100.001"), "up").toFixed()).toBe("100.01");
  });
});
