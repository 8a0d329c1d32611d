import { describe, expect, it } from "vitest";
import { JsonNumberText, JsonSyntaxError, parseJsonBody } from "../../src/domain/json-text.js";
import { paramString } from "../../src/exchange/cryptocom/signing.js";

describe("request body parser", () => {
  it("keeps every number's original text", () => {
    const v = parseJsonBody('{"id":12345678901234567890,"p":{"price":8000.000,"q":1e-7,"n":-0.5}}') as Record<
      string,
      // biome-ignore lint/suspicious/noExplicitAny: inspected below
      any
    >;
    expect(v.id).toBeInstanceOf(JsonNumberText);
    expect(v.id.text).toBe("12345678901234567890");
    expect(v.p.price.text).toBe("8000.000");
    expect(v.p.q.text).toBe("1e-7");
    expect(v.p.n.text).toBe("-0.5");
  });

  it("canonicalises numbers by their text, as the exchange parsed them", () => {
    const v = parseJsonBody('{"price":8000.000,"side":"BUY","list":[{"b":1,"a":null},true]}') as never;
    expect(paramString(v)).toBe("listanullb1trueprice8000.000sideBUY");
  });

  it("decodes string escapes", () => {
    expect(parseJsonBody('"a\\"b\\\\c\\u00e9\\n"')).toBe('a"b\\c\u00e9\n');
  });

  it("treats __proto__ as an ordinary key", () => {
    const v = parseJsonBody('{"__proto__":{"x":"1"}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ["[", "unexpected end"],
    ["{", "expected a string key"],
    ['{"a":1,}', "expected a string key"],
    ["[1 2]", "expected , or ]"],
    ["01", "unexpected data"],
    ['{"a":tru}', "expected true"],
    ['"\u0001"', "control character"],
    ["{} x", "unexpected data"],
  ])("rejects %s with its offset", (text, detail) => {
    expect(() => parseJsonBody(text)).toThrow(JsonSyntaxError);
    expect(() => parseJsonBody(text)).toThrow(detail);
  });
});
