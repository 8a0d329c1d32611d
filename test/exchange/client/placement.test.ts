/**
 * The placement state machine (pure logic: attempts and probes are injected functions, no network).
 * The same rules are exercised end to end against the emulator in orders.integration.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ExchangeError } from "../../../src/exchange/cryptocom/errors.js";
import { parseOrderAck, rejectedOrderId } from "../../../src/exchange/cryptocom/parsers/orders.js";
import { type AttemptResult, placeWithProbe } from "../../../src/exchange/cryptocom/placement.js";
import type { Order } from "../../../src/exchange/types.js";
import { dec } from "../../../src/util/decimal.js";

const M = "private/create-order";
const ok = (orderId: string): AttemptResult => ({
  ok: true,
  result: { order_id: orderId, client_oid: "oid" },
  error: undefined,
  staleAfter: 1000,
});
const fail = (init: ConstructorParameters<typeof ExchangeError>[0]): AttemptResult => ({
  ok: false,
  result: undefined,
  error: new ExchangeError(init),
  staleAfter: 61_000,
});
const order = { orderId: "77", clientOid: "oid", status: "ACTIVE", quantity: dec("1") } as unknown as Order;

function ctx(attempts: AttemptResult[], probes: (Order | undefined | Error)[] = []) {
  const log = { attempts: 0, probes: 0, resends: [] as string[] };
  return {
    log,
    ctx: {
      attempt: async () => {
        log.attempts += 1;
        return attempts.shift() ?? ok("late");
      },
      probe: async () => {
        log.probes += 1;
        const p = probes.shift();
        if (p instanceof Error) throw p;
        return p;
      },
      beforeResend: (e: ExchangeError) => {
        log.resends.push(e.codeName);
        return e.category !== "nonce";
      },
      policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      probeDelaysMs: [0, 1, 1],
    },
  };
}

const place = (c: ReturnType<typeof ctx>["ctx"]) => placeWithProbe(c, "oid", parseOrderAck, rejectedOrderId);

describe("placeWithProbe", () => {
  it("accepted on code 0", async () => {
    const { ctx: c, log } = ctx([ok("1")]);
    expect(await place(c)).toEqual({
      status: "accepted",
      clientOid: "oid",
      orderId: "1",
      probed: false,
      attempts: 1,
    });
    expect(log.probes).toBe(0);
  });

  it("re-sends after a definite 42901, same client_oid, and counts attempts", async () => {
    const { ctx: c, log } = ctx([fail({ method: M, code: 42901, httpStatus: 429 }), ok("2")]);
    const out = await place(c);
    expect(out).toMatchObject({ status: "accepted", orderId: "2", attempts: 2 });
    expect(log.resends).toEqual(["TOO_MANY_REQUESTS"]);
  });

  it("never re-sends after an ambiguous timeout: probes instead and reports the order found", async () => {
    const { ctx: c, log } = ctx(
      [fail({ method: M, category: "timeout", ambiguous: true })],
      [undefined, order],
    );
    const out = await place(c);
    expect(out).toMatchObject({ status: "accepted", orderId: "77", probed: true, attempts: 1 });
    expect(log.attempts).toBe(1);
    expect(log.probes).toBe(2);
  });

  it("ambiguous and never found → not_found with resendSafeAfter", async () => {
    const { ctx: c, log } = ctx([fail({ method: M, category: "network", ambiguous: true })], []);
    const out = await place(c);
    expect(out).toMatchObject({ status: "not_found", probes: 3, resendSafeAfter: 61_000, attempts: 1 });
    expect(log.attempts).toBe(1);
  });

  it("ambiguous and the probe fails → unknown (with both errors)", async () => {
    const probeErr = new ExchangeError({ method: "private/get-order-detail", category: "network" });
    const { ctx: c } = ctx([fail({ method: M, code: 50001, httpStatus: 500 })], [probeErr]);
    const out = await place(c);
    expect(out.status).toBe("unknown");
    if (out.status === "unknown") {
      expect(out.error.code).toBe(50001);
      expect(out.probeError).toBe(probeErr);
    }
  });

  it("a non-JSON 5xx is ambiguous (probe), a coded business rejection is final", async () => {
    const a = ctx([fail({ method: M, httpStatus: 502, ambiguous: true })], [order]);
    expect((await place(a.ctx)).status).toBe("accepted");
    const b = ctx([
      fail({ method: M, code: 306, httpStatus: 500, result: { order_id: "9", client_oid: "oid" } }),
    ]);
    const out = await place(b.ctx);
    expect(out).toMatchObject({ status: "rejected", orderId: "9", attempts: 1 });
    expect(b.log.probes).toBe(0);
  });

  it("204 duplicate client_oid: the order already exists → probe and report it", async () => {
    const { ctx: c } = ctx([fail({ method: M, code: 204, httpStatus: 400 })], [order]);
    expect(await place(c)).toMatchObject({ status: "accepted", orderId: "77", probed: true });
  });

  it("connection failures before the write are re-sent, then reported as not_sent", async () => {
    const refused = () => fail({ method: M, category: "network", ambiguous: false });
    const { ctx: c, log } = ctx([refused(), refused(), refused()]);
    const out = await place(c);
    expect(out).toMatchObject({ status: "not_sent", attempts: 3 });
    expect(log.probes).toBe(0);
  });

  it("a 40102 is re-sent only when the client can correct the nonce", async () => {
    const { ctx: c, log } = ctx([fail({ method: M, code: 40102, httpStatus: 400 })]);
    expect(await place(c)).toMatchObject({ status: "rejected", attempts: 1 });
    expect(log.resends).toEqual(["INVALID_NONCE"]);
    expect(log.attempts).toBe(1);
  });

  it("auth failures are final and never re-sent", async () => {
    const { ctx: c, log } = ctx([fail({ method: M, code: 40101, httpStatus: 401 })]);
    expect(await place(c)).toMatchObject({ status: "rejected", attempts: 1 });
    expect(log.attempts).toBe(1);
  });
});
