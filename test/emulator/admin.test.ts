/** The admin API over loopback HTTP (and its in-process twin). */
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorConfigError, parseEmulatorConfig } from "../../src/emulator/config.js";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";
import { isLoopback } from "../../src/emulator/keys.js";
import { admin, http, type Msg, privateCall, publicCall, WsClient } from "./helpers.js";

let em: EmulatorHandle;

beforeAll(async () => {
  em = await startEmulator({ market_tick_ms: 0, history_days: 1, rate_limits: false });
});
afterAll(async () => {
  await em.close();
});

describe("keys", () => {
  it("lists keys with the secret masked", async () => {
    const r = await admin(em.adminUrl, "GET", "/keys");
    expect(r.status).toBe(200);
    expect(r.body.keys[0]).toMatchObject({
      api_key: "demo-key",
      account: "main",
      permissions: ["read", "trade"],
    });
    expect(r.body.keys[0].secret).toMatch(/^len=11 fp=[0-9a-f]{8}$/);
    expect(r.text).not.toContain("demo-secret");
  });

  it("adds, disables and removes a key", async () => {
    const add = await admin(em.adminUrl, "POST", "/keys", { api_key: "k2", secret: "s2", account: "main" });
    expect(add.status).toBe(200);
    const as = { apiKey: "k2", secret: "s2" };
    expect((await privateCall(em.baseUrl, "private/user-balance", {}, as)).body.code).toBe(0);
    em.admin.setKeyEnabled("k2", false);
    expect((await privateCall(em.baseUrl, "private/user-balance", {}, as)).body.code).toBe(40101);
    expect((await admin(em.adminUrl, "DELETE", "/keys/k2")).status).toBe(200);
    expect((await admin(em.adminUrl, "DELETE", "/keys/k2")).status).toBe(404);
  });

  it("replaces all keys and validates them, naming the field", async () => {
    const bad = await admin(em.adminUrl, "PUT", "/keys", { keys: [{ api_key: "x", account: "main" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^keys\[0\]\.secret: /);
    const ghost = await admin(em.adminUrl, "PUT", "/keys", {
      keys: [{ api_key: "x", secret: "y", account: "ghost" }],
    });
    expect(ghost.body.error).toMatch(/keys\[0\]\.account: no account named "ghost"/);
    const ok = await admin(em.adminUrl, "PUT", "/keys", {
      keys: [{ api_key: "demo-key", secret: "demo-secret", account: "main", ip_whitelist: ["127.0.0.1"] }],
    });
    expect(ok.body.keys).toHaveLength(1);
  });
});

describe("balances, clock, prices, market", () => {
  it("sets and reads balances", async () => {
    const put = await admin(em.adminUrl, "PUT", "/balances", {
      account: "main",
      balances: { USD: "123.45", DOGE: "1000" },
    });
    expect(put.body.balances.USD).toEqual({ total: "123.45", reserved: "0", available: "123.45" });
    const bal = await privateCall(em.baseUrl, "private/user-balance", {});
    const usd = bal.body.result.data[0].position_balances.find((p: Msg) => p.instrument_name === "USD");
    expect(usd.quantity).toBe("123.45");
    const bad = await admin(em.adminUrl, "PUT", "/balances", { account: "main", balances: { USD: 5 } });
    expect([bad.status, bad.body.error]).toEqual([400, expect.stringMatching(/balances\.USD/)]);
    em.admin.setBalances("main", { USD: "10000" });
  });

  it("refuses a bad balance exactly as the config does", async () => {
    const bad = { USD: "-5" };
    let configProblem = "";
    try {
      parseEmulatorConfig({ accounts: { main: { balances: bad } } });
    } catch (err) {
      configProblem = (err as EmulatorConfigError).problems[0] ?? "";
    }
    const rule = configProblem.slice(configProblem.indexOf(": ") + 2);
    expect(rule).toMatch(/non-negative decimal/);
    const r = await admin(em.adminUrl, "PUT", "/balances", { account: "main", balances: bad });
    expect([r.status, r.body.error]).toEqual([400, `balances.USD: ${rule}`]);
  });

  it("refuses a body over 1 MiB with 413 without applying it", async () => {
    const body = JSON.stringify({ account: "main", balances: { USD: "7" }, pad: "x".repeat(1 << 20) });
    const r = await http(`${em.adminUrl}/balances`, { method: "PUT", body });
    expect([r.status, r.body.error]).toEqual([413, expect.stringMatching(/at most 1048576 bytes/)]);
    expect(em.admin.balances("main").USD?.total).not.toBe("7");
  });

  it("sets the clock offset", async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const e = await startEmulator({ market_tick_ms: 0, history_days: 1 }, { clock });
    try {
      const r = await admin(e.adminUrl, "PUT", "/clock", { offset_ms: -30_000 });
      expect(r.body).toEqual({ now: clock.now() - 30_000, offset_ms: -30_000 });
      const bad = await admin(e.adminUrl, "PUT", "/clock", { offset_ms: 1e15 });
      expect([bad.status, bad.body.error]).toEqual([
        400,
        expect.stringMatching(/^offset_ms: must be at most/),
      ]);
      await admin(e.adminUrl, "PUT", "/clock", { offset_ms: 0 });
      expect((await admin(e.adminUrl, "GET", "/clock")).body).toEqual({ now: clock.now(), offset_ms: 0 });
    } finally {
      await e.close();
    }
  });

  it("sets and nudges a price; the ticker follows", async () => {
    const set = await admin(em.adminUrl, "POST", "/price", { instrument_name: "ETH_USD", price: "2500" });
    expect(set.body.price).toBe("2500");
    const t = await publicCall(em.baseUrl, "public/get-tickers", { instrument_name: "ETH_USD" });
    expect(t.body.result.data[0].a).toBe("2500.00");
    const nudge = await admin(em.adminUrl, "POST", "/price", { instrument_name: "ETH_USD", nudge_pct: -10 });
    expect(nudge.body.price).toBe("2250");
    expect((await admin(em.adminUrl, "GET", "/price?instrument_name=ETH_USD")).body.price).toBe("2250");
    expect((await admin(em.adminUrl, "POST", "/price", { instrument_name: "NOPE", price: "1" })).status).toBe(
      404,
    );
  });

  it("steps the market", async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const e = await startEmulator({ market_tick_ms: 0, history_days: 1 }, { clock });
    try {
      const before = (await admin(e.adminUrl, "GET", "/state")).body.market_time;
      expect(before).toBe(clock.now());
      const r = await admin(e.adminUrl, "POST", "/tick", { count: 10 });
      expect(r.body.market_time - before).toBe(10_000); // ten nominal one-second steps
    } finally {
      await e.close();
    }
  });

  it("makes an instrument untradable", async () => {
    await admin(em.adminUrl, "PUT", "/tradable", { instrument_name: "XRP_USD", tradable: false });
    const inst = await publicCall(em.baseUrl, "public/get-instruments");
    expect(inst.body.result.data.find((i: Msg) => i.symbol === "XRP_USD").tradable).toBe(false);
    await admin(em.adminUrl, "PUT", "/tradable", { instrument_name: "XRP_USD", tradable: true });
  });
});

describe("orders received", () => {
  it("lists every order request with its client_oid, status and the key that placed it", async () => {
    const a = await privateCall(em.baseUrl, "private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "20",
      client_oid: "adm-ok",
    });
    await privateCall(em.baseUrl, "private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      price: "1",
      quantity: "0.0000001",
      client_oid: "adm-bad",
    });
    await new Promise((r) => setTimeout(r, 20));
    const list = await admin(em.adminUrl, "GET", "/orders");
    const ok = list.body.orders.find((o: Msg) => o.client_oid === "adm-ok");
    expect(ok).toMatchObject({ order_id: a.body.result.order_id, api_key: "demo-key", response_code: 0 });
    expect(["NEW", "FILLED"]).toContain(ok.status);
    const bad = list.body.orders.find((o: Msg) => o.client_oid === "adm-bad");
    expect(bad).toMatchObject({
      order_id: null,
      status: "REJECTED",
      reason: 213,
      response_code: 213,
      api_key: "demo-key",
    });
  });
});

