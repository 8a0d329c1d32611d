/** Transport behaviours against tiny raw node:http servers on 127.0.0.1 (real loopback). */

import type { AddressInfo, LookupFunction } from "node:net";
import { createServer as createNetServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { interpret, parseJson, transportError } from "../../../src/exchange/cryptocom/response.js";
import { HttpTransport, TransportError } from "../../../src/exchange/cryptocom/transport.js";
import { loopbackLookup } from "../../helpers/lookup.js";
import { json, type RawServer, startRawServer } from "./helpers/raw-server.js";

let server: RawServer | undefined;
let transport: HttpTransport | undefined;
afterEach(async () => {
  await transport?.close();
  await server?.close();
  server = undefined;
  transport = undefined;
});

async function failure(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TransportError) return e;
    throw e;
  }
  throw new Error("expected a TransportError");
}

describe("HttpTransport", () => {
  it("POSTs the exact bytes as JSON and reads status, Date and body", async () => {
    server = await startRawServer((_req, res) => json(res, 200, { id: 1, code: 0, result: {} }));
    transport = new HttpTransport();
    const body = '{"id":1,"method":"private/x","params":{"k":"é☃"},"nonce":5}';
    const res = await transport.post(`${server.url}/exchange/v1/private/x`, body);
    expect(res.status).toBe(200);
    expect(res.date).toMatch(/GMT$/);
    expect(res.receivedAt).toBeGreaterThanOrEqual(res.sentAt);
    expect(res.latencyMs).toBeGreaterThan(0);
    const got = server.requests[0]!;
    expect(got.method).toBe("POST");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.body.equals(Buffer.from(body, "utf8"))).toBe(true);
  });

  it("GETs with a query string", async () => {
    server = await startRawServer((_req, res) => json(res, 200, { code: 0 }));
    transport = new HttpTransport();
    await transport.get(`${server.url}/exchange/v1/public/get-book`, {
      instrument_name: "BTC_USD",
      depth: 10,
      x: undefined,
    });
    expect(server.requests[0]!.method).toBe("GET");
    expect(server.requests[0]!.url).toBe("/exchange/v1/public/get-book?instrument_name=BTC_USD&depth=10");
  });

  it("keeps connections alive across requests", async () => {
    server = await startRawServer((_req, res) => json(res, 200, { code: 0 }));
    transport = new HttpTransport();
    for (let i = 0; i < 10; i++) await transport.get(`${server.url}/a`);
    // undici's pool may open a second socket while the first is being released; never one per request.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it("binds the local address when configured", async () => {
    // a second loopback address (Linux routes all of 127/8 to lo): unbound, the server would see 127.0.0.1
    server = await startRawServer((_req, res) => json(res, 200, { code: 0 }));
    const unbound = new HttpTransport();
    try {
      await unbound.get(`${server.url}/a`);
    } finally {
      await unbound.close();
    }
    transport = new HttpTransport({ localAddress: "127.0.0.2" });
    await transport.get(`${server.url}/a`);
    expect(server.requests.map((r) => r.remoteAddress?.replace(/^::ffff:/, ""))).toEqual([
      "127.0.0.1",
      "127.0.0.2",
    ]);
  });

  it("connection refused: not written (safe to re-send)", async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    transport = new HttpTransport();
    const err = await failure(transport.post(`http://127.0.0.1:${port}/x`, "{}"));
    expect(err.kind).toBe("connect_refused");
    expect(err.written).toBe(false);
    expect([err.stage, err.connected]).toEqual(["connect", false]);
    const ex = transportError("private/create-order", err);
    expect(ex.category).toBe("network");
    expect(ex.ambiguous).toBe(false);
  });

  it("headers timeout after the request was written: ambiguous", async () => {
    server = await startRawServer(() => {
      /* never answer */
    });
    transport = new HttpTransport({ timeouts: { headersMs: 150 } });
    const err = await failure(transport.post(`${server.url}/x`, '{"a":1}'));
    expect(err.kind).toBe("headers_timeout");
    expect(err.written).toBe(true);
    expect([err.stage, err.connected]).toEqual(["response", true]);
    expect(server.requests).toHaveLength(1); // the server did receive it
    const ex = transportError("private/create-order", err);
    expect(ex.category).toBe("timeout");
    expect(ex.ambiguous).toBe(true);
  });

  it("overall request deadline: ambiguous when written", async () => {
    server = await startRawServer(() => {});
    transport = new HttpTransport({ timeouts: { requestMs: 150, headersMs: 10_000 } });
    const err = await failure(transport.post(`${server.url}/x`, "{}"));
    expect(err.kind).toBe("request_timeout");
    expect(err.written).toBe(true);
  });

  it("body timeout (headers sent, body stalls): ambiguous", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"code":');
    });
    transport = new HttpTransport({ timeouts: { bodyMs: 150 } });
    const err = await failure(transport.post(`${server.url}/x`, "{}"));
    expect(err.kind).toBe("body_timeout");
    expect(err.written).toBe(true);
    expect(err.stage).toBe("response");
  });

  it("reset after the server read the request: ambiguous (the order may exist)", async () => {
    server = await startRawServer((_req, _res, raw) => {
      raw.socket.resetAndDestroy();
    });
    transport = new HttpTransport();
    const err = await failure(transport.post(`${server.url}/x`, '{"a":1}'));
    expect(err.kind).toBe("reset");
    expect(err.written).toBe(true);
    expect(err.stage).toBe("response");
    expect(server.requests).toHaveLength(1);
  });

  it("reset before the request is written: not written, safe to re-send", async () => {
    server = await startRawServer(
      () => {},
      (socket) => socket.resetAndDestroy(),
    );
    transport = new HttpTransport();
    const err = await failure(transport.post(`${server.url}/x`, '{"a":1}'));
    expect(err.kind).toBe("reset");
    expect(err.written).toBe(false);
    expect(["connect", "write"]).toContain(err.stage);
    expect(server.requests).toHaveLength(0);
    expect(transportError("private/create-order", err).ambiguous).toBe(false);
  });
});

