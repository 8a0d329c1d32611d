/**
 * CryptoComClient behaviours that need precise control of the server's answers, against raw
 * node:http servers on 127.0.0.1 (real loopback): signature of the exact bytes, CRYPTO_AUTH_DIAG
 * lines, clock-offset measurement, read retries, 42901 back-off, proxy mode and its errors (through
 * the real signing proxy of src/proxy).
 */

import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { Writable } from "node:stream";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { CryptoComClient } from "../../../src/exchange/cryptocom/client.js";
import { ExchangeError } from "../../../src/exchange/cryptocom/errors.js";
import { ProxyError } from "../../../src/exchange/cryptocom/proxy.js";
import { type Params, sign } from "../../../src/exchange/cryptocom/signing.js";
import { HttpTransport } from "../../../src/exchange/cryptocom/transport.js";
import { createLogger } from "../../../src/log/logger.js";
import { json, type RawServer, startRawServer } from "./helpers/raw-server.js";
import { PROXY_LOG, type ProxyUnderTest, startProxyUnderTest } from "./helpers/signing-proxy.js";

const KEY = "raw-key-0001";
const SECRET = "raw-secret-do-not-log-0001";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function track<T extends { close(): Promise<void> }>(x: T): T {
  closers.push(() => x.close());
  return x;
}

interface Body {
  id: number;
  method: string;
  api_key: string;
  params: Params;
  nonce: number;
  sig: string;
}

function verify(bytes: Buffer): { body: Body; valid: boolean } {
  const body = JSON.parse(bytes.toString("utf8")) as Body;
  const expected = sign(
    { method: body.method, id: body.id, apiKey: body.api_key, params: body.params, nonce: body.nonce },
    SECRET,
  );
  return { body, valid: expected === body.sig };
}

function logSink(): { lines: () => Record<string, unknown>[]; text: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  const text = () => chunks.join("");
  return {
    stream,
    text,
    lines: () =>
      text()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A loopback port nothing listens on (connection refused). */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, rateLimit: { backoffMs: 20 } };

describe("signing over loopback", () => {
  it("property: the server recomputes the signature from the exact bytes it received", async () => {
    const server = track(
      await startRawServer((req, res) => {
        const { body, valid } = verify(req.body);
        json(res, valid ? 200 : 401, {
          id: body.id,
          method: body.method,
          code: valid ? 0 : 40101,
          result: {},
        });
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, ...fast }),
    );
    const key = fc.string({ unit: "binary", maxLength: 6 });
    const { v } = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.maxSafeInteger(),
        fc.constant(null),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(key, tie("v"), { maxKeys: 4 }),
      ),
    }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, v, { maxKeys: 5 }) as fc.Arbitrary<Params>, async (params) => {
        const raw = await client.request("private/echo", params, { rateLimit: false });
        expect(raw.code).toBe(0);
      }),
      { numRuns: 60 },
    );
    expect(server.requests.length).toBeGreaterThanOrEqual(60);
  });
});

describe("CRYPTO_AUTH_DIAG", () => {
  it("logs method, id, nonce, lengths, key fingerprint and local clock — never the secret or the string to sign", async () => {
    const server = track(
      await startRawServer((req, res) => {
        const { body } = verify(req.body);
        json(res, 200, { id: body.id, method: body.method, code: 0, result: { data: [] } });
      }),
    );
    const sink = logSink();
    const logger = createLogger({
      destination: sink.stream,
      secrets: [
        { value: KEY, kind: "key", label: "EXCHANGE_CUSTOM_API_KEY" },
        { value: SECRET, kind: "secret", label: "EXCHANGE_CUSTOM_API_SECRET" },
      ],
    });
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, authDiag: true, logger }),
    );
    const raw = await client.request("private/get-open-orders", { instrument_name: "BTC_USD" });
    const signed = sink.lines().find((l) => l.method === "private/get-open-orders")!;
    expect(signed).toBeDefined();
    expect(signed.tag).toBe("CRYPTO_AUTH_DIAG");
    expect(String(signed.msg)).toContain("[CRYPTO_AUTH_DIAG]");
    expect(signed.id).toBe(raw.request.id);
    expect(signed.nonce).toBe(raw.request.nonce);
    expect(signed.param_string_len).toBe("instrument_nameBTC_USD".length);
    expect(signed.string_to_sign_len).toBe(raw.request.stringToSignLength);
    expect(signed.key_fp).toMatch(/^[0-9a-f]{8}$/);
    expect(typeof signed.local_clock_ms).toBe("number");
    expect(String(signed.local_clock_utc)).toMatch(/Z$/);
    const all = sink.text();
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(`private/get-open-orders${raw.request.id}`); // the string to sign
    expect(all).toContain("credentials loaded");
  });

  it("logs nothing per request when off", async () => {
    const server = track(await startRawServer((_r, res) => json(res, 200, { id: 1, code: 0, result: {} })));
    const sink = logSink();
    const client = track(
      new CryptoComClient({
        baseUrl: server.url,
        apiKey: KEY,
        apiSecret: SECRET,
        logger: createLogger({ destination: sink.stream }),
      }),
    );
    await client.request("private/user-balance", {});
    expect(sink.text()).toBe("");
  });
});

