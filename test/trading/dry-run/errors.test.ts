/** The dry-run code table agrees with the live client's catalogue, and refusals carry code + category. */
import { describe, expect, it } from "vitest";
import { CATEGORY_DISPOSITION } from "../../../src/domain/errors.js";
import { codeInfo } from "../../../src/exchange/cryptocom/error-codes.js";
import { asExchangeFailure, DRY_RUN_CODE_TABLE, DryRunRefusal } from "../../../src/trading/dry-run/errors.js";

describe("dry-run refusals", () => {
  it("names and categorises every code as the live catalogue does", () => {
    expect(DRY_RUN_CODE_TABLE.size).toBeGreaterThan(15);
    for (const [code, [name, category]] of DRY_RUN_CODE_TABLE) {
      const live = codeInfo(code);
      expect({ code, name, category }).toEqual({ code, name: live.name, category: live.category });
    }
  });

  it("carries the code, the category and its disposition; never retryable or ambiguous", () => {
    const e = new DryRunRefusal("private/create-order", 306, "need 5 BTC");
    expect(e).toMatchObject({
      code: 306,
      codeName: "INSUFFICIENT_AVAILABLE_BALANCE",
      category: "insufficient_funds",
      errorCode: "exchange.insufficient_funds",
      retryable: false,
      ambiguous: false,
      httpStatus: undefined,
    });
    expect(e.disposition).toBe(CATEGORY_DISPOSITION.insufficient_funds);
    expect(new DryRunRefusal("m", 99999, "?").category).toBe("unknown");
  });

  it("keeps an ExchangeFailure as it is and wraps anything else as a network failure", () => {
    const e = new DryRunRefusal("public/get-book", 209, "x");
    expect(asExchangeFailure("public/get-book", e)).toBe(e);
    const w = asExchangeFailure("public/get-book", new Error("ECONNREFUSED"));
    expect(w).toMatchObject({ category: "network", code: undefined, method: "public/get-book" });
  });
});
