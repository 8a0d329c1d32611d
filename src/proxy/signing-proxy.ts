/**
 * A minimal signing proxy implementing the original platform's contract (original-platform.md §3.4),
 * so keys and the IP whitelist can live on another host. The full `atp proxy` command builds on this.
 *
 *   POST /proxy/private   header X-Proxy-Token, body {method, params}
 *       → HTTP 401 {error} when the token is wrong (nothing is forwarded)
 *       → HTTP 403 {error, rid} for a method atp does not call (not in endpoints.ts) or one that
 *         needs the withdraw permission: the proxy never signs a withdrawal, whatever its key allows
 *       → the proxy signs with its own key/secret (the shared envelope: serialised once, signed as
 *         sent), POSTs to {upstreamBaseUrl}/{method} and answers HTTP 200
 *         {status: <upstream HTTP status>, body: <upstream JSON, or its text>, rid}
 *       → HTTP 502 {error, rid} on a network error, 504 on a timeout, 400 for a bad request
 *   GET /health           → {status: "healthy", service: "crypto-proxy"}
 *   GET /                 → {name, version}
 *   GET /proxy/outbound-ip  (atp extension; X-Proxy-Token required)
 *       → {ip, via}: the proxy's own outbound IP, fetched from `outboundIpUrl` by the shared fetcher
 *         (exchange/cryptocom/outbound-ip.ts) through the transport of its upstream calls (same
 *         local address binding), so `atp doctor` can name the IP to whitelist.
 *
 * Invariants: refuses to start without key, secret and token; compares tokens in constant time;
 * only the private methods of the endpoint table are signed, never a withdrawal; nothing secret is
 * logged or answered (the upstream's `original` echo, which contains api_key and sig, is dropped
 * from the body); the outbound IP is answered only when the echo service answered exactly one IP.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { endpoint } from "../exchange/cryptocom/endpoints.js";
import { buildPrivateEnvelope } from "../exchange/cryptocom/envelope.js";
import { NonceSource } from "../exchange/cryptocom/nonce.js";
import { fetchOutboundIp } from "../exchange/cryptocom/outbound-ip.js";
import { PROXY_TOKEN_HEADER } from "../exchange/cryptocom/proxy.js";
import { parseJson, withoutOriginal } from "../exchange/cryptocom/response.js";
import { type Params, UnsignableParamError } from "../exchange/cryptocom/signing.js";
import { HttpTransport, TransportError } from "../exchange/cryptocom/transport.js";
import { type Logger, logOutboundIp, silentLogger } from "../log/logger.js";
import { readBody } from "../util/http-body.js";
import { fingerprint } from "../util/secrets.js";

export const PROXY_SERVICE = "crypto-proxy";
export const PROXY_VERSION = "1";

export interface SigningProxyOptions {
  upstreamBaseUrl: string;
  apiKey: string;
  apiSecret: string;
  token: string;
  host?: string | undefined;
  port?: number | undefined;
  /** Bind upstream connections (and the outbound-IP echo) to this local IP. */
  localAddress?: string | undefined;
  /** IP echo service for GET /proxy/outbound-ip (the configured OUTBOUND_IP_URL). */
  outboundIpUrl: string;
  /** Upstream request deadline (default 10 s); exceeded → 504. */
  upstreamTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

export interface SigningProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:9000 */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The upstream body as the proxy returns it: JSON without the `original` echo, or the raw text. */
function upstreamBody(text: string): unknown {
  const json = parseJson(text);
  return json === undefined ? text : withoutOriginal(json);
}

/** Why the proxy refuses to sign `method` (undefined: it may). */
function refusal(method: string): string | undefined {
  const e = endpoint(method);
  if (e?.access !== "private")
    return `${method} is not a private method atp calls: this proxy signs only those`;
  if (e.permission === "withdraw")
    return `${method} needs the withdraw permission: this proxy never signs withdrawals`;
  return undefined;
}