describe("clock offset from the Date header", () => {
  function skewedServer(skewMs: number): Promise<RawServer> {
    return startRawServer((req, res) => {
      const { body, valid } = verify(req.body);
      const serverNow = Date.now() + skewMs;
      const inWindow = Math.abs(body.nonce - serverNow) <= 60_000;
      const code = !valid ? 40101 : inWindow ? 0 : 40102;
      const result = { data: [] };
      json(
        res,
        code === 0 ? 200 : code === 40102 ? 400 : 401,
        { id: body.id, method: body.method, code, result },
        {
          date: new Date(serverNow).toUTCString(),
        },
      );
    });
  }

  it("measures a 90 s offset, warns with CRYPTO_AUTH_DIAG, and (when enabled) fixes the nonce after one 40102", async () => {
    const server = track(await skewedServer(90_000));
    const sink = logSink();
    const client = track(
      new CryptoComClient({
        baseUrl: server.url,
        apiKey: KEY,
        apiSecret: SECRET,
        applyClockOffset: true,
        logger: createLogger({ destination: sink.stream }),
        ...fast,
      }),
    );
    // First call: nonce from the local clock is 90 s behind → 40102; the Date header gives the
    // offset; the client re-bases and retries once.
    await expect(client.getOpenOrders()).resolves.toEqual([]);
    const est = client.clockOffset()!;
    expect(est.offsetMs).toBeGreaterThan(88_000);
    expect(est.offsetMs).toBeLessThan(92_000);
    const warn = sink.lines().find((l) => l.clock_offset_ms !== undefined && l.level === 40)!;
    expect(warn.tag).toBe("CRYPTO_AUTH_DIAG");
    expect(server.requests.length).toBe(2);
    // Subsequent calls succeed at once.
    await client.getOpenOrders();
    expect(server.requests.length).toBe(3);
  });

  it("without applyClockOffset a skewed clock stays a 40102 nonce error (and is measured)", async () => {
    const server = track(await skewedServer(-120_000));
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, ...fast }),
    );
    const err = await client.getOpenOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeError);
    expect((err as ExchangeError).category).toBe("nonce");
    expect((err as ExchangeError).code).toBe(40102);
    expect(client.clockOffset()!.offsetMs).toBeLessThan(-118_000);
  });

  it("request() can sign with a nonce offset, e.g. to show what a slow clock does", async () => {
    const server = track(await skewedServer(0));
    const client = track(new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET }));
    const raw = await client.request("private/user-balance", {}, { nonceOffsetMs: -120_000 });
    expect(raw.code).toBe(40102);
    expect(raw.httpStatus).toBe(400);
    expect(raw.date).toMatch(/GMT$/);
    expect(raw.latencyMs).toBeGreaterThan(0);
    const swapped = await client.request("private/user-balance", {}, { apiKey: SECRET, apiSecret: KEY });
    expect(swapped.code).toBe(40101);
    expect(swapped.error?.category).toBe("auth");
  });
});

describe("retries", () => {
  it("reads retry on non-JSON 5xx and succeed", async () => {
    let n = 0;
    const server = track(
      await startRawServer((req, res) => {
        n += 1;
        if (n <= 2) {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end("bad gateway");
          return;
        }
        const { body } = verify(req.body);
        json(res, 200, { id: body.id, method: body.method, code: 0, result: { data: [] } });
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, ...fast }),
    );
    await expect(client.getOpenOrders()).resolves.toEqual([]);
    expect(n).toBe(3);
  });

  it("42901 backs off and the call still completes (never dropped)", async () => {
    let n = 0;
    const times: number[] = [];
    const server = track(
      await startRawServer((req, res) => {
        n += 1;
        times.push(performance.now());
        const { body } = verify(req.body);
        if (n <= 2)
          return json(res, 429, {
            id: body.id,
            method: body.method,
            code: 42901,
            message: "TOO_MANY_REQUESTS",
          });
        json(res, 200, { id: body.id, method: body.method, code: 0, result: { data: [] } });
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, ...fast }),
    );
    await expect(client.getOpenOrders()).resolves.toEqual([]);
    expect(n).toBe(3);
    // 20 ms then 40 ms (±25 % jitter) of back-off between the attempts
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(14);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(29);
  });

  it("auth failures are not retried", async () => {
    const server = track(
      await startRawServer((req, res) => {
        const { body } = verify(req.body);
        json(res, 401, { id: body.id, method: body.method, code: 40103, message: "IP_ILLEGAL" });
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: server.url, apiKey: KEY, apiSecret: SECRET, ...fast }),
    );
    const err = (await client.getBalance().catch((e: unknown) => e)) as ExchangeError;
    expect(err.category).toBe("ip_not_whitelisted");
    expect(server.requests).toHaveLength(1);
  });
});

