/**
 * The signing proxy (original-platform.md §3.4, hardened): holds the exchange key so that keys and
 * the IP whitelist can live on another host. `atp proxy` (src/cli/commands/proxy.ts) runs it.
 *
 *   POST /proxy/private      {method, params} + X-Proxy-Token → forward.ts (checks, sign, relay)
 *   GET  /health             → health.ts (version, outbound IP, upstream, key fingerprint, uptime,
 *                              key_can_withdraw)
 *   GET  /proxy/outbound-ip  (X-Proxy-Token) → {ip, via}: its own outbound IP, through the
 *                              transport of its upstream calls (same local address binding)
 *   GET  /                   → {name, service, version}
 * Answers and failure codes: replies.ts. Optional TLS (certificate and key, PEM).
 *
 * Invariants: refuses to start without key, secret and token (the command also requires a token
 * of at least 32 characters); nothing secret is logged or answered; failed tokens are throttled
 * per client IP (throttle.ts, shared by every token-checked route); the outbound IP is answered
 * only when the echo service answered exactly one IP.
 */
import { randomUUID } from "node:crypto";
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { fetchOutboundIp } from "../exchange/cryptocom/outbound-ip.js";
import { type ProxyAnswerForm, REQUEST_ID_HEADER } from "../exchange/cryptocom/proxy-protocol.js";
import { HttpTransport } from "../exchange/cryptocom/transport.js";
import { type Logger, logOutboundIp, silentLogger } from "../log/logger.js";
import { systemTime, type TimeSource } from "../util/clock.js";
import { fingerprint } from "../util/secrets.js";
import { admitted, type ForwardDeps, forwardPrivate, tokenDigest } from "./forward.js";
import { PROXY_SERVICE, ProxyHealthMonitor } from "./health.js";
import { methodPolicy } from "./method-policy.js";
import { sendFailure, sendJson } from "./replies.js";
import { ProxySigner } from "./signer.js";
import { type ThrottleOptions, TokenFailureThrottle } from "./throttle.js";
import { proxyAtpVersion } from "./version.js";

export { PROXY_SERVICE };
export const PROXY_VERSION = "2";

export interface SigningProxyOptions {
  upstreamBaseUrl: string;
  apiKey: string;
  apiSecret: string;
  token: string;
  host?: string | undefined;
  port?: number | undefined;
  /** Bind upstream connections (and the outbound-IP echo) to this local IP. */
  localAddress?: string | undefined;
  /** IP echo service for the outbound IP (the configured OUTBOUND_IP_URL). */
  outboundIpUrl: string;
  /** Upstream request deadline (default 10 s); exceeded → 504. */
  upstreamTimeoutMs?: number | undefined;
  /** Withdraw-permission methods to sign anyway (CRYPTO_PROXY_ALLOW_METHODS); none by default. */
  allowMethods?: readonly string[] | undefined;
  /**
   * How a request that names no protocol is answered: "passthrough" (default: the exchange's HTTP
   * status and body unchanged) or "envelope" (the original platform's HTTP 200 {status, body, rid}).
   */
  defaultProtocol?: ProxyAnswerForm | undefined;
  /** CRYPTO_AUTH_DIAG: log each signed request safely. */
  authDiag?: boolean | undefined;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  throttle?: ThrottleOptions | undefined;
  /** Measure /health once at start (logs CRYPTO_COM_OUTBOUND_IP and key hygiene; `atp proxy` does). */
  measureAtStart?: boolean | undefined;
  /** How long a /health measurement is reused (default 30 s). */
  healthTtlMs?: number | undefined;
  time?: TimeSource | undefined;
  logger?: Logger | undefined;
}

export interface SigningProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:9000 */
  url: string;
  /** SHA-256 fingerprint of the key it signs with (what /health reports). */
  keyFingerprint: string;
  close(): Promise<void>;
}

function upstreamTransport(localAddress: string | undefined, t: number): HttpTransport {
  return new HttpTransport({
    localAddress,
    timeouts: { connectMs: t, headersMs: t, bodyMs: t, requestMs: t },
  });
}

export async function startSigningProxy(opts: SigningProxyOptions): Promise<SigningProxy> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error("signing proxy: API key and secret are required");
  if (!opts.token) throw new Error("signing proxy: a token is required (clients send it as X-Proxy-Token)");
  const log = opts.logger ?? silentLogger();
  const time = opts.time ?? systemTime;
  const policy = methodPolicy(opts.allowMethods);
  const signer = new ProxySigner({
    upstreamBaseUrl: opts.upstreamBaseUrl,
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    localAddress: opts.localAddress,
    transport: upstreamTransport(opts.localAddress, opts.upstreamTimeoutMs ?? 10_000),
    clock: time,
    log,
    authDiag: opts.authDiag ?? false,
  });
  const deps: ForwardDeps = {
    signer,
    policy,
    throttle: new TokenFailureThrottle(time, opts.throttle),
    token: tokenDigest(opts.token),
    log,
    defaultProtocol: opts.defaultProtocol ?? "passthrough",
  };
  const health = new ProxyHealthMonitor({
    signer,
    time,
    log,
    outboundIpUrl: opts.outboundIpUrl,
    localAddress: opts.localAddress,
    ttlMs: opts.healthTtlMs,
  });

  async function outboundIp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rid = randomUUID();
    if (!admitted(deps, req, res, rid)) return;
    const { ip, status, failure } = await fetchOutboundIp(signer.transport, opts.outboundIpUrl);
    if (failure)
      return sendFailure(res, "upstream_unreachable", `IP echo unreachable (${failure.kind})`, rid);
    if (!ip) {
      return sendFailure(
        res,
        "upstream_unreachable",
        `IP echo answered HTTP ${status} without an IP address`,
        rid,
      );
    }
    logOutboundIp(log, ip, `signing proxy${opts.localAddress ? `, bound to ${opts.localAddress}` : ""}`);
    sendJson(res, 200, { ip, via: opts.outboundIpUrl }, { [REQUEST_ID_HEADER]: rid });
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    const handle = async () => {
      if (req.method === "POST" && path === "/proxy/private") return forwardPrivate(deps, req, res);
      if (req.method === "GET" && path === "/health") return sendJson(res, 200, await health.report());
      if (req.method === "GET" && path === "/proxy/outbound-ip") return outboundIp(req, res);
      if (req.method === "GET" && path === "/") {
        return sendJson(res, 200, {
          name: "atp signing proxy",
          service: PROXY_SERVICE,
          version: proxyAtpVersion(),
        });
      }
      sendFailure(res, "not_found", "not found", undefined);
    };
    handle().catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, "proxy: internal error");
      if (!res.headersSent) sendFailure(res, "internal", "internal error", undefined);
      else res.destroy();
    });
  };
  const server: Server = opts.tls
    ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, handler)
    : createHttp(handler);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? "https" : "http"}://${host}:${addr.port}`;
  log.info(
    {
      url,
      upstream: signer.upstream,
      key_fp: signer.keyFingerprint,
      token_fp: fingerprint(opts.token),
      local_address: opts.localAddress,
      allowed_withdraw_methods: policy.extraAllowed,
      tls: Boolean(opts.tls),
    },
    "signing proxy listening",
  );
  // measure once at start: the outbound IP line (CRYPTO_COM_OUTBOUND_IP) and key hygiene are logged
  if (opts.measureAtStart) health.refresh().catch(() => undefined);
  return {
    url,
    keyFingerprint: signer.keyFingerprint,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await signer.close();
    },
  };
}
