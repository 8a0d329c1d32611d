/**
 * The client in the proxy's passthrough protocol, over loopback: client → the real signing proxy
 * (outbound side bound to 127.0.0.2) → the emulator. The exchange's refusals (40101, 213) arrive with
 * the exchange's own HTTP status and code, exactly as the direct path sees them; each of the
 * proxy's own failures is a ProxyError whose category comes from its X-Proxy-Error code (never the
 * text); the request id is kept for the logs on both sides; and the original platform's envelope
 * is still read when a proxy answers without the passthrough marker.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { CryptoComClient } from "../../src/exchange/cryptocom/client.js";
import { ProxyError } from "../../src/exchange/cryptocom/proxy.js";
import { PROXY_FAILURES } from "../../src/exchange/cryptocom/proxy-protocol.js";
import { ManualTime } from "../../src/util/clock.js";
import {
  capturedLogger,
  type LoggedProxy,
  PROXY_KEY,
  PROXY_SECRET,
  PROXY_TOKEN,
  type ScriptedProxy,
  startLoggedProxy,
  startScriptedProxy,
} from "./helpers.js";

let emu: EmulatorHandle;
let proxy: LoggedProxy;
const extra: { close(): Promise<void> }[] = [];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A LIMIT buy whose quantity is finer than BTC_USD's qty_tick_size (0.00001): 213 INVALID_ORDERQTY. */
const BAD_QTY = {
  instrument_name: "BTC_USD",
  side: "BUY",
  type: "LIMIT",
  price: "50000",
  quantity: "0.000001",
};

const KEY = {
  api_key: PROXY_KEY,
  secret: PROXY_SECRET,
  account: "main",
  ip_whitelist: ["127.0.0.1", "127.0.0.2"],
};

function client(
  url: string,
  over: { token?: string; logger?: ReturnType<typeof capturedLogger>["logger"] } = {},
) {
  const c = new CryptoComClient({
    baseUrl: emu.baseUrl,
    proxy: { url, token: over.token ?? PROXY_TOKEN },
    rateLimit: { enabled: false },
    authDiag: true,
    ...(over.logger ? { logger: over.logger } : {}),
  });
  extra.push(c);
  return c;
}

function direct() {
  const c = new CryptoComClient({
    baseUrl: emu.baseUrl,
    apiKey: PROXY_KEY,
    apiSecret: PROXY_SECRET,
    rateLimit: { enabled: false },
  });
  extra.push(c);
  return c;
}

async function scripted(answer: Parameters<typeof startScriptedProxy>[0]): Promise<ScriptedProxy> {
  const s = await startScriptedProxy(answer);
  extra.push(s);
  return s;
}

beforeAll(async () => {
  emu = await startEmulator({ market_tick_ms: 0, rate_limits: false, keys: [KEY] });
  proxy = await startLoggedProxy({
    upstreamBaseUrl: emu.baseUrl,
    localAddress: "127.0.0.2",
    outboundIpUrl: emu.ipEchoUrl,
    upstreamTimeoutMs: 2_000,
  });
});
afterEach(() => emu.admin.upsertKey(KEY));
afterAll(async () => {
  for (const x of extra.splice(0)) await x.close();
  await proxy?.close();
  await emu?.close();
});

describe("the exchange's answers, passed through", () => {
  it("213 INVALID_ORDERQTY: the exchange's HTTP status and code, the same as direct; an ExchangeError, not a ProxyError", async () => {
    const d = await direct().request("private/create-order", BAD_QTY);
    const p = await client(proxy.url).request("private/create-order", BAD_QTY);
    expect(d).toMatchObject({ ok: false, httpStatus: 400, code: 213 });
    expect(p).toMatchObject({ ok: false, httpStatus: d.httpStatus, code: 213 });
    expect(p.error).not.toBeInstanceOf(ProxyError);
    expect(p.error).toMatchObject({ category: "invalid_order", codeName: "INVALID_ORDERQTY" });
    expect(p.request.viaProxy).toBe(true);
    expect(p.proxyRid).toMatch(UUID);
    expect(JSON.stringify(p.body)).not.toContain("sig");
  });

  it("40101 (a disabled key): HTTP 401 and code 40101 from the exchange, category auth; the rid in both logs", async () => {
    emu.admin.upsertKey({ ...KEY, enabled: false });
    const log = capturedLogger();
    const p = await client(proxy.url, { logger: log.logger }).request("private/user-balance", {});
    expect(p).toMatchObject({ ok: false, httpStatus: 401, code: 40101 });
    expect(p.error).not.toBeInstanceOf(ProxyError);
    expect(p.error?.category).toBe("auth");
    const rid = p.proxyRid!;
    expect(rid).toMatch(UUID);
    // the client's CRYPTO_AUTH_DIAG line and the proxy's own lines name the same request
    const mine = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.rid === rid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      level: 40,
      code: 40101,
      http_status: 401,
      method: "private/user-balance",
    });
    expect(String(mine[0]!.msg)).toContain("CRYPTO_AUTH_DIAG");
    expect(proxy.lines.filter((l) => l.includes(rid)).length).toBeGreaterThanOrEqual(1);
    expect(log.lines.join("\n")).not.toContain(PROXY_TOKEN);
  });

  it("a success keeps the rid too, and the client asked for passthrough", async () => {
    const s = await scripted(() => ({
      status: 200,
      headers: { "x-proxy-protocol": "passthrough", "x-request-id": "rid-ok-1" },
      body: JSON.stringify({ id: 1, method: "private/user-balance", code: 0, result: { data: [] } }),
    }));
    const p = await client(s.url).request("private/user-balance", {});
    expect(p).toMatchObject({ ok: true, httpStatus: 200, code: 0, proxyRid: "rid-ok-1" });
    expect(s.headers[0]).toMatchObject({ "x-proxy-protocol": "passthrough", "x-proxy-token": PROXY_TOKEN });
  });
});