describe("proxy mode (through the real signing proxy, src/proxy)", () => {
  /** An upstream that checks the proxy's signature with the proxy's key, and a proxy in front of it. */
  async function setup(): Promise<{ upstream: RawServer; proxy: ProxyUnderTest; client: CryptoComClient }> {
    const upstream = track(
      await startRawServer((req, res) => {
        if (req.method === "GET") return json(res, 200, { id: -1, code: 0, result: { data: [] } });
        const { body, valid } = verify(req.body);
        if (!valid)
          return json(res, 401, { id: body.id, method: body.method, code: 40101, message: "UNAUTHORIZED" });
        json(res, 200, { id: body.id, method: body.method, code: 0, result: { data: [] } });
      }),
    );
    const proxy = track(
      await startProxyUnderTest({
        upstreamBaseUrl: upstream.url,
        apiKey: KEY,
        apiSecret: SECRET,
        token: "tok-123456",
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: upstream.url, proxy: { url: proxy.url, token: "tok-123456" }, ...fast }),
    );
    return { upstream, proxy, client };
  }

  it("private calls go through the proxy, which signs them with its key; public calls go direct", async () => {
    const { upstream, proxy, client } = await setup();
    // the client holds no key: a valid signature upstream can only be the proxy's
    await expect(client.getOpenOrders()).resolves.toEqual([]);
    expect(proxy.logged(PROXY_LOG.forwarded).map((r) => r.method)).toEqual(["private/get-open-orders"]);
    const posts = upstream.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.url)).toEqual(["/private/get-open-orders"]);
    const { body, valid } = verify(posts[0]!.body);
    expect(valid).toBe(true);
    expect([body.api_key, body.method, body.params]).toEqual([KEY, "private/get-open-orders", {}]);
    await client.getTickers();
    // the proxy forwards only POST /proxy/private as POSTs: a GET upstream came straight from the client
    expect(upstream.requests.at(-1)!.method).toBe("GET");
    expect(proxy.logged(PROXY_LOG.forwarded)).toHaveLength(1);
  });

  it("upstream errors come back as exchange errors (source exchange)", async () => {
    const upstream = track(
      await startRawServer((req, res) => {
        const { body } = verify(req.body);
        json(res, 401, { id: body.id, method: body.method, code: 40103, message: "IP_ILLEGAL" });
      }),
    );
    const proxy = track(
      await startProxyUnderTest({
        upstreamBaseUrl: upstream.url,
        apiKey: KEY,
        apiSecret: SECRET,
        token: "t0k3n-xyz",
      }),
    );
    const client = track(
      new CryptoComClient({ baseUrl: upstream.url, proxy: { url: proxy.url, token: "t0k3n-xyz" } }),
    );
    const raw = await client.request("private/user-balance", {});
    expect(proxy.logged(PROXY_LOG.forwarded).map((r) => r.upstream_status)).toEqual([401]);
    expect(raw.httpStatus).toBe(401);
    expect(raw.code).toBe(40103);
    expect(raw.error).not.toBeInstanceOf(ProxyError);
    expect(raw.error?.category).toBe("ip_not_whitelisted");
    expect(raw.proxyRid).toMatch(/-/);
  });

  it("a refused proxy token is a ProxyError (auth, source proxy), not an exchange 401, and is not retried", async () => {
    const { proxy, upstream } = await setup();
    const client = track(
      new CryptoComClient({
        baseUrl: upstream.url,
        proxy: { url: proxy.url, token: "wrong-token" },
        ...fast,
      }),
    );
    const err = (await client.getBalance().catch((e: unknown) => e)) as ProxyError;
    expect(err).toBeInstanceOf(ProxyError);
    expect(err.source).toBe("proxy");
    expect(err.category).toBe("auth");
    expect(err.proxyStatus).toBe(401);
    expect(err.code).toBeUndefined();
    expect(err.toJSON()).toMatchObject({ source: "proxy", proxy_status: 401 });
    expect(proxy.logged(PROXY_LOG.refusedToken)).toHaveLength(1); // one request, not retried
    expect(proxy.logged(PROXY_LOG.forwarded)).toHaveLength(0);
    expect(upstream.requests).toHaveLength(0);
  });

  it("proxy 502 (upstream unreachable: network) and 504 (upstream timeout: timeout) are ProxyErrors; reads retry them", async () => {
    const hanging = track(
      await startRawServer(() => {
        /* never answers */
      }),
    );
    const refused = await closedPort();
    const unreachable = track(
      await startProxyUnderTest({
        upstreamBaseUrl: `http://127.0.0.1:${refused}`,
        apiKey: KEY,
        apiSecret: SECRET,
        token: "tok-123456",
      }),
    );
    const slow = track(
      await startProxyUnderTest({
        upstreamBaseUrl: hanging.url,
        apiKey: KEY,
        apiSecret: SECRET,
        token: "tok-123456",
        upstreamTimeoutMs: 150,
      }),
    );
    for (const [proxy, status, category] of [
      [unreachable, 502, "network"],
      [slow, 504, "timeout"],
    ] as const) {
      const client = track(
        new CryptoComClient({
          baseUrl: hanging.url,
          proxy: { url: proxy.url, token: "tok-123456" },
          ...fast,
        }),
      );
      const raw = await client.request("private/user-balance", {});
      expect(raw.error).toBeInstanceOf(ProxyError);
      expect(raw.error!.category).toBe(category);
      expect((raw.error as ProxyError).proxyStatus).toBe(status);
      expect(raw.error!.ambiguous).toBe(true);
    }
    expect(hanging.requests).toHaveLength(1); // the 504 proxy did forward, and gave up waiting
    const client = track(
      new CryptoComClient({
        baseUrl: hanging.url,
        proxy: { url: unreachable.url, token: "tok-123456" },
        ...fast,
      }),
    );
    const before = unreachable.logged(PROXY_LOG.upstreamFailed).length;
    await expect(client.getOpenOrders()).rejects.toBeInstanceOf(ProxyError);
    expect(unreachable.logged(PROXY_LOG.upstreamFailed).length - before).toBe(4); // DEFAULT_RETRY.maxAttempts
  });
});

