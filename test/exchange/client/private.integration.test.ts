/**
 * Every private endpoint of the client against the emulator over loopback: balances, orders,
 * cancels, history, fills, advanced trigger orders and OCO, plus the low-level request().
 */
import { describe, expect, it } from "vitest";
import { OrderValidationError } from "../../../src/exchange/cryptocom/instruments.js";
import type { PlaceOrderOutcome } from "../../../src/exchange/types.js";
import { Dec, dec } from "../../../src/util/decimal.js";
import { useEmulator } from "./helpers/emulator.js";

const fx = useEmulator({
  accounts: { main: { balances: { USD: "100000", BTC: "2", ETH: "20" } } },
});

function accepted(out: PlaceOrderOutcome): Extract<PlaceOrderOutcome, { status: "accepted" }> {
  if (out.status !== "accepted") throw new Error(`expected accepted, got ${JSON.stringify(out)}`);
  return out;
}

/** A price `pct` % away from the emulator's current price, on the 0.01 tick. */
function priceOf(symbol: string, pct: number): string {
  return dec(fx.emu.admin.price(symbol))
    .mul(1 + pct / 100)
    .toDecimalPlaces(2)
    .toFixed(2);
}
const btcPrice = (pct: number) => priceOf("BTC_USD", pct);

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = Date.now() + 5_000;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Order creation and cancels are asynchronous on the exchange: poll until `status`. */
async function settled(
  c: ReturnType<typeof fx.client>,
  ref: { orderId: string } | { clientOid: string },
  status: string,
) {
  const end = Date.now() + 5_000;
  for (;;) {
    const o = await c.getOrder(ref);
    if (o?.status === status || Date.now() > end) return o!;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("account", () => {
  it("private/user-balance: per-currency Dec balances", async () => {
    const b = await fx.client().getBalance();
    const usd = b.currencies.find((c) => c.currency === "USD")!;
    expect(usd.total).toBeInstanceOf(Dec);
    expect(usd.available.lte(usd.total)).toBe(true);
    expect(b.currencies.find((c) => c.currency === "BTC")!.total.gt(0)).toBe(true);
    expect(b.totalAvailable.gt(0)).toBe(true);
  });
});

describe("orders", () => {
  it("private/create-order MARKET BUY by notional → FILLED, visible in detail, history and trades", async () => {
    const c = fx.client();
    const out = accepted(
      await c.placeOrder({
        intentId: "mkt-buy-1",
        symbol: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "250.00",
      }),
    );
    expect(out.probed).toBe(false);
    expect(out.clientOid).toBe(c.clientOidFor("mkt-buy-1"));
    const o = await settled(c, { clientOid: out.clientOid }, "FILLED");
    expect(o.orderId).toBe(out.orderId);
    expect(o.status).toBe("FILLED");
    expect(o.filledQuantity.gt(0)).toBe(true);
    const byId = (await c.getOrder({ orderId: out.orderId }))!;
    expect(byId.clientOid).toBe(out.clientOid);
    const history = await c.getOrderHistory({ symbol: "BTC_USD" });
    expect(history.map((h) => h.orderId)).toContain(out.orderId);
    const fills = await c.getMyTrades({ symbol: "BTC_USD" });
    const mine = fills.filter((f) => f.orderId === out.orderId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.fee.gte(0)).toBe(true);
  });

  it("MARKET SELL by quantity (the seed's order, sized correctly) is accepted", async () => {
    const c = fx.client();
    const out = accepted(
      await c.placeOrder({
        intentId: "seed-sell",
        symbol: "BTC_USD",
        side: "SELL",
        type: "MARKET",
        quantity: "0.00011",
      }),
    );
    expect((await settled(c, { orderId: out.orderId }, "FILLED")).status).toBe("FILLED");
  });

  it("LIMIT → open orders → cancel-order → CANCELED", async () => {
    const c = fx.client();
    const out = accepted(
      await c.placeOrder({
        intentId: "lmt-1",
        symbol: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.001",
        price: btcPrice(-5),
        timeInForce: "GOOD_TILL_CANCEL",
      }),
    );
    const open = await c.getOpenOrders("BTC_USD");
    const mine = open.find((o) => o.orderId === out.orderId)!;
    expect(["NEW", "ACTIVE"]).toContain(mine.status);
    expect(mine.price!.toFixed(2)).toBe(btcPrice(-5));
    const ack = await c.cancelOrder({ orderId: out.orderId });
    expect(ack.orderId === undefined || ack.orderId === out.orderId).toBe(true);
    expect((await settled(c, { orderId: out.orderId }, "CANCELED")).status).toBe("CANCELED");
    const after = await eventually(
      () => c.getOpenOrders("BTC_USD"),
      (l) => !l.some((o) => o.orderId === out.orderId),
    );
    expect(after.map((o) => o.orderId)).not.toContain(out.orderId);
  });

  it("cancel by client_oid, and cancel-all-orders for one instrument", async () => {
    const c = fx.client();
    const a = accepted(
      await c.placeOrder({
        intentId: "ca-1",
        symbol: "ETH_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.01",
        price: priceOf("ETH_USD", -5),
      }),
    );
    await c.cancelOrder({ clientOid: a.clientOid });
    expect((await settled(c, { clientOid: a.clientOid }, "CANCELED")).status).toBe("CANCELED");
    for (const i of [2, 3]) {
      await c.placeOrder({
        intentId: `ca-${i}`,
        symbol: "ETH_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.01",
        price: priceOf("ETH_USD", -5),
      });
    }
    expect((await c.getOpenOrders("ETH_USD")).length).toBe(2);
    await c.cancelAllOrders("ETH_USD");
    expect(
      await eventually(
        () => c.getOpenOrders("ETH_USD"),
        (l) => l.length === 0,
      ),
    ).toEqual([]);
  });

  it("a doomed order never leaves the process (local 213, nothing received by the exchange)", async () => {
    const c = fx.client();
    const before = fx.emu.admin.orders().length;
    const err = await c
      .placeOrder({
        intentId: "doomed",
        symbol: "BTC_USD",
        side: "SELL",
        type: "MARKET",
        quantity: "0.00011119",
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrderValidationError);
    expect((err as OrderValidationError).code).toBe(213);
    expect(fx.emu.admin.orders().length).toBe(before);
  });

  it("the same intent twice is one order: the second placement finds it (204 → probe)", async () => {
    const c = fx.client();
    const first = accepted(
      await c.placeOrder({
        intentId: "dup-1",
        symbol: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.001",
        price: btcPrice(-10),
      }),
    );
    const again = accepted(
      await c.placeOrder({
        intentId: "dup-1",
        symbol: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        quantity: "0.001",
        price: btcPrice(-10),
      }),
    );
    expect(again.probed).toBe(true);
    expect(again.orderId).toBe(first.orderId);
    expect(
      fx.emu.admin.orders().filter((o) => o.client_oid === first.clientOid && o.response_code === 0),
    ).toHaveLength(1);
    await c.cancelOrder({ orderId: first.orderId });
  });

  it("a business rejection is final and typed (306 insufficient balance, with the order id of §2.2)", async () => {
    const c = fx.client();
    const out = await c.placeOrder({
      intentId: "too-big",
      symbol: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      quantity: "100",
      price: btcPrice(-1),
    });
    expect(out.status).toBe("rejected");
    if (out.status !== "rejected") return;
    expect(out.error.code).toBe(306);
    expect(out.error.category).toBe("insufficient_funds");
    expect(out.attempts).toBe(1);
    // reject_with_result (the emulator's default): the order exists, REJECTED with reason 306.
    expect(out.orderId).toBeDefined();
    const o = await settled(c, { orderId: out.orderId! }, "REJECTED");
    expect(o.status).toBe("REJECTED");
    expect(o.reason).toBe(306);
  });

  it("unknown order ids are undefined, not errors", async () => {
    const c = fx.client();
    expect(await c.getOrder({ orderId: "123456789" })).toBeUndefined();
    expect(await c.getOrder({ clientOid: "never-used" })).toBeUndefined();
    expect(await c.getTriggerOrder({ clientOid: "never-used" })).toBeUndefined();
  });
});

describe("advanced orders", () => {
  it("private/advanced/create-order STOP_LOSS → advanced open orders → advanced detail", async () => {
    const c = fx.client();
    const out = accepted(
      await c.placeTriggerOrder({
        intentId: "sl-1",
        symbol: "BTC_USD",
        side: "SELL",
        type: "STOP_LOSS",
        quantity: "0.001",
        refPrice: btcPrice(-20),
      }),
    );
    const open = await c.getOpenTriggerOrders("BTC_USD");
    const mine = open.find((o) => o.orderId === out.orderId)!;
    expect(mine.type).toBe("STOP_LOSS");
    expect(mine.refPrice!.toFixed(2)).toBe(btcPrice(-20));
    const detail = (await c.getTriggerOrder({ clientOid: out.clientOid }))!;
    expect(detail.orderId).toBe(out.orderId);
    expect(await c.getOrder({ clientOid: "x-not-there" })).toBeUndefined();
  });

  it("private/advanced/create-oco + cancel-oco", async () => {
    const c = fx.client();
    const out = await c.placeOco({
      intentId: "oco-1",
      symbol: "BTC_USD",
      legs: [
        { type: "LIMIT", side: "SELL", quantity: "0.001", price: btcPrice(20) },
        {
          type: "STOP_LIMIT",
          side: "SELL",
          quantity: "0.001",
          refPrice: btcPrice(-20),
          price: btcPrice(-21),
        },
      ],
    });
    expect(out.status).toBe("accepted");
    if (out.status !== "accepted") return;
    expect(out.listId).toMatch(/\d/);
    const legs = (await c.getOpenTriggerOrders("BTC_USD")).filter((o) => o.listId === out.listId);
    expect(legs.map((l) => l.clientOid).sort()).toEqual([...out.clientOids].sort());
    await c.cancelOco(out.listId);
    const after = (await c.getOpenTriggerOrders("BTC_USD")).filter((o) => o.listId === out.listId);
    expect(after).toEqual([]);
    const leg = (await c.getTriggerOrder({ clientOid: out.clientOids[0] }))!;
    expect(leg.status).toBe("CANCELED");
  });
});

describe("low-level request() for the doctor", () => {
  it("returns raw code, HTTP status, Date, latency and signing facts without retries", async () => {
    const c = fx.client();
    const raw = await c.request("private/user-balance", {});
    expect(raw.ok).toBe(true);
    expect(raw.code).toBe(0);
    expect(raw.httpStatus).toBe(200);
    expect(Date.parse(raw.date!)).toBeGreaterThan(0);
    expect(raw.latencyMs).toBeGreaterThan(0);
    expect(raw.request).toMatchObject({ signed: true, viaProxy: false, paramStringLength: 0 });
    expect(raw.responseId).toBe(raw.request.id);
    expect(raw.clockSample).toBeDefined();
    const unknown = await c.request("private/get-account-summary", {});
    expect(unknown.code).toBe(40002);
    expect(unknown.error!.category).toBe("bad_request");
  });
});
