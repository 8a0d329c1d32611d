import { describe, expect, it } from "vitest";
import { codeInfo, ERROR_CODES, httpStatusFor } from "../../src/exchange/cryptocom/error-codes.js";
import { ExchangeError } from "../../src/exchange/cryptocom/errors.js";
import { REFERENCE_ERROR_CODES } from "../fixtures/reference-error-codes.js";
import { referenceFile, skipUnlessPresent } from "../helpers/reference-material.js";

const REFERENCE = referenceFile("reference/cryptocom-exchange-v1.md");

/** The codes of the reference's §4 tables (ranges expanded) and the legacy codes it names inline. */
function referenceCodes(reference: string): number[] {
  const section4 = reference.slice(reference.indexOf("## 4."), reference.indexOf("## 5."));
  const codes = new Set<number>();
  for (const line of section4.split("\n")) {
    const cell = /^\|\s*\**([\d–/ ]+?)\**\s*\|/.exec(line)?.[1];
    if (!cell) continue;
    for (const part of cell.split("/")) {
      const range = /(\d+)\s*–\s*(\d+)/.exec(part);
      if (range) for (let c = Number(range[1]); c <= Number(range[2]); c++) codes.add(c);
      else if (/^\s*\d+\s*$/.test(part)) codes.add(Number(part));
    }
  }
  // legacy codes listed inline as `10000 PARTIAL_SUCCESS(200)`, `30006/30007 MIN/MAX_...`
  for (const m of section4.matchAll(/`(\d{5})(?:\/(\d{5}))? [A-Z_/]+/g)) {
    codes.add(Number(m[1]));
    if (m[2]) codes.add(Number(m[2]));
  }
  return [...codes].sort((a, b) => a - b);
}

describe("error catalogue", () => {
  it("covers every code of the reference §4 (v1 and legacy; in-repo list)", () => {
    expect(REFERENCE_ERROR_CODES.length).toBeGreaterThan(120);
    const missing = REFERENCE_ERROR_CODES.filter((c) => !ERROR_CODES.has(c));
    expect(missing).toEqual([]);
  });

  it("the in-repo code list is the one the reference §4 lists, when the reference is present", ({ skip }) => {
    const reference = skipUnlessPresent(REFERENCE, skip);
    expect(referenceCodes(reference)).toEqual(REFERENCE_ERROR_CODES);
  });

  it("uses the documented HTTP statuses for the auth codes", () => {
    expect(httpStatusFor(40101)).toBe(401);
    expect(httpStatusFor(40103)).toBe(401);
    expect(httpStatusFor(40102)).toBe(400);
    expect(httpStatusFor(42901)).toBe(429);
    expect(httpStatusFor(213)).toBe(400);
    expect(httpStatusFor(306)).toBe(500);
  });

  it("classifies by code, never by message", () => {
    const e = new ExchangeError({
      method: "private/create-order",
      httpStatus: 401,
      code: 213,
      message: "Authentication failed 401 40101",
    });
    expect(e.category).toBe("invalid_order");
    expect(e.isAuthFailure).toBe(false);
    expect(new ExchangeError({ method: "x", code: 40103 }).category).toBe("ip_not_whitelisted");
    expect(new ExchangeError({ method: "x", code: 40102 }).category).toBe("nonce");
  });

  it("falls back to the HTTP status only without a code", () => {
    expect(new ExchangeError({ method: "x", httpStatus: 502 }).category).toBe("server");
    expect(new ExchangeError({ method: "x", httpStatus: 502 }).retryable).toBe(true);
  });

  it("gives unknown codes an explicit unknown entry", () => {
    expect(codeInfo(777777).category).toBe("unknown");
  });
});
