/** Fault injection (issue 3 contract), configured in the config and through the admin API. */
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorConfigInput, type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { admin, http, type Msg, privateCall, publicCall, WsClient } from "./helpers.js";

const running: EmulatorHandle[] = [];
async function start(config: EmulatorConfigInput = {}): Promise<EmulatorHandle> {
  const em = await startEmulator({
    market_tick_ms: 0,
    history_days: 1,
    rate_limits: false,
    ws_rate_limits: false,
    ...config,
  });
  running.push(em);
  return em;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

const order = (client_oid: string) => ({
  instrument_name: "BTC_USD",
  side: "BUY",
  type: "MARKET",
  notional: "25",
  client_oid,
});

async function waitFor<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (true) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("HTTP faults", () => {
  it("maintenance: 9010001 / 503 on private/*, public methods unaffected", async () => {
    const em = await start({
      faults: [{ kind: "error", code: 9010001, http_status: 503, methods: ["private/*"], probability: 1 }],
    });
    const r = await privateCall(em.baseUrl, "private/user-balance", {});
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ code: 9010001, message: "SYSTEM_MAINTENANCE" });
    expect((await publicCall(em.baseUrl, "public/get-instruments")).body.code).toBe(0);
  });

  it("a 42901 storm limited by count, then normal service", async () => {
    const em = await start({
      faults: [{ kind: "error", code: 42901, http_status: 429, methods: ["private/user-balance"], count: 3 }],
    });
    const statuses: [number, number][] = [];
    for (let i = 0; i < 4; i++) {
      const r = await privateCall(em.baseUrl, "private/user-balance", {});
      statuses.push([r.status, r.body.code]);
    }
    expect(statuses).toEqual([
      [429, 42901],
      [429, 42901],
      [429, 42901],
      [200, 0],
    ]);
    expect(em.admin.faults()[0]).toMatchObject({ fired: 3, exhausted: true });
  });

  it("HTTP 5xx with 50001 in the envelope, or a non-JSON body", async () => {
    const em = await start({
      faults: [
        { kind: "error", code: 50001, http_status: 500, methods: ["private/get-open-orders"] },
        {
          kind: "error",
          code: 50001,
          http_status: 502,
          raw_body: "<html>Bad Gateway</html>",
          methods: ["public/get-tickers"],
        },
      ],
    });
    const r = await privateCall(em.baseUrl, "private/get-open-orders", {}, { id: 31 });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({
      id: 31,
      method: "private/get-open-orders",
      code: 50001,
      message: "INTERNAL_SERVER_ERROR",
    });
    const raw = await publicCall(em.baseUrl, "public/get-tickers");
    expect([raw.status, raw.text, raw.body]).toEqual([502, "<html>Bad Gateway</html>", undefined]);
  });

  it("added latency", async () => {
    const em = await start({ faults: [{ kind: "latency", ms: 300, methods: ["public/get-tickers"] }] });
    const t0 = performance.now();
    await publicCall(em.baseUrl, "public/get-tickers");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it("reset_before: the connection is reset and nothing is processed", async () => {
    const em = await start({
      faults: [{ kind: "reset_before", methods: ["private/create-order"], count: 1 }],
    });
    await expect(privateCall(em.baseUrl, "private/create-order", order("rb-1"))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect(em.admin.orders()).toEqual([]);
    const again = await privateCall(em.baseUrl, "private/create-order", order("rb-1"));
    expect(again.body.code).toBe(0);
  });

  it("lose_response: the order is processed but the answer never arrives (the ambiguous case)", async () => {
    const em = await start({
      faults: [{ kind: "lose_response", methods: ["private/create-order"], count: 1 }],
    });
    await expect(privateCall(em.baseUrl, "private/create-order", order("lost-1"))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect(em.admin.orders()).toEqual([
      expect.objectContaining({ client_oid: "lost-1", response_code: 0, api_key: "demo-key" }),
    ]);
    const found = await waitFor(
      () => privateCall(em.baseUrl, "private/get-order-detail", { client_oid: "lost-1" }),
      (r) => r.body.result?.status === "FILLED",
    );
    expect(found.body.result.client_oid).toBe("lost-1");
    const retry = await privateCall(em.baseUrl, "private/create-order", order("lost-1"));
    expect(retry.body.code).toBe(204);
  });

  it("probability 0 never fires; method globs must match", async () => {
    const em = await start({
      faults: [
        { kind: "error", code: 50001, methods: ["private/*"], probability: 0 },
        { kind: "error", code: 50001, methods: ["private/get-order-*"] },
      ],
    });
    expect((await privateCall(em.baseUrl, "private/user-balance", {})).body.code).toBe(0);
    expect((await privateCall(em.baseUrl, "private/get-order-detail", { order_id: "1" })).body.code).toBe(
      50001,
    );
  });
});

describe("clock jump", () => {
  it("moves the emulator clock after after_ms: nonces from the local clock become invalid", async () => {
    const em = await start({ faults: [{ kind: "clock_jump", ms: 90_000, after_ms: 50 }] });
    await waitFor(
      () => em.admin.clock().offset_ms,
      (o) => o === 90_000,
    );
    const r = await privateCall(em.baseUrl, "private/user-balance", {});
    expect([r.status, r.body.code]).toEqual([400, 40102]);
    expect(Date.parse(String(r.headers.date)) - Date.now()).toBeGreaterThan(80_000);
  });
});

describe("WebSocket faults", () => {
  it("ws_drop terminates connections without a close frame (1006)", async () => {
    const em = await start({ faults: [{ kind: "ws_drop", every_ms: 100, sockets: ["market"], count: 1 }] });
    const c = await WsClient.connect(em.wsMarketUrl);
    expect(await c.closed).toBe(1006);
    const d = await WsClient.connect(em.wsMarketUrl);
    await new Promise((r) => setTimeout(r, 250));
    expect(d.ws.readyState).toBe(d.ws.OPEN);
    d.close();
  });

  it("heartbeat_stall silences a connection (count 1: the next one is healthy)", async () => {
    const em = await start({ heartbeat_ms: 100, faults: [{ kind: "heartbeat_stall", count: 1 }] });
    const stalled = await WsClient.connect(em.wsUserUrl);
    await new Promise((r) => setTimeout(r, 150));
    const healthy = await WsClient.connect(em.wsUserUrl);
    for (let i = 0; i < 3; i++) {
      const from = healthy.messages.length;
      await healthy.next((m) => m.method === "public/heartbeat", 5_000, from);
    }
    expect(stalled.messages.filter((m: Msg) => m.method === "public/heartbeat")).toEqual([]);
    expect(stalled.ws.readyState).toBe(stalled.ws.OPEN);
    stalled.close();
    healthy.close();
  });

  it("book_gap skips a delta so the next pu does not match the last u", async () => {
    const em = await start({ faults: [{ kind: "book_gap", instruments: ["BTC_USD"], count: 1 }] });
    const c = await WsClient.connect(em.wsMarketUrl);
    await c.call("subscribe", { channels: ["book.BTC_USD.10"] });
    const snap = await c.next((m) => m.result?.channel === "book");
    const from = c.messages.length;
    em.admin.tick(3);
    const deltas: Msg[] = [];
    while (deltas.length < 2) {
      deltas.push(
        await c.next((m) => m.result?.channel === "book.update" && !deltas.includes(m), 5_000, from),
      );
    }
    expect(deltas[0].result.data[0].pu).not.toBe(snap.result.data[0].u);
    expect(deltas[1].result.data[0].pu).toBe(deltas[0].result.data[0].u);
    c.close();
  });

  it("error faults apply to private methods over the user socket too", async () => {
    const em = await start({ faults: [{ kind: "error", code: 50001, methods: ["private/create-order"] }] });
    const c = await WsClient.connect(em.wsUserUrl);
    await c.auth();
    expect((await c.call("private/create-order", order("ws-f"))).code).toBe(50001);
    c.close();
  });

  it("an error fault without a message answers the same text over REST and the user socket", async () => {
    const em = await start({
      faults: [{ kind: "error", code: 42901, methods: ["private/get-open-orders"] }],
    });
    const rest = await privateCall(em.baseUrl, "private/get-open-orders", {});
    expect([rest.status, rest.body.code, rest.body.message]).toEqual([429, 42901, "TOO_MANY_REQUESTS"]);
    const c = await WsClient.connect(em.wsUserUrl);
    await c.auth();
    const ws = await c.call("private/get-open-orders", {});
    expect([ws.code, ws.message]).toEqual([42901, "TOO_MANY_REQUESTS"]);
    c.close();
  });
});

describe("faults through the admin API", () => {
  it("PUT, POST, GET and DELETE /emulator/admin/faults", async () => {
    const em = await start();
    const put = await admin(em.adminUrl, "PUT", "/faults", {
      faults: [{ kind: "error", code: 9010001, http_status: 503, methods: ["private/*"] }],
    });
    expect(put.status).toBe(200);
    expect((await privateCall(em.baseUrl, "private/user-balance", {})).status).toBe(503);
    await admin(em.adminUrl, "POST", "/faults", { kind: "latency", ms: 1, methods: ["*"] });
    const list = await admin(em.adminUrl, "GET", "/faults");
    expect(list.body.faults.map((f: Msg) => f.kind)).toEqual(["error", "latency"]);
    expect(list.body.faults[0].fired).toBe(1);
    const bad = await admin(em.adminUrl, "POST", "/faults", { kind: "error" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/fault\.code/);
    await admin(em.adminUrl, "DELETE", "/faults");
    expect((await privateCall(em.baseUrl, "private/user-balance", {})).status).toBe(200);
    const raw = await http(`${em.adminUrl}/faults`, { method: "PUT", body: "not json" });
    expect(raw.status).toBe(400);
  });
});
