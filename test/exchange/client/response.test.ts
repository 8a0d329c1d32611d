import { describe, expect, it } from "vitest";
import { interpret, wireCode, withoutOriginal } from "../../../src/exchange/cryptocom/response.js";

const run = (status: number, body: unknown) =>
  interpret("private/create-order", status, body, typeof body === "string" ? body : JSON.stringify(body));

describe("interpret", () => {
  it("accepts numeric and string codes", () => {
    expect(wireCode(0)).toBe(0);
    expect(wireCode("0")).toBe(0);
    expect(wireCode("42901")).toBe(42901);
    expect(wireCode("abc")).toBeUndefined();
    expect(wireCode(1.5)).toBeUndefined();
  });

  it("keeps the result of a rejection but never treats it as success (§2.2)", () => {
    const out = run(500, {
      id: 1,
      method: "private/create-order",
      code: 306,
      message: "INSUFFICIENT_AVAILABLE_BALANCE",
      result: { client_oid: "c1", order_id: "9" },
    });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.category).toBe("insufficient_funds");
    expect(out.error.result).toEqual({ client_oid: "c1", order_id: "9" });
  });

  it("classifies by code, not by HTTP status or message text", () => {
    const out = run(400, { code: 40102, message: "UNAUTHORIZED" });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.category).toBe("nonce");
  });

  it("maintenance bodies without id/method", () => {
    const out = run(503, { code: 9010001, message: "SYSTEM_MAINTENANCE", details: "…" });
    if (!out.ok) expect(out.error.category).toBe("maintenance");
    else expect.fail("should fail");
  });

  it("legacy {code, msg} bodies", () => {
    const out = run(200, { code: "10001", msg: "SYS_ERROR" });
    if (!out.ok) {
      expect(out.error.code).toBe(10001);
      expect(out.error.exchangeMessage).toBe("SYS_ERROR");
    } else expect.fail("should fail");
  });

  it("JSON without a code falls back to HTTP status", () => {
    const out = run(429, { error: "slow down" });
    if (!out.ok) {
      expect(out.error.category).toBe("rate_limit");
      expect(out.error.code).toBeUndefined();
    } else expect.fail("should fail");
  });

  it("never keeps the `original` echo (it contains api_key and sig): not in the body, not in the error", () => {
    const echo = '{"api_key":"key-echoed-back","sig":"sig-echoed-back"}';
    const out = run(401, { code: 40101, message: "UNAUTHORIZED", original: echo });
    if (out.ok) expect.fail("a 40101 must not be a success");
    expect(out.error.code).toBe(40101);
    expect(out.body).toEqual({ code: 40101, message: "UNAUTHORIZED" });
    const kept = JSON.stringify([out.body, out.error.toJSON(), out.error.message, out.error.result]);
    expect(kept).not.toContain("echoed-back");
  });
});

describe("the exchange's `original` echo", () => {
  it("is dropped from every interpreted body (it carries our api_key and sig)", () => {
    const body = {
      id: 1,
      method: "private/user-balance",
      code: 40101,
      message: "UNAUTHORIZED",
      original: '{"api_key":"k","sig":"s"}',
    };
    const r = interpret("private/user-balance", 401, body, JSON.stringify(body));
    expect(r.ok).toBe(false);
    expect(r.body).not.toHaveProperty("original");
    expect(withoutOriginal("text")).toBe("text");
  });
});
