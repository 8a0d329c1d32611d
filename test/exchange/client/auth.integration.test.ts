/**
 * Every authentication failure mode against the emulator over loopback, each classified by its
 * code (never by text): bad secret, unknown key, revoked key, IP not whitelisted, nonce outside the
 * window (both clock directions, fixed by the measured offset), missing permission, swapped
 * key/secret, no credentials, proxy token refused vs exchange refusal through the proxy, and the
 * WebSocket `public/auth`.
 */
import { describe, expect, it } from "vitest";
import { CryptoComClient } from "../../../src/exchange/cryptocom/client.js";
import { ExchangeError } from "../../../src/exchange/cryptocom/errors.js";
import { ProxyError } from "../../../src/exchange/cryptocom/proxy.js";
import { UserStream } from "../../../src/exchange/cryptocom/ws/user-stream.js";
import { DEMO, useEmulator } from "./helpers/emulator.js";
import { PROXY_LOG, startProxyUnderTest } from "./helpers/signing-proxy.js";

const fx = useEmulator({
  // Rate limits are tested elsewhere (faults.integration.test.ts). Here they would couple the tests:
  // the emulator counts per key across clients, so a raw request() (never retried) right after another
  // test's calls with demo-key could meet a 42901 depending on how fast the tests ran.
  rate_limits: false,
  keys: [
    {
      api_key: "demo-key",
      secret: "demo-secret",
      account: "main",
      permissions: ["read", "trade"],
      ip_whitelist: ["127.0.0.1"],
    },
    { api_key: "ro-key", secret: "ro-secret", account: "main", permissions: ["read"] },
    { api_key: "off-key", secret: "off-secret", account: "main", enabled: false },
    { api_key: "far-key", secret: "far-secret", account: "main", ip_whitelist: ["10.1.2.3"] },
    // reachable only from the second loopback address (Linux routes all of 127/8 to lo)
    { api_key: "lo2-key", secret: "lo2-secret", account: "main", ip_whitelist: ["127.0.0.2"] },
  ],
});

async function refusal(p: Promise<unknown>): Promise<ExchangeError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof ExchangeError)) throw new Error(`expected an ExchangeError, got ${String(e)}`);
  return e;
}

describe("REST auth failures", () => {
  it("wrong secret → 40101 / HTTP 401 (auth), not retried", async () => {
    const e = await refusal(fx.client({ apiSecret: "not-the-secret" }).getBalance());
    expect([e.code, e.httpStatus, e.category, e.isAuthFailure, e.retryable]).toEqual([
      40101,
      401,
      "auth",
      true,
      false,
    ]);
  });

  it("unknown key → 40101", async () => {
    const e = await refusal(fx.client({ apiKey: "who-is-this", apiSecret: "x" }).getBalance());
    expect(e.code).toBe(40101);
  });

  it("revoked (disabled) key → 40101", async () => {
    const e = await refusal(fx.client({ apiKey: "off-key", apiSecret: "off-secret" }).getBalance());
    expect(e.code).toBe(40101);
  });

  it("IP not whitelisted → 40103 / HTTP 401 (ip_not_whitelisted)", async () => {
    const e = await refusal(fx.client({ apiKey: "far-key", apiSecret: "far-secret" }).getOpenOrders());
    expect([e.code, e.httpStatus, e.category]).toEqual([40103, 401, "ip_not_whitelisted"]);
  });

  it("bound to the whitelisted local address (EXCHANGE_LOCAL_ADDRESS) a key refused otherwise works", async () => {
    const lo2 = { apiKey: "lo2-key", apiSecret: "lo2-secret" };
    // unbound, the connection comes from 127.0.0.1: not whitelisted
    const e = await refusal(fx.client(lo2).getBalance());
    expect(e.code).toBe(40103);
    // bound to 127.0.0.2, the emulator sees that address and accepts the key
    await expect(fx.client({ ...lo2, localAddress: "127.0.0.2" }).getBalance()).resolves.toBeDefined();
  });

  it("local clock 2 min slow → 40102 / HTTP 400 (nonce); the offset is measured from Date", async () => {
    const slow = () => Date.now() - 120_000;
    const c = fx.client({ now: slow });
    const e = await refusal(c.getBalance());
    expect([e.code, e.httpStatus, e.category]).toEqual([40102, 400, "nonce"]);
    const est = c.clockOffset()!;
    expect(est.offsetMs).toBeGreaterThan(118_000);
    expect(est.offsetMs).toBeLessThan(122_000);
  });

  it("…and with applyClockOffset the same slow clock works (one re-based retry)", async () => {
    const c = fx.client({ now: () => Date.now() - 120_000, applyClockOffset: true });
    await expect(c.getBalance()).resolves.toBeDefined();
    await expect(c.getOpenOrders()).resolves.toBeInstanceOf(Array);
  });

  it("exchange clock jumps back 90 s: our nonces are in its future → 40102, fixed by the re-base", async () => {
    const plain = fx.client();
    const fixed = fx.client({ applyClockOffset: true });
    await plain.getBalance();
    await fixed.getBalance();
    fx.emu.admin.setClockOffset(-90_000);
    try {
      expect((await refusal(plain.getBalance())).code).toBe(40102);
      await expect(fixed.getBalance()).resolves.toBeDefined();
      expect(fixed.clockOffset()!.offsetMs).toBeLessThan(-88_000);
    } finally {
      fx.emu.admin.setClockOffset(0);
    }
  });

  it("read-only key: reads work, an order is refused with the missing-permission code (final, typed)", async () => {
    const c = fx.client({ apiKey: "ro-key", apiSecret: "ro-secret" });
    await expect(c.getOpenOrders()).resolves.toBeInstanceOf(Array);
    const out = await c.placeOrder({
      intentId: "ro-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "10.00",
    });
    if (out.status !== "rejected") expect.fail(`expected rejected, got ${out.status}`);
    expect(out.error.code).toBe(fx.emu.config.missing_permission_code);
    expect(out.attempts).toBe(1);
  });

  it("request(): swapped key/secret and a nonce offset, for the doctor", async () => {
    const c = fx.client();
    const swapped = await c.request(
      "private/user-balance",
      {},
      { apiKey: DEMO.apiSecret, apiSecret: DEMO.apiKey },
    );
    expect([swapped.code, swapped.httpStatus]).toEqual([40101, 401]);
    const late = await c.request("private/user-balance", {}, { nonceOffsetMs: -61_000 });
    expect([late.code, late.httpStatus]).toEqual([40102, 400]);
    const ok = await c.request("private/user-balance", {});
    expect(ok.code).toBe(0);
  });

  it("no credentials: refused locally, nothing sent", async () => {
    const c = new CryptoComClient({ baseUrl: fx.emu.baseUrl });
    try {
      const raw = await c.request("private/user-balance", {});
      expect(raw.error!.category).toBe("auth");
      expect(raw.httpStatus).toBeUndefined();
      expect(raw.written).toBe(false);
    } finally {
      await c.close();
    }
  });
});

