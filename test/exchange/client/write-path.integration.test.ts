/**
 * The create-order path against the emulator over loopback: with the instrument cached and the
 * rate limiter's token at hand, the request is signed and handed to undici inside the
 * `placeOrder` call itself (nothing awaited first); otherwise it waits as before. Local refusals
 * still arrive as rejections, never as throws.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { clientOidFor } from "../../../src/exchange/cryptocom/client-oid.js";
import { OrderValidationError } from "../../../src/exchange/cryptocom/instruments.js";
import type { OrderRequest } from "../../../src/exchange/types.js";
import { dec } from "../../../src/util/decimal.js";
import { useEmulator } from "./helpers/emulator.js";

const fx = useEmulator({ accounts: { main: { balances: { USD: "100000", BTC: "2" } } } });

/** create-order requests undici has been handed so far (its `request:create` channel). */
const created: string[] = [];
const onCreate = (m: unknown) => {
  const path = (m as { request: { path: string } }).request.path;
  if (path.endsWith("/private/create-order")) created.push(path);
};
subscribe("undici:request:create", onCreate);
afterEach(() => {
  created.length = 0;
});
afterAll(() => {
  unsubscribe("undici:request:create", onCreate);
});

const buy = (intentId: string): OrderRequest => ({
  intentId,
  symbol: "BTC_USD",
  side: "BUY",
  type: "MARKET",
  notional: dec("10"),
});

describe("create-order write path", () => {
  it("with the instrument cached and a token at hand, the request reaches undici within the call", async () => {
    const c = fx.client();
    await c.getInstrument("BTC_USD");
    const pending = c.placeOrder(buy("wp-1"));
    expect(created).toHaveLength(1); // before anything was awaited
    const out = await pending;
    expect(out.status).toBe("accepted");
    expect(out.clientOid).toBe(clientOidFor("wp-1"));
    expect(c.rateLimiterWaits()).toBe(0);
  });

  it("with nothing cached yet, the instruments are loaded first and the order still goes out", async () => {
    const c = fx.client();
    const pending = c.placeOrder(buy("wp-2"));
    expect(created).toHaveLength(0); // waiting for public/get-instruments
    expect((await pending).status).toBe("accepted");
    expect(created).toHaveLength(1);
  });

  it("without a token the call queues in the limiter (counted) and is sent when the token comes", async () => {
    const c = fx.client({ rateLimit: { limitFor: () => ({ limit: 1, windowMs: 50 }) } });
    await c.getInstrument("BTC_USD");
    const first = c.placeOrder(buy("wp-3"));
    const second = c.placeOrder(buy("wp-4"));
    expect(created).toHaveLength(1);
    expect(c.rateLimiterWaits()).toBe(1);
    expect((await first).status).toBe("accepted");
    expect((await second).status).toBe("accepted");
    expect(created).toHaveLength(2);
  });

  it("a doomed order with the instrument cached is a rejection, and nothing reaches undici", async () => {
    const c = fx.client();
    await c.getInstrument("BTC_USD");
    const pending = c.placeOrder({ ...buy("wp-5"), notional: "10.001" });
    expect(created).toHaveLength(0);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderValidationError);
  });

  it("the client_oid the trader records first is the one the order carries", async () => {
    const c = fx.client();
    await c.getInstrument("BTC_USD");
    const recorded = c.clientOidFor("wp-6");
    expect(recorded).toBe(clientOidFor("wp-6"));
    const out = await c.placeOrder(buy("wp-6"));
    expect(out.clientOid).toBe(recorded);
    expect(fx.emu.admin.orders().some((o) => o.client_oid === recorded)).toBe(true);
  });
});