describe("WebSocket drop on demand", () => {
  it("POST /ws-drop terminates connections", async () => {
    const c = await WsClient.connect(em.wsMarketUrl);
    const r = await admin(em.adminUrl, "POST", "/ws-drop");
    expect(r.body.dropped).toBeGreaterThanOrEqual(1);
    expect(await c.closed).toBe(1006);
  });
});

describe("routing and access", () => {
  it("unknown routes are 404", async () => {
    expect((await admin(em.adminUrl, "GET", "/nothing")).status).toBe(404);
  });

  it("loopback detection", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.2")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("192.0.2.2")).toBe(false);
    expect(isLoopback("::ffff:10.0.0.1")).toBe(false);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

  it.skipIf(!external)("refuses a non-loopback caller with 403 (exchange API still served)", async () => {
    const wide = await startEmulator({ market_tick_ms: 0 }, { host: "0.0.0.0" });
    try {
      const port = new URL(wide.adminUrl).port;
      const r = await http(`http://${external}:${port}/emulator/admin/state`, { localAddress: external });
      expect(r.status).toBe(403);
      const ip = await http(`http://${external}:${port}/ip`, { localAddress: external });
      expect(ip.text.trim()).toBe(external);
      const local = await http(`${wide.adminUrl}/state`);
      expect(local.status).toBe(200);
    } finally {
      await wide.close();
    }
  });
});
