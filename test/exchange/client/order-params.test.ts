import { describe, expect, it } from "vitest";
import { clientOidFor } from "../../../src/exchange/cryptocom/client-oid.js";
import {
  type Instrument,
  OrderValidationError,
  quantityForAmount,
} from "../../../src/exchange/cryptocom/instruments.js";
import { ocoParams, orderParams, triggerParams } from "../../../src/exchange/cryptocom/order-params.js";
import { dec } from "../../../src/util/decimal.js";
import { btcUsd } from "../../helpers/instruments.js";

const BTC: Instrument = btcUsd();

function refusal(f: () => unknown): OrderValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof OrderValidationError) return e;
    throw e;
  }
  throw new Error("expected OrderValidationError");
}

describe("clientOidFor", () => {
  it("is deterministic, distinct per intent and at most 36 characters", () => {
    const a = clientOidFor("intent-1");
    expect(a).toBe(clientOidFor("intent-1"));
    expect(a).not.toBe(clientOidFor("intent-2"));
    expect(a).toMatch(/^atp-[0-9a-f]{32}$/);
    expect(a.length).toBe(36);
    expect(clientOidFor("x".repeat(500)).length).toBe(36);
  });
});

describe("orderParams", () => {
  it("the seed's case: SELL BTC_USD for $10 at 89,936 is sent as 0.00011", () => {
    const sized = quantityForAmount(BTC, "10.00", "89936");
    const p = orderParams(
      BTC,
      { intentId: "i", symbol: "BTC_USD", side: "SELL", type: "MARKET", quantity: sized.quantity },
      "oid",
    );
    expect(p).toEqual({
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "MARKET",
      quantity: "0.00011",
      client_oid: "oid",
    });
  });

  it("refuses the raw quantity 0.00011119 with 213 before anything is sent", () => {
    const e = refusal(() =>
      orderParams(
        BTC,
        { intentId: "i", symbol: "BTC_USD", side: "SELL", type: "MARKET", quantity: "0.00011119" },
        "o",
      ),
    );
    expect(e.code).toBe(213);
    expect(e.violations[0]!.corrected).toBe("0.00011");
  });

  it("writes a Dec exactly (never rounds) and sends strings verbatim", () => {
    const p = orderParams(
      BTC,
      {
        intentId: "i",
        symbol: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: dec("0.00120"),
        price: "50000.50",
        postOnly: true,
      },
      "o",
    );
    expect(p.quantity).toBe("0.0012");
    expect(p.price).toBe("50000.50");
    expect(p.exec_inst).toEqual(["POST_ONLY"]);
    expect(
      refusal(() =>
        orderParams(
          BTC,
          {
            intentId: "i",
            symbol: "BTC_USD",
            side: "BUY",
            type: "LIMIT",
            quantity: "0.001",
            price: dec("50000.005"),
          },
          "o",
        ),
      ).code,
    ).toBe(308);
  });

  it("market BUY takes notional xor quantity; MARKET takes no price; LIMIT needs both", () => {
    const buy = orderParams(
      BTC,
      { intentId: "i", symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: "25.00" },
      "o",
    );
    expect(buy.notional).toBe("25.00");
    expect(
      refusal(() =>
        orderParams(
          BTC,
          { intentId: "i", symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: "25.001" },
          "o",
        ),
      ).code,
    ).toBe(213);
    expect(
      refusal(() =>
        orderParams(
          BTC,
          {
            intentId: "i",
            symbol: "BTC_USD",
            side: "BUY",
            type: "MARKET",
            notional: "25",
            quantity: "0.001",
          },
          "o",
        ),
      ).code,
    ).toBe(40004);
    expect(
      refusal(() => orderParams(BTC, { intentId: "i", symbol: "BTC_USD", side: "BUY", type: "MARKET" }, "o"))
        .code,
    ).toBe(40004);
    expect(
      refusal(() =>
        orderParams(
          BTC,
          { intentId: "i", symbol: "BTC_USD", side: "SELL", type: "MARKET", notional: "10" },
          "o",
        ),
      ).violations[0]!.field,
    ).toBe("quantity");
    expect(
      refusal(() =>
        orderParams(
          BTC,
          { intentId: "i", symbol: "BTC_USD", side: "BUY", type: "LIMIT", quantity: "0.001" },
          "o",
        ),
      ).violations[0]!.field,
    ).toBe("price");
  });

  it("POST_ONLY with a time in force other than GTC is the exchange's 43005", () => {
    const e = refusal(() =>
      orderParams(
        BTC,
        {
          intentId: "i",
          symbol: "BTC_USD",
          side: "BUY",
          type: "LIMIT",
          quantity: "0.001",
          price: "50000.00",
          postOnly: true,
          timeInForce: "IMMEDIATE_OR_CANCEL",
        },
        "o",
      ),
    );
    expect([e.code, e.violations[0]!.field]).toEqual([43005, "time_in_force"]);
  });

  it("below the instrument's minimum order value (quantity × price) is a local 415", () => {
    const withMin = { ...BTC, minNotional: dec("1") };
    const req = {
      intentId: "i",
      symbol: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      quantity: "0.00001",
      price: "65000.00",
    } as const;
    expect(refusal(() => orderParams(withMin, req, "o")).code).toBe(415);
    expect(orderParams(withMin, { ...req, quantity: "0.00002" }, "o").quantity).toBe("0.00002");
  });

  it("unknown or untradable instruments are refused (209 / 309)", () => {
    expect(
      refusal(() =>
        orderParams(
          undefined,
          { intentId: "i", symbol: "NOPE_USD", side: "BUY", type: "MARKET", notional: "5" },
          "o",
        ),
      ).code,
    ).toBe(209);
    expect(
      refusal(() =>
        orderParams(
          { ...BTC, tradable: false },
          { intentId: "i", symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: "5" },
          "o",
        ),
      ).code,
    ).toBe(309);
  });

  it("refuses a number smuggled in as a decimal", () => {
    expect(() =>
      orderParams(
        BTC,
        {
          intentId: "i",
          symbol: "BTC_USD",
          side: "BUY",
          type: "MARKET",
          notional: 10.5 as unknown as string,
        },
        "o",
      ),
    ).toThrow(/notional/);
  });
});

