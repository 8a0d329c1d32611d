/** The minimal signing proxy's contract (original-platform.md §3.4 + GET /proxy/outbound-ip), over loopback. */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { type SigningProxy, startSigningProxy } from "../../src/proxy/index.js";

const KEY = "proxyKey0123456789abcdef";
const SECRET = "proxySecret0123456789abcdefgh";
const TOKEN = "tok-5f1e2d3c4b5a69788796a5b4";

let emu: EmulatorHandle;
let proxy: SigningProxy;

beforeAll(async () => {
  emu = await startEmulator({
    market_tick_ms: 0,
    keys: [{ api_key: KEY, secret: SECRET, account: "main", ip_whitelist: ["127.0.0.2"] }],
  });
  proxy = await startSigningProxy({
    upstreamBaseUrl: emu.baseUrl,
    apiKey: KEY,
    apiSecret: SECRET,
    token: TOKEN,
    localAddress: "127.0.0.2",
    outboundIpUrl: emu.ipEchoUrl,
    upstreamTimeoutMs: 500,
  });
});
afterAll(async () => {
  await proxy?.close();
  await emu?.close();
});

async function post(body: unknown, token: string | null = TOKEN) {
  const res = await request(`${proxy.url}/proxy/private`, {
    method: "POST",
    // the original's envelope form, asked for (passthrough, the default, is test/proxy/failures.test.ts's)
    headers: {
      "content-type": "application/json",
      "x-proxy-protocol": "envelope",
      ...(token !== null ? { "x-proxy-token": token } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe("signing proxy", () => {
  it("signs with its own key, forwards, and wraps the upstream answer in {status, body, rid}", async () => {
    const r = await post({ method: "private/user-balance", params: {} });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe(200);
    expect((r.json.body as { code: number }).code).toBe(0);
    expect(typeof r.json.rid).toBe("string");
  });

  it("passes the upstream's refusal through with its HTTP status", async () => {
    const r = await post({ method: "private/get-order-detail", params: { order_id: "123" } });
    expect(r.status).toBe(200);
    expect(typeof r.json.status).toBe("number");
    expect((r.json.body as { code: number }).code).not.toBe(0);
    expect(JSON.stringify(r.json)).not.toContain(SECRET);
  });

  it("refuses a wrong or missing token with HTTP 401", async () => {
    expect((await post({ method: "private/user-balance" }, "wrong")).status).toBe(401);
    expect((await post({ method: "private/user-balance" }, null)).status).toBe(401);
  });

  it("never signs a withdrawal or a method outside the endpoint table: HTTP 403, nothing forwarded", async () => {
    // a fault on those methods would fire if the proxy forwarded anything to the exchange
    emu.admin.setFaults([
      { kind: "error", code: 10002, methods: ["private/create-withdrawal", "private/get-deposit-address"] },
    ]);
    try {
      const withdraw = await post({
        method: "private/create-withdrawal",
        params: { currency: "BTC", amount: "1", address: "bc1qexample" },
      });
      expect(withdraw.status).toBe(403);
      expect(withdraw.json.error).toMatch(/private\/create-withdrawal needs the withdraw permission/);
      const unknown = await post({ method: "private/get-deposit-address", params: { currency: "BTC" } });
      expect(unknown.status).toBe(403);
      expect(unknown.json.error).toMatch(/private\/get-deposit-address needs the withdraw permission/);
      const outside = await post({ method: "private/get-accounts", params: {} });
      expect(outside.status).toBe(403);
      expect(outside.json.error).toMatch(/private\/get-accounts is not a private method atp calls/);
      expect(emu.admin.faults().map((f) => f.fired)).toEqual([0]);
    } finally {
      emu.admin.clearFaults();
    }
    // the methods atp calls still go through
    expect((await post({ method: "private/user-balance", params: {} })).status).toBe(200);
  });

  it("drops the upstream's `original` echo (api_key and sig) from the body it answers", async () => {
    const echoed = JSON.stringify({ api_key: KEY, sig: "ab".repeat(32), method: "private/get-open-orders" });
    emu.admin.setFaults([
      {
        kind: "error",
        code: 40101,
        http_status: 401,
        raw_body: JSON.stringify({ id: 1, method: "private/get-open-orders", code: 40101, original: echoed }),
        methods: ["private/get-open-orders"],
      },
    ]);
    try {
      const r = await post({ method: "private/get-open-orders", params: {} });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe(401);
      expect(r.json.body).toEqual({ id: 1, method: "private/get-open-orders", code: 40101 });
      expect(JSON.stringify(r.json)).not.toContain(KEY);
    } finally {
      emu.admin.clearFaults();
    }
  });

  it("refuses bad requests with HTTP 400", async () => {
    expect((await post("not json")).status).toBe(400);
    expect((await post({ method: "public/get-tickers" })).status).toBe(400);
    expect((await post({ method: "private/create-order", params: { price: 0.1 } })).status).toBe(400);
  });

  it("GET /health", async () => {
    const res = await request(`${proxy.url}/health`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ status: "healthy", service: "crypto-proxy" });
  });

  it("GET /proxy/outbound-ip: its own outbound IP through its local address binding (token required)", async () => {
    const ok = await request(`${proxy.url}/proxy/outbound-ip`, { headers: { "x-proxy-token": TOKEN } });
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toEqual({ ip: "127.0.0.2", via: emu.ipEchoUrl });
    const no = await request(`${proxy.url}/proxy/outbound-ip`);
    expect(no.statusCode).toBe(401);
    await no.body.dump();
  });

  it("answers 504 when the upstream times out and 502 when it is unreachable", async () => {
    emu.admin.setFaults([{ kind: "latency", ms: 1_500, methods: ["private/user-balance"] }]);
    const slow = await post({ method: "private/user-balance" });
    emu.admin.clearFaults();
    expect(slow.status).toBe(504);
    const dead = await startSigningProxy({
      upstreamBaseUrl: "http://127.0.0.1:1/exchange/v1",
      apiKey: KEY,
      apiSecret: SECRET,
      token: TOKEN,
      outboundIpUrl: emu.ipEchoUrl,
    });
    try {
      const res = await request(`${dead.url}/proxy/private`, {
        method: "POST",
        headers: { "x-proxy-token": TOKEN },
        body: JSON.stringify({ method: "private/user-balance" }),
      });
      expect(res.statusCode).toBe(502);
      await res.body.dump();
    } finally {
      await dead.close();
    }
  });

  it("refuses to start without credentials or a token", async () => {
    const base = { upstreamBaseUrl: emu.baseUrl, outboundIpUrl: emu.ipEchoUrl };
    await expect(startSigningProxy({ ...base, apiKey: KEY, apiSecret: SECRET, token: "" })).rejects.toThrow(
      /token/,
    );
    await expect(startSigningProxy({ ...base, apiKey: "", apiSecret: SECRET, token: TOKEN })).rejects.toThrow(
      /key and secret/,
    );
  });
});