export async function startSigningProxy(opts: SigningProxyOptions): Promise<SigningProxy> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error("signing proxy: API key and secret are required");
  if (!opts.token) throw new Error("signing proxy: a token is required (clients send it as X-Proxy-Token)");
  const log = opts.logger ?? silentLogger();
  const upstream = opts.upstreamBaseUrl.replace(/\/+$/, "");
  const outboundIpUrl = opts.outboundIpUrl;
  const tokenDigest = digest(opts.token);
  const nonces = new NonceSource();
  const timeoutMs = opts.upstreamTimeoutMs ?? 10_000;
  const transport = new HttpTransport({
    localAddress: opts.localAddress,
    timeouts: { connectMs: timeoutMs, headersMs: timeoutMs, bodyMs: timeoutMs, requestMs: timeoutMs },
  });

  const tokenOk = (req: IncomingMessage): boolean => {
    const given = req.headers[PROXY_TOKEN_HEADER];
    if (typeof given !== "string") return false;
    return timingSafeEqual(digest(given), tokenDigest);
  };

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rid = randomUUID();
    if (!tokenOk(req)) {
      log.warn({ rid }, "proxy: refused a request with a wrong or missing X-Proxy-Token");
      send(res, 401, { error: "invalid proxy token", rid });
      return;
    }
    const text = await readBody(req, MAX_BODY);
    if (text === undefined) {
      send(res, 413, { error: "body too large", rid });
      return;
    }
    const body = parseJson(text) as { method?: unknown; params?: unknown } | undefined;
    if (
      !body ||
      typeof body !== "object" ||
      typeof body.method !== "string" ||
      !body.method.startsWith("private/")
    ) {
      send(res, 400, { error: 'body must be {"method": "private/...", "params": {...}}', rid });
      return;
    }
    const refused = refusal(body.method);
    if (refused) {
      log.warn({ rid, method: body.method }, "proxy: refused to sign a method outside its allow-list");
      send(res, 403, { error: refused, rid });
      return;
    }
    const params = body.params ?? {};
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      send(res, 400, { error: "params must be a JSON object", rid });
      return;
    }
    let envBody: string;
    try {
      envBody = buildPrivateEnvelope(
        {
          method: body.method,
          id: nonces.nextId(),
          nonce: nonces.next(),
          apiKey: opts.apiKey,
          params: params as Params,
        },
        opts.apiSecret,
      ).body;
    } catch (err) {
      if (!(err instanceof UnsignableParamError)) throw err;
      send(res, 400, { error: err.message, rid });
      return;
    }
    try {
      const up = await transport.post(`${upstream}/${body.method}`, envBody);
      const b = upstreamBody(up.text);
      const code = b && typeof b === "object" ? (b as { code?: unknown }).code : undefined;
      log.info({ rid, method: body.method, upstream_status: up.status, code }, "proxy: forwarded");
      send(res, 200, { status: up.status, body: b, rid });
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      const status = err.isTimeout ? 504 : 502;
      log.warn({ rid, method: body.method, failure: err.kind, errno: err.errno }, "proxy: upstream failed");
      send(res, status, {
        error: status === 504 ? "upstream timeout" : `upstream unreachable (${err.kind})`,
        rid,
      });
    }
  }

  async function outboundIp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!tokenOk(req)) {
      send(res, 401, { error: "invalid proxy token" });
      return;
    }
    const { ip, status, failure } = await fetchOutboundIp(transport, outboundIpUrl);
    if (failure) {
      send(res, 502, { error: `IP echo unreachable (${failure.kind})` });
      return;
    }
    if (!ip) {
      send(res, 502, { error: `IP echo answered HTTP ${status} without an IP address` });
      return;
    }
    logOutboundIp(log, ip, `signing proxy${opts.localAddress ? `, bound to ${opts.localAddress}` : ""}`);
    send(res, 200, { ip, via: outboundIpUrl });
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const handle = async () => {
      if (req.method === "POST" && path === "/proxy/private") return forward(req, res);
      if (req.method === "GET" && path === "/health")
        return send(res, 200, { status: "healthy", service: PROXY_SERVICE });
      if (req.method === "GET" && path === "/proxy/outbound-ip") return outboundIp(req, res);
      if (req.method === "GET" && path === "/") {
        return send(res, 200, { name: "atp signing proxy", service: PROXY_SERVICE, version: PROXY_VERSION });
      }
      send(res, 404, { error: "not found" });
    };
    handle().catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, "proxy: internal error");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  log.info(
    {
      url,
      upstream,
      key_fp: fingerprint(opts.apiKey),
      token_fp: fingerprint(opts.token),
      local_address: opts.localAddress,
    },
    "signing proxy listening",
  );
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await transport.close();
    },
  };
}