describe("what the doctor needs from the shared transport", () => {
  it("an injected DNS lookup is used for every connection (a real name reaches 127.0.0.1)", async () => {
    server = await startRawServer((req, res) => json(res, 200, { host: req.headers.host }));
    const asked: string[] = [];
    const lookup = loopbackLookup(asked);
    transport = new HttpTransport({ lookup });
    const res = await transport.get(`http://uat-api.3ona.co:${server.port}/exchange/v1/public/get-tickers`);
    expect(res.status).toBe(200);
    expect(asked).toContain("uat-api.3ona.co");
    expect(parseJson(res.text)).toEqual({ host: `uat-api.3ona.co:${server.port}` });
  });

  it("a name that does not resolve fails at the dns stage, not written", async () => {
    const lookup: LookupFunction = (hostname, _options, callback) => {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      (callback as unknown as (e: Error) => void)(err);
    };
    transport = new HttpTransport({ lookup });
    const err = await failure(transport.get("http://api.crypto-typo.example/exchange/v1/public/x"));
    expect([err.kind, err.stage, err.errno, err.written]).toEqual(["dns", "dns", "ENOTFOUND", false]);
  });

  it("a local address that is not this host's fails at the connect stage (EADDRNOTAVAIL)", async () => {
    server = await startRawServer((_req, res) => json(res, 200, { code: 0 }));
    transport = new HttpTransport({ localAddress: "192.0.2.44" });
    const err = await failure(transport.get(`${server.url}/a`));
    expect([err.stage, err.errno, err.connected]).toEqual(["connect", "EADDRNOTAVAIL", false]);
  });

  it("the abort signal ends a request in flight (kind aborted, written) and refuses new ones at once", async () => {
    server = await startRawServer(() => {
      /* never answers */
    });
    const run = new AbortController();
    transport = new HttpTransport({ signal: run.signal });
    const pending = failure(transport.post(`${server.url}/x`, "{}"));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    run.abort();
    const err = await pending;
    expect([err.kind, err.stage, err.connected, err.written]).toEqual(["aborted", "response", true, true]);
    expect(err.isTimeout).toBe(false);
    const late = await failure(transport.get(`${server.url}/y`));
    expect([late.kind, late.written, late.connected]).toEqual(["aborted", false, false]);
    expect(server.requests).toHaveLength(1);
  });

  it("the request deadline before any answer names how far the request got", async () => {
    server = await startRawServer(() => {});
    transport = new HttpTransport({ timeouts: { requestMs: 100 } });
    const err = await failure(transport.get(`${server.url}/x`));
    expect([err.kind, err.stage, err.connected, err.written]).toEqual([
      "request_timeout",
      "response",
      true,
      true,
    ]);
    expect(err.latencyMs).toBeGreaterThanOrEqual(90);
  });

  it("a per-request deadline shorter than the transport's", async () => {
    server = await startRawServer(() => {});
    transport = new HttpTransport({ timeouts: { requestMs: 10_000 } });
    const err = await failure(transport.get(`${server.url}/x`, undefined, { timeoutMs: 100 }));
    expect(err.kind).toBe("request_timeout");
    expect(err.latencyMs).toBeLessThan(5_000);
  });

  it("a shorter deadline after a longer one still ends on time; the longer one keeps running", async () => {
    server = await startRawServer(() => {});
    transport = new HttpTransport({ timeouts: { requestMs: 10_000 } });
    let longEnded = false;
    const long = failure(transport.get(`${server.url}/slow`)).finally(() => {
      longEnded = true;
    });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const err = await failure(transport.get(`${server.url}/x`, undefined, { timeoutMs: 100 }));
    expect([err.kind, err.written]).toEqual(["request_timeout", true]);
    expect(err.latencyMs).toBeLessThan(5_000);
    expect(longEnded).toBe(false);
    await transport.destroy();
    transport = undefined; // destroyed: nothing left to close
    expect((await long).kind).not.toBe("request_timeout");
  });

  it("GET sends extra headers (the proxy token, an accept for text answers)", async () => {
    server = await startRawServer((_req, res) => json(res, 200, { code: 0 }));
    transport = new HttpTransport();
    await transport.get(`${server.url}/health`, undefined, {
      headers: { accept: "text/plain", "x-proxy-token": "t" },
    });
    expect(server.requests[0]!.headers.accept).toBe("text/plain");
    expect(server.requests[0]!.headers["x-proxy-token"]).toBe("t");
  });
});