describe("triggerParams / ocoParams", () => {
  it("STOP_LIMIT needs price, quantity and ref_price on ticks", () => {
    const p = triggerParams(
      BTC,
      {
        symbol: "BTC_USD",
        side: "SELL",
        type: "STOP_LIMIT",
        refPrice: "49000.00",
        price: "48900.00",
        quantity: "0.001",
      },
      "o",
    );
    expect(p).toMatchObject({
      type: "STOP_LIMIT",
      ref_price: "49000.00",
      price: "48900.00",
      quantity: "0.001",
      client_oid: "o",
    });
    expect(
      refusal(() =>
        triggerParams(
          BTC,
          { symbol: "BTC_USD", side: "SELL", type: "STOP_LOSS", refPrice: "49000.001", quantity: "0.001" },
          "o",
        ),
      ).violations[0]!.field,
    ).toBe("ref_price");
    expect(
      refusal(() =>
        triggerParams(
          BTC,
          { symbol: "BTC_USD", side: "SELL", type: "STOP_LIMIT", refPrice: "49000", quantity: "0.001" },
          "o",
        ),
      ).violations[0]!.field,
    ).toBe("price");
  });

  it("a STOP_LIMIT carrying a notional is refused before it leaves the process", () => {
    const e = refusal(() =>
      triggerParams(
        BTC,
        {
          symbol: "BTC_USD",
          side: "BUY",
          type: "STOP_LIMIT",
          refPrice: "51000.00",
          price: "51100.00",
          quantity: "0.001",
          notional: "51.10",
        },
        "o",
      ),
    );
    expect([e.code, e.violations[0]!.field]).toEqual([40004, "notional"]);
  });

  it("an OCO trigger leg without ref_price is refused by the shared rule", () => {
    const e = refusal(() =>
      ocoParams(
        BTC,
        {
          intentId: "x",
          symbol: "BTC_USD",
          legs: [
            { type: "LIMIT", side: "SELL", quantity: "0.001", price: "55000.00" },
            { type: "STOP_LOSS", side: "SELL", quantity: "0.001" },
          ],
        },
        clientOidFor,
      ),
    );
    expect([e.code, e.violations[0]!.field]).toEqual([40004, "ref_price"]);
  });

  it("OCO: one LIMIT and one trigger leg, each with its own deterministic client_oid", () => {
    const { params, clientOids } = ocoParams(
      BTC,
      {
        intentId: "protect-1",
        symbol: "BTC_USD",
        legs: [
          { type: "LIMIT", side: "SELL", quantity: "0.001", price: "55000.00" },
          { type: "STOP_LOSS", side: "SELL", quantity: "0.001", refPrice: "45000.00" },
        ],
      },
      clientOidFor,
    );
    expect(clientOids).toEqual([clientOidFor("protect-1/leg0"), clientOidFor("protect-1/leg1")]);
    expect(params.order_list[0]).toMatchObject({
      type: "LIMIT",
      price: "55000.00",
      client_oid: clientOids[0],
    });
    expect(params.order_list[1]).toMatchObject({
      type: "STOP_LOSS",
      ref_price: "45000.00",
      client_oid: clientOids[1],
    });
    expect(
      refusal(() =>
        ocoParams(
          BTC,
          {
            intentId: "x",
            symbol: "BTC_USD",
            legs: [
              { type: "LIMIT", side: "SELL", quantity: "0.001", price: "55000.00" },
              { type: "LIMIT", side: "SELL", quantity: "0.001", price: "56000.00" },
            ],
          },
          clientOidFor,
        ),
      ).code,
    ).toBe(40004);
  });
});
