import { describe, expect, it } from "vitest";
import { SIGNING_VECTORS } from "../../src/diagnostics/signing-vectors.js";
import {
  type Params,
  paramString,
  sign,
  stringToSign,
  UnsignableParamError,
} from "../../src/exchange/cryptocom/signing.js";

// The project's one copy of the known-answer vectors, with their provenance (its header); that it is
// identical to the published file is checked in test/diagnostics/units.test.ts when that file is present.
describe("signing known-answer vectors (src/diagnostics/signing-vectors.ts)", () => {
  it("has vectors to check", () => {
    expect(SIGNING_VECTORS.length).toBeGreaterThanOrEqual(8);
  });
  for (const v of SIGNING_VECTORS) {
    it(v.name, () => {
      const input = {
        method: v.method,
        id: v.id,
        apiKey: v.api_key,
        params: v.params as Params,
        nonce: v.nonce,
      };
      expect(stringToSign(input)).toBe(v.string_to_sign);
      expect(sign(input, v.secret)).toBe(v.sig);
    });
  }
});

describe("paramString", () => {
  it("sorts keys by code unit, recursing through objects and arrays", () => {
    expect(paramString({ b: "1", a: [{ z: "2", y: null }, "x"], C: "3" })).toBe("C3aynullz2xb1");
  });
  it("is empty for empty or absent params", () => {
    expect(paramString({})).toBe("");
    expect(paramString(null)).toBe("");
    expect(paramString(undefined)).toBe("");
  });
  it("refuses fractional numbers and names the param", () => {
    expect(() => paramString({ order: { price: 0.1 } })).toThrow(UnsignableParamError);
    expect(() => paramString({ order: { price: 0.1 } })).toThrow(/order\.price/);
  });
  it("accepts safe integers as their digits", () => {
    expect(paramString({ limit: 100 })).toBe("limit100");
  });
});