describe("response handling over loopback", () => {
  it("a non-JSON 502 is classified by HTTP status (server, ambiguous)", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body>502 Bad Gateway</body></html>");
    });
    transport = new HttpTransport();
    const res = await transport.post(`${server.url}/x`, "{}");
    const out = interpret("private/create-order", res.status, parseJson(res.text), res.text);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.category).toBe("server");
    expect(out.error.code).toBeUndefined();
    expect(out.error.httpStatus).toBe(502);
    expect(out.error.ambiguous).toBe(true);
    expect(out.body).toContain("Bad Gateway");
  });

  it("string code and id are accepted; the body's code decides over HTTP 200", async () => {
    server = await startRawServer((_req, res) =>
      json(res, 200, {
        id: "1747502328559",
        method: "private/user-balance",
        code: "40101",
        message: "UNAUTHORIZED",
      }),
    );
    transport = new HttpTransport();
    const res = await transport.post(`${server.url}/x`, "{}");
    const out = interpret("private/user-balance", res.status, parseJson(res.text), res.text);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe(40101);
    expect(out.error.category).toBe("auth");
    expect(out.envelope?.id).toBe("1747502328559");
  });

  it("a JSON code 0 under a non-200 status is still success (the body decides)", async () => {
    server = await startRawServer((_req, res) => json(res, 500, { id: 3, code: "0", result: { ok: true } }));
    transport = new HttpTransport();
    const res = await transport.post(`${server.url}/x`, "{}");
    const out = interpret("private/x", res.status, parseJson(res.text), res.text);
    expect(out.ok).toBe(true);
  });
});