describe("request(): the one request path, as the doctor reads it", () => {
  it("a transport failure carries its stage, errno and how far the request got", async () => {
    const port = await closedPort();
    const client = track(
      new CryptoComClient({
        baseUrl: `http://127.0.0.1:${port}/exchange/v1`,
        apiKey: KEY,
        apiSecret: SECRET,
      }),
    );
    const raw = await client.request("private/user-balance", {});
    expect(raw.ok).toBe(false);
    expect(raw.error?.category).toBe("network");
    expect(raw.httpStatus).toBeUndefined();
    expect(raw.transport).toMatchObject({ stage: "connect", kind: "connect_refused", errno: "ECONNREFUSED" });
    expect(raw.written).toBe(false);
    const pub = await client.request("public/get-tickers", { instrument_name: "BTC_USD" });
    expect(pub.transport?.stage).toBe("connect");
  });

  it("an answer has no transport failure; a hung server is a response-stage timeout", async () => {
    const server = track(
      await startRawServer((req, res) => {
        if (req.url.includes("hang")) return;
        json(res, 200, { id: -1, code: 0, result: { data: [] } });
      }),
    );
    const client = track(new CryptoComClient({ baseUrl: server.url, timeouts: { requestMs: 150 } }));
    const ok = await client.request("public/get-tickers");
    expect([ok.ok, ok.transport]).toEqual([true, undefined]);
    const hung = await client.request("public/hang");
    expect(hung.transport).toMatchObject({ stage: "response", kind: "request_timeout", connected: true });
    expect(hung.error?.category).toBe("timeout");
  });

  it("an injected transport is used for every call and the outbound IP, and left open by close()", async () => {
    const server = track(
      await startRawServer((req, res) => {
        if (req.url === "/ip") {
          res.writeHead(200, { "content-type": "text/plain" });
          res.end(`${req.remoteAddress?.replace(/^::ffff:/, "")}\n`);
          return;
        }
        json(res, 200, { id: -1, code: 0, result: { data: [] } });
      }),
    );
    const transport = track(new HttpTransport({ localAddress: "127.0.0.2" }));
    const client = new CryptoComClient({ baseUrl: server.url, transport });
    await client.request("public/get-tickers");
    const ip = await client.outboundIp(`${server.url}/ip`);
    expect(ip).toMatchObject({ ip: "127.0.0.2", status: 200, failure: undefined });
    expect(server.requests.map((r) => r.remoteAddress?.replace(/^::ffff:/, ""))).toEqual([
      "127.0.0.2",
      "127.0.0.2",
    ]);
    await client.close();
    await expect(transport.get(`${server.url}/ip`)).resolves.toMatchObject({ status: 200 });
  });
});