describe("proxy mode against the emulator (the real signing proxy, src/proxy)", () => {
  it("works end to end, and tells a refused proxy token from an exchange refusal", async () => {
    const proxyOpts = { upstreamBaseUrl: fx.emu.baseUrl, outboundIpUrl: fx.emu.ipEchoUrl };
    const good = await startProxyUnderTest({ ...proxyOpts, ...DEMO, token: "proxy-token-1" });
    const badKey = await startProxyUnderTest({
      ...proxyOpts,
      apiKey: "demo-key",
      apiSecret: "wrong",
      token: "proxy-token-2",
    });
    try {
      const c = fx.client({
        apiKey: undefined,
        apiSecret: undefined,
        proxy: { url: good.url, token: "proxy-token-1" },
      });
      await expect(c.getBalance()).resolves.toBeDefined();
      const out = await c.placeOrder({
        intentId: "via-proxy-1",
        symbol: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "10.00",
      });
      expect(out.status).toBe("accepted");
      expect(good.logged(PROXY_LOG.forwarded).map((r) => r.method)).toContain("private/create-order");
      const orders = fx.emu.admin.orders().length;

      const wrongToken = fx.client({ proxy: { url: good.url, token: "nope" } });
      const pe = await refusal(wrongToken.getBalance());
      expect(pe).toBeInstanceOf(ProxyError);
      expect([pe.category, (pe as ProxyError).source, pe.code]).toEqual(["auth", "proxy", undefined]);
      const before = good.logged(PROXY_LOG.refusedToken).length;
      const forwarded = good.logged(PROXY_LOG.forwarded).length;
      const refused = await wrongToken.placeOrder({
        intentId: "via-proxy-refused",
        symbol: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        notional: "10.00",
      });
      expect(refused).toMatchObject({ status: "rejected", attempts: 1 });
      if (refused.status === "rejected") expect(refused.error).toBeInstanceOf(ProxyError);
      else expect.fail(`expected a rejection, got ${refused.status}`);
      expect(good.logged(PROXY_LOG.refusedToken).length - before).toBe(1); // not re-sent, not probed
      expect(good.logged(PROXY_LOG.forwarded).length).toBe(forwarded);
      expect(fx.emu.admin.orders().length).toBe(orders); // nothing reached the exchange

      const upstreamRefused = fx.client({ proxy: { url: badKey.url, token: "proxy-token-2" } });
      const ee = await refusal(upstreamRefused.getBalance());
      expect(ee).not.toBeInstanceOf(ProxyError);
      expect([ee.code, ee.httpStatus]).toEqual([40101, 401]);
    } finally {
      await good.close();
      await badKey.close();
    }
  });
});

describe("WebSocket public/auth", () => {
  it("authenticates with the right secret; a wrong one is fatal with 40101", async () => {
    const ok = new UserStream({ url: fx.emu.wsUserUrl, ...DEMO, warmupMs: 50 });
    const bad = new UserStream({
      url: fx.emu.wsUserUrl,
      apiKey: "demo-key",
      apiSecret: "wrong",
      warmupMs: 50,
    });
    try {
      const ready = new Promise<void>((r) => ok.once("ready", () => r()));
      const failed = new Promise<Error>((r) => bad.once("error", (e) => r(e)));
      ok.start();
      bad.start();
      await ready;
      expect(ok.isAuthenticated).toBe(true);
      const err = await failed;
      expect(err.message).toMatch(/40101/);
      expect(((err as Error & { cause?: ExchangeError }).cause as ExchangeError).category).toBe("auth");
    } finally {
      await ok.stop();
      await bad.stop();
    }
  });
});
