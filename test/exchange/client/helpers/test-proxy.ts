/**
 * A signing proxy implementing the original platform's contract (original-platform.md §3.4) for
 * tests: POST /proxy/private {method, params} with X-Proxy-Token → HTTP 200
 * {status: <upstream HTTP status>, body: <upstream JSON or text>, rid}; 401 for a bad token;
 * 504 on upstream timeout, 502 on upstream network error. It forwards with a direct
 * CryptoComClient (its own key and nonce), over real loopback.
 */
import { randomUUID } from "node:crypto";
import { CryptoComClient } from "../../../../src/exchange/cryptocom/client.js";
import type { Params } from "../../../../src/exchange/cryptocom/signing.js";
import { json, type RawServer, startRawServer } from "./raw-server.js";

export interface TestProxy extends RawServer {
  /** Set `forceStatus` to answer with that HTTP status without forwarding (e.g. 502). */
  control: { forceStatus: number | undefined };
  forwarded: string[];
}

export async function startTestProxy(opts: {
  upstream: string;
  apiKey: string;
  apiSecret: string;
  token: string;
}): Promise<TestProxy> {
  const upstream = new CryptoComClient({
    baseUrl: opts.upstream,
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    rateLimit: { enabled: false },
  });
  const forwarded: string[] = [];
  const control: { forceStatus: number | undefined } = { forceStatus: undefined };
  const server = await startRawServer(async (req, res) => {
    if (req.url !== "/proxy/private" || req.method !== "POST") return json(res, 404, { detail: "not found" });
    if (req.headers["x-proxy-token"] !== opts.token) return json(res, 401, { detail: "invalid proxy token" });
    if (control.forceStatus !== undefined) return json(res, control.forceStatus, { detail: "forced" });
    const { method, params } = JSON.parse(req.body.toString("utf8")) as { method: string; params: Params };
    forwarded.push(method);
    const raw = await upstream.request(method, params);
    const rid = randomUUID();
    if (raw.httpStatus === undefined) {
      return json(res, raw.error?.category === "timeout" ? 504 : 502, { detail: "upstream failed", rid });
    }
    json(res, 200, { status: raw.httpStatus, body: raw.body, rid });
  });
  return {
    ...server,
    control,
    forwarded,
    close: async () => {
      await upstream.close();
      await server.close();
    },
  };
}
