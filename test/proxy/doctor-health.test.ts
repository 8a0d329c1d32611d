/**
 * End to end over loopback: the doctor's three proxy causes against the real proxy and emulator
 * (the emulator's whitelist holds only the proxy's source address 127.0.0.2), the proxy's
 * /health, and key_can_withdraw read from the exchange (direct) and from the proxy (proxy mode).
 */
import { request } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { check, configFrom, ids, runDoctor } from "../diagnostics/helpers.js";
import { type LoggedProxy, PROXY_KEY, PROXY_SECRET, PROXY_TOKEN, startLoggedProxy } from "./helpers.js";

let emu: EmulatorHandle;
let proxy: LoggedProxy | undefined;

beforeAll(async () => {
  emu = await startEmulator({ market_tick_ms: 0, rate_limits: false, keys: [] });
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => emu?.close());

async function withProxy(permissions: ("read" | "trade" | "withdraw")[], whitelist = ["127.0.0.2"]) {
  emu.admin.setKeys([
    { api_key: PROXY_KEY, secret: PROXY_SECRET, account: "main", permissions, ip_whitelist: whitelist },
  ]);
  proxy = await startLoggedProxy({
    upstreamBaseUrl: emu.baseUrl,
    localAddress: "127.0.0.2",
    outboundIpUrl: emu.ipEchoUrl,
    upstreamTimeoutMs: 2_000,
  });
  return proxy;
}

const proxyEnv = (url: string, token = PROXY_TOKEN) => ({
  EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
  OUTBOUND_IP_URL: emu.ipEchoUrl,
  USE_CRYPTO_PROXY: "true",
  CRYPTO_PROXY_URL: url,
  CRYPTO_PROXY_TOKEN: token,
});

describe("GET /health of the proxy", () => {
  it("reports version, its outbound IP (127.0.0.2), upstream answering, key fingerprint, uptime; never the key", async () => {
    const p = await withProxy(["read", "trade"]);
    const res = await request(`${p.url}/health`);
    const text = await res.body.text();
    const h = JSON.parse(text);
    expect(res.statusCode).toBe(200);
    expect(h).toMatchObject({
      status: "healthy",
      service: "crypto-proxy",
      outbound_ip: "127.0.0.2",
      upstream: { answers: true, http_status: 200, code: 0, key_accepted: true },
      key_fingerprint: p.keyFingerprint,
      key_can_withdraw: false,
    });
    expect(typeof h.version).toBe("string");
    expect(typeof h.uptime_s).toBe("number");
    expect(text).not.toContain(PROXY_KEY);
    expect(p.lines.some((l) => l.includes("CRYPTO_COM_OUTBOUND_IP: 127.0.0.2"))).toBe(true);
  });

  it("key_can_withdraw true for a key with the withdraw permission; degraded when the exchange refuses the key", async () => {
    const p = await withProxy(["read", "trade", "withdraw"]);
    expect((await (await request(`${p.url}/health`)).body.json()) as object).toMatchObject({
      key_can_withdraw: true,
    });
    await p.close();
    const refused = await withProxy(["read", "trade"], ["203.0.113.9"]);
    expect((await (await request(`${refused.url}/health`)).body.json()) as object).toMatchObject({
      status: "degraded",
      upstream: { answers: true, code: 40103, key_accepted: false },
      key_can_withdraw: null,
    });
  });
});

describe("the doctor's three proxy causes, end to end", () => {
  it("healthy: no cause; withdraw_permission passes from the proxy's /health", async () => {
    const p = await withProxy(["read", "trade"]);
    const run = await runDoctor({ config: configFrom(proxyEnv(p.url)) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.outbound_ip).toBe("127.0.0.2");
    expect(check(run.report, "withdraw_permission").status).toBe("pass");
  });

  it("proxy_unreachable: nothing listens at CRYPTO_PROXY_URL", async () => {
    const p = await withProxy(["read", "trade"]);
    const url = p.url;
    await p.close();
    proxy = undefined;
    const run = await runDoctor({ config: configFrom(proxyEnv(url)) });
    expect(ids(run.report)[0]).toBe("proxy_unreachable");
  });

  it("proxy_token_rejected: a token the proxy was not started with", async () => {
    const p = await withProxy(["read", "trade"]);
    const run = await runDoctor({ config: configFrom(proxyEnv(p.url, "0".repeat(40))) });
    expect(ids(run.report)[0]).toBe("proxy_token_rejected");
  });

  it("proxy_upstream_rejected: the exchange refuses the proxy's IP (whitelist without 127.0.0.2)", async () => {
    await withProxy(["read", "trade"], ["203.0.113.9"]);
    const run = await runDoctor({ config: configFrom(proxyEnv(proxy!.url)) });
    expect(ids(run.report)[0]).toBe("proxy_upstream_rejected");
    expect(run.report.causes[0]!.summary).toContain("127.0.0.2");
  });

  it("key_can_withdraw warning in proxy mode: verdict stays ok", async () => {
    const p = await withProxy(["read", "trade", "withdraw"]);
    const run = await runDoctor({ config: configFrom(proxyEnv(p.url)) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.warnings?.map((w) => w.id)).toEqual(["key_can_withdraw"]);
    expect(check(run.report, "withdraw_permission").status).toBe("warn");
  });
});

describe("key_can_withdraw, direct", () => {
  const direct = () => ({
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
    EXCHANGE_CUSTOM_API_KEY: PROXY_KEY,
    EXCHANGE_CUSTOM_API_SECRET: PROXY_SECRET,
  });

  it("a key with withdraw: warning with the fix, one deposit-address read, verdict ok", async () => {
    emu.admin.setKeys([
      {
        api_key: PROXY_KEY,
        secret: PROXY_SECRET,
        account: "main",
        permissions: ["read", "trade", "withdraw"],
      },
    ]);
    const run = await runDoctor({ config: configFrom(direct()) });
    expect(run.report.verdict).toBe("ok");
    const w = run.report.warnings?.[0];
    expect(w?.id).toBe("key_can_withdraw");
    expect(w?.fix.join("\n")).toMatch(/withdrawal off/);
    expect(run.calls.filter((c) => c.method === "private/get-deposit-address")).toHaveLength(1);
    expect(run.outputs.human).toContain("Warning: key_can_withdraw");
  });

  it("a key without withdraw: the check passes, no warning", async () => {
    emu.admin.setKeys([
      { api_key: PROXY_KEY, secret: PROXY_SECRET, account: "main", permissions: ["read", "trade"] },
    ]);
    const run = await runDoctor({ config: configFrom(direct()) });
    expect(run.report.warnings).toEqual([]);
    expect(check(run.report, "withdraw_permission"), JSON.stringify(run.report.checks)).toMatchObject({
      status: "pass",
    });
  });
});