describe("the proxy's own failures, by their X-Proxy-Error code", () => {
  const expectOwn = (raw: Awaited<ReturnType<CryptoComClient["request"]>>, code: string) => {
    expect(raw.error).toBeInstanceOf(ProxyError);
    const e = raw.error as ProxyError;
    const spec = PROXY_FAILURES.get(code)!;
    expect({
      code: e.proxyCode,
      status: e.proxyStatus,
      category: e.category,
      ambiguous: e.ambiguous,
    }).toEqual({
      code,
      status: spec.status,
      category: spec.category,
      ambiguous: spec.ambiguous,
    });
    expect(raw.proxyRid).toMatch(UUID);
    expect(e.toJSON()).toMatchObject({ source: "proxy", proxy_code: code, rid: raw.proxyRid });
  };

  it("bad_token → auth; method_not_allowed → permission (nothing forwarded: not ambiguous)", async () => {
    const before = emu.admin.orders().length;
    expectOwn(
      await client(proxy.url, { token: "0".repeat(40) }).request("private/user-balance", {}),
      "bad_token",
    );
    expectOwn(
      await client(proxy.url).request("private/create-withdrawal", {
        currency: "BTC",
        amount: "1",
        address: "x",
      }),
      "method_not_allowed",
    );
    expect(emu.admin.orders().length).toBe(before);
  });

  it("throttled → rate_limit, after failed tokens from this address", async () => {
    const time = new ManualTime(1_750_000_000_000);
    const p = await startLoggedProxy({ upstreamBaseUrl: emu.baseUrl, outboundIpUrl: emu.ipEchoUrl, time });
    extra.push(p);
    const wrong = client(p.url, { token: "1".repeat(40) });
    for (let i = 0; i < 5; i++) expectOwn(await wrong.request("private/user-balance", {}), "bad_token");
    expectOwn(await client(p.url).request("private/user-balance", {}), "throttled");
  });

  it("upstream_unreachable → network, upstream_timeout → timeout (both ambiguous: it may have forwarded)", async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = await startLoggedProxy({
      upstreamBaseUrl: `http://127.0.0.1:${port}/v1`,
      outboundIpUrl: emu.ipEchoUrl,
    });
    extra.push(dead);
    expectOwn(await client(dead.url).request("private/get-open-orders", {}), "upstream_unreachable");

    const hanging: Server = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", () => r()));
    extra.push({
      close: () =>
        new Promise<void>((r) => {
          hanging.close(() => r());
          hanging.closeAllConnections();
        }),
    });
    const slow = await startLoggedProxy({
      upstreamBaseUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`,
      outboundIpUrl: emu.ipEchoUrl,
      upstreamTimeoutMs: 150,
    });
    extra.push(slow);
    expectOwn(await client(slow.url).request("private/get-open-orders", {}), "upstream_timeout");
  });

  it("every code in the table maps by the code alone: the body's words and the HTTP status are not read", async () => {
    let code = "";
    const s = await scripted(() => ({
      // a misleading body and status: only the header decides
      status: 200,
      headers: { "x-proxy-error": code, "x-request-id": `rid-${code}` },
      body: JSON.stringify({
        error: "invalid proxy token",
        code: "bad_token",
        status: 200,
        body: { code: 0 },
      }),
    }));
    const c = client(s.url);
    for (const [name, spec] of PROXY_FAILURES) {
      code = name;
      const raw = await c.request("private/user-balance", {});
      expect(raw.error, name).toBeInstanceOf(ProxyError);
      expect([raw.error!.category, raw.error!.ambiguous, raw.proxyRid], name).toEqual([
        spec.category,
        spec.ambiguous,
        `rid-${name}`,
      ]);
    }
    code = "quota_exceeded"; // a code this client does not know: unknown, and possibly forwarded
    const raw = await c.request("private/user-balance", {});
    expect([raw.error?.category, raw.error?.ambiguous]).toEqual(["unknown", true]);
  });
});

describe("the original platform's envelope, read as a fallback (no marker, no failure code)", () => {
  it("HTTP 200 {status, body, rid}: the exchange's status and code inside", async () => {
    const s = await scripted(() => ({
      status: 200,
      body: JSON.stringify({
        status: 400,
        body: { id: 3, method: "private/create-order", code: 213, message: "INVALID_ORDERQTY" },
        rid: "env-rid-7",
      }),
    }));
    const raw = await client(s.url).request("private/create-order", BAD_QTY);
    expect(raw).toMatchObject({ ok: false, httpStatus: 400, code: 213, proxyRid: "env-rid-7" });
    expect(raw.error).not.toBeInstanceOf(ProxyError);
  });

  it("an exchange-shaped body without the marker is not guessed at: a ProxyError (network, ambiguous)", async () => {
    const s = await scripted(() => ({
      status: 200,
      body: JSON.stringify({ id: 3, method: "private/user-balance", code: 0, result: {} }),
    }));
    const raw = await client(s.url).request("private/user-balance", {});
    expect(raw.error).toBeInstanceOf(ProxyError);
    expect([raw.error?.category, raw.error?.ambiguous]).toEqual(["network", true]);
  });
});
