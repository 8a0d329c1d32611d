/**
 * The code for a missing key permission is undocumented (reference §9: 40101 expected, legacy 10002
 * observed); the emulator makes it a switch. Whatever the exchange answers, the client classifies
 * it by code and never retries it.
 */
import { describe, expect, it } from "vitest";
import { useEmulator } from "./helpers/emulator.js";

const fx = useEmulator({
  missing_permission_code: 10002,
  keys: [{ api_key: "ro-key", secret: "ro-secret", account: "main", permissions: ["read"] }],
});

describe("missing trade permission answered with legacy 10002", () => {
  it("is a final `permission` rejection for orders and cancels; reads still work", async () => {
    const c = fx.client({ apiKey: "ro-key", apiSecret: "ro-secret" });
    await expect(c.getBalance()).resolves.toBeDefined();
    const out = await c.placeOrder({
      intentId: "p-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "10.00",
    });
    expect(out.status).toBe("rejected");
    if (out.status === "rejected") {
      expect([out.error.code, out.error.category, out.error.retryable]).toEqual([10002, "permission", false]);
      expect(out.attempts).toBe(1);
    }
    const err = await c.cancelAllOrders("BTC_USD").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 10002, category: "permission", retryable: false });
  });
});
