/**
 * The signing proxy's own failures, each distinct JSON with x-proxy-error and x-request-id, and the
 * exchange's answers relayed unchanged (passthrough) — over loopback, nothing mocked.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualTime } from "../../src/util/clock.js";
import {
  type LoggedProxy,
  PROXY_KEY,
  PROXY_SECRET,
  PROXY_TOKEN,
  postPrivate,
  type RecordingUpstream,
  startLoggedProxy,
  startRecordingUpstream,
} from "./helpers.js";

let up: RecordingUpstream;
let proxy: LoggedProxy;
let time: ManualTime;

beforeAll(async () => {
  up = await startRecordingUpstream();
  time = new ManualTime(1_750_000_000_000);
  proxy = await startLoggedProxy({
    upstreamBaseUrl: up.url,
    outboundIpUrl: "http://127.0.0.1:9/ip",
    time,
    upstreamTimeoutMs: 400,
  });
  // the start-up measurement (user-balance, deposit address) is done once /health answers
  await (await request(`${proxy.url}/health`)).body.json();
});
afterAll(async () => {
  await proxy?.close();
  await up?.close();
});

const own = (r: Awaited<ReturnType<typeof postPrivate>>, status: number, code: string) => {
  expect(r.status).toBe(status);
  expect(r.headers["x-proxy-error"]).toBe(code);
  expect(r.json).toMatchObject({ code, source: "proxy" });
  expect(typeof r.headers["x-request-id"]).toBe("string");
  expect(r.json.rid).toBe(r.headers["x-request-id"]);
};

describe("the proxy's own failures", () => {
  it("401 bad_token for a wrong or missing token; nothing forwarded", async () => {
    const before = up.seen.length;
    own(
      await postPrivate(proxy.url, { method: "private/user-balance" }, { token: "x".repeat(48) }),
      401,
      "bad_token",
    );
    own(await postPrivate(proxy.url, { method: "private/user-balance" }, { token: null }), 401, "bad_token");
    expect(up.seen.length).toBe(before);
    time.advance(60_000); // the throttle window of these two failures ends
  });

  it("403 method_not_allowed for withdrawal/wallet methods and methods atp does not call", async () => {
    const before = up.seen.length;
    own(
      await postPrivate(proxy.url, { method: "private/create-withdrawal", params: { currency: "BTC" } }),
      403,
      "method_not_allowed",
    );
    own(
      await postPrivate(proxy.url, { method: "private/get-deposit-address", params: { currency: "BTC" } }),
      403,
      "method_not_allowed",
    );
    own(await postPrivate(proxy.url, { method: "private/get-accounts" }), 403, "method_not_allowed");
    expect(up.seen.length).toBe(before);
  });

  it("400 bad_request for a body that is not {method, params}", async () => {
    own(await postPrivate(proxy.url, "not json"), 400, "bad_request");
    own(await postPrivate(proxy.url, { method: "public/get-tickers" }), 400, "bad_request");
  });

  it("throttles failed tokens per client IP: 429 with Retry-After, even for the right token, until the window ends", async () => {
    for (let i = 0; i < 5; i++)
      own(
        await postPrivate(proxy.url, { method: "private/user-balance" }, { token: `bad-${i}` }),
        401,
        "bad_token",
      );
    const blocked = await postPrivate(proxy.url, { method: "private/user-balance" });
    own(blocked, 429, "throttled");
    expect(Number(blocked.headers["retry-after"])).toBe(60);
    time.advance(59_000);
    own(await postPrivate(proxy.url, { method: "private/user-balance" }), 429, "throttled");
    time.advance(1_000);
    expect((await postPrivate(proxy.url, { method: "private/user-balance" })).status).toBe(200);
  });

  it("504 upstream_timeout when the exchange does not answer in time", async () => {
    up.answer = () => undefined; // never answers
    try {
      own(await postPrivate(proxy.url, { method: "private/user-balance" }), 504, "upstream_timeout");
    } finally {
      up.answer = (r, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: r.body.id, method: r.method, code: 0, result: {} }));
      };
    }
  });

  it("502 upstream_unreachable when nothing listens upstream", async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = await startLoggedProxy({
      upstreamBaseUrl: `http://127.0.0.1:${port}/v1`,
      outboundIpUrl: "http://127.0.0.1:9/ip",
    });
    try {
      own(await postPrivate(dead.url, { method: "private/user-balance" }), 502, "upstream_unreachable");
    } finally {
      await dead.close();
    }
  });
});

describe("the exchange's answer, relayed", () => {
  it("passthrough: the exchange's HTTP status and body byte for byte, plus x-request-id only", async () => {
    const body = '{"id":7,"method":"private/user-balance","code":42901,"message":"TOO_MANY_REQUESTS" }';
    up.answer = (_r, res) => {
      res.writeHead(429, { "content-type": "application/json" });
      res.end(body);
    };
    const r = await postPrivate(proxy.url, { method: "private/user-balance" }, { passthrough: true });
    expect(r.status).toBe(429);
    expect(r.text).toBe(body);
    expect(r.headers["x-proxy-error"]).toBeUndefined();
    expect(r.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // the marker: a client reads the form from it instead of guessing by shape
    expect(r.headers["x-proxy-protocol"]).toBe("passthrough");
  });

  it("a request that names no protocol gets passthrough too: the exchange's status is never hidden behind a 200", async () => {
    const r = await postPrivate(proxy.url, { method: "private/user-balance" });
    expect(r.status).toBe(429);
    expect(r.json).toMatchObject({ code: 42901 });
    expect(r.headers["x-proxy-protocol"]).toBe("passthrough");
  });

  it("envelope, when asked for (X-Proxy-Protocol: envelope — the original backend's contract): HTTP 200 {status, body, rid}", async () => {
    const r = await postPrivate(proxy.url, { method: "private/user-balance" }, { protocol: "envelope" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 429, body: { code: 42901 } });
    expect(r.json.rid).toBe(r.headers["x-request-id"]);
    expect(r.headers["x-proxy-protocol"]).toBeUndefined();
  });

  it("CRYPTO_PROXY_ENVELOPE=true (defaultProtocol envelope): a request that names no protocol gets the envelope; passthrough still on request", async () => {
    const compat = await startLoggedProxy({
      upstreamBaseUrl: up.url,
      outboundIpUrl: "http://127.0.0.1:9/ip",
      time,
      defaultProtocol: "envelope",
    });
    try {
      const plain = await postPrivate(compat.url, { method: "private/user-balance" });
      expect(plain.status).toBe(200);
      expect(plain.json).toMatchObject({ status: 429, body: { code: 42901 } });
      const asked = await postPrivate(compat.url, { method: "private/user-balance" }, { passthrough: true });
      expect(asked.status).toBe(429);
    } finally {
      await compat.close();
    }
  });

  it("signs with its own key: the upstream sees api_key and a sig, never the token or the secret", async () => {
    const last = up.seen.at(-1)!;
    expect(last.body.api_key).toBe(PROXY_KEY);
    expect(String(last.body.sig)).toMatch(/^[0-9a-f]{64}$/);
    const all = JSON.stringify(up.seen) + proxy.lines.join("\n");
    expect(all).not.toContain(PROXY_TOKEN);
    expect(all).not.toContain(PROXY_SECRET);
  });

  it("concurrent requests get strictly increasing nonces (in the order they were signed)", async () => {
    up.answer = (r, res) => {
      // answer out of order: later requests first
      setTimeout(
        () => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ id: r.body.id, method: r.method, code: 0, result: {} }));
        },
        Math.max(0, 30 - up.seen.length),
      );
    };
    const from = up.seen.length;
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        postPrivate(proxy.url, { method: "private/get-open-orders", params: {} }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const sent = up.seen.slice(from).map((s) => ({ id: Number(s.body.id), nonce: Number(s.body.nonce) }));
    expect(sent).toHaveLength(25);
    expect(new Set(sent.map((s) => s.nonce)).size).toBe(25);
    // the clock stands still (ManualTime), yet every nonce is above the one before it, taken in
    // the same order as the request ids: sorted by id, the nonces strictly increase
    sent.sort((a, b) => a.id - b.id);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.nonce).toBeGreaterThan(sent[i - 1]!.nonce);
  });
});

describe("GET /health and GET /", () => {
  it("/ names the service and version", async () => {
    const res = await request(`${proxy.url}/`);
    expect(await res.body.json()).toMatchObject({ service: "crypto-proxy", version: expect.any(String) });
  });
});
