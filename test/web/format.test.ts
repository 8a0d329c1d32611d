/**
 * The dashboard's display helpers (web/src/state/format.ts): indicator text rounded digit by digit
 * for reading, never through a number.
 */
import { describe, expect, it } from "vitest";
import { placesOf, rounded } from "../../web/src/state/format.js";

describe("rounded", () => {
  it("rounds an indicator's float digits half away from zero", () => {
    expect(rounded("64892.052149999996", 2)).toBe("64892.05");
    expect(rounded("39.648451971981046", 1)).toBe("39.6");
    expect(rounded("0.9410094666549451", 2)).toBe("0.94");
    expect(rounded("64906.156950000004", 2)).toBe("64906.16");
    expect(rounded("-0.125", 2)).toBe("-0.13");
  });

  it("carries through nines into the whole part", () => {
    expect(rounded("9.996", 2)).toBe("10.00");
    expect(rounded("99.95", 1)).toBe("100.0");
    expect(rounded("0.999", 0)).toBe("1");
  });

  it("keeps digits the API sent that fit, and beyond the range of a double", () => {
    expect(rounded("64851.98", 2)).toBe("64851.98");
    expect(rounded("50", 1)).toBe("50");
    expect(rounded("123456789012345678901.123456", 3)).toBe("123456789012345678901.123");
  });

  it("no negative zero; text that is not a plain decimal is shown as sent; nothing is a dash", () => {
    expect(rounded("-0.0001", 2)).toBe("0.00");
    expect(rounded("1e-7", 2)).toBe("1e-7");
    expect(rounded(null, 2)).toBe("—");
    expect(rounded("", 2)).toBe("—");
  });
});

describe("placesOf", () => {
  it("counts a decimal text's decimals, with a fallback for none", () => {
    expect(placesOf("63948.54")).toBe(2);
    expect(placesOf("0.15035")).toBe(5);
    expect(placesOf("100")).toBe(0);
    expect(placesOf(null, 4)).toBe(4);
  });
});
