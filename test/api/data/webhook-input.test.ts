/**
 * Webhook bodies: symbol forms, side in any case, amount_usd/price read exactly from their JSON text
 * (numbers and strings), field-level problems, the JSON parser's limits.
 */
import { describe, expect, it } from "vitest";
import { readWebhookSignal } from "../../../src/api/webhook-input.js";
import { JsonSyntaxError, parseJsonBody } from "../../../src/domain/json-text.js";

const INSTRUMENTS = ["BTC_USD", "ETH_USD", "SOL_USD"];
const read = (text: string) => readWebhookSignal(parseJsonBody(text), INSTRUMENTS);

describe("readWebhookSignal", () => {
  it("keeps a JSON number's digits that a double would lose", () => {
    const r = read(
      '{"secret":"s","symbol":"CRYPTO:BTCUSD","side":"Buy","amount_usd":12.30000000000000000001,"price":65000.123456789012345678}',
    );
    expect(r).toEqual({
      ok: true,
      signal: {
        secret: "s",
        symbol: "BTC_USD",
        side: "BUY",
        amountUsd: "12.30000000000000000001",
        price: "65000.123456789012345678",
        signalId: undefined,
      },
    });
    expect(Number("12.30000000000000000001").toString()).toBe("12.3"); // what JSON.parse would have kept
  });

  it("reads decimal strings, exponents exactly, and any case of side", () => {
    const r = read(
      '{"secret":"s","symbol":"eth/usd","side":"SELL","amount_usd":"25.50","price":1e3,"signal_id":"tv-42"}',
    );
    expect(r.ok && r.signal).toMatchObject({
      symbol: "ETH_USD",
      side: "SELL",
      amountUsd: "25.5",
      price: "1000",
      signalId: "tv-42",
    });
    expect(
      read('{"secret":"s","symbol":"SOLUSD","side":"sElL","signal_id":123456789012345678901}'),
    ).toMatchObject({
      ok: true,
      signal: { symbol: "SOL_USD", side: "SELL", amountUsd: undefined, signalId: "123456789012345678901" },
    });
  });

  it("names every bad field, and suggests instruments for an unknown symbol", () => {
    const r = read(
      '{"symbol":"ETHUSDD","side":"hold","amount_usd":"-5","price":"1,5","signal_id":"has space"}',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual([
      "secret",
      "symbol",
      "side",
      "amount_usd",
      "price",
      "signal_id",
    ]);
    expect(r.problems[1]!.problem).toContain("closest: ETH_USD");
    expect(read('{"secret":"s","symbol":"BTC_USD","side":"buy","amount_usd":0}')).toMatchObject({
      ok: false,
      problems: [{ field: "amount_usd", problem: "must be greater than zero" }],
    });
    expect(read("[1]")).toMatchObject({ ok: false, problems: [{ field: "" }] });
  });

  it("refuses a JS number (its text is gone) and never echoes the secret", () => {
    const r = readWebhookSignal(
      { secret: "topsecret", symbol: "BTC_USD", side: "buy", amount_usd: 12.3 } as never,
      INSTRUMENTS,
    );
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain("topsecret");
  });
});

describe("parseJsonBody", () => {
  it("refuses deep nesting with a syntax error instead of overflowing the stack", () => {
    expect(() => parseJsonBody(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toThrow(JsonSyntaxError);
    expect(() => parseJsonBody('{"a":1,}')).toThrow(/offset 7/);
  });
  it("treats __proto__ as an ordinary key", () => {
    const v = parseJsonBody('{"__proto__":{"x":"1"},"secret":"s"}') as Record<string, unknown>;
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
