/**
 * The doctor's calls to the exchange, the IP echo service and the proxy, each returning an
 * `Outcome` instead of throwing. Built on the shared pieces: envelope.ts (signing exactly as the
 * client does, with any key/secret pair and a nonce offset), response.ts (classification by code),
 * proxy.ts (the proxy envelope), clock.ts (offset from the Date header) and rate-limiter.ts (the
 * documented per-method limits, so the doctor itself never causes a 42901).
 *
 * Invariants: no retries; every call is traced (onCall); the secret never leaves this module
 * except inside the HMAC (the swapped experiment sends it as api_key: see diagnose.ts for the guard).
 */
import { type OffsetSample, offsetFromDate } from "../exchange/cryptocom/clock.js";
import { buildPrivateEnvelope, buildProxyBody } from "../exchange/cryptocom/envelope.js";
import type { ExchangeError } from "../exchange/cryptocom/errors.js";
import { PROXY_TOKEN_HEADER, ProxyError, unwrapProxyResponse } from "../exchange/cryptocom/proxy.js";
import { RateLimiter } from "../exchange/cryptocom/rate-limiter.js";
import { interpret, parseJson } from "../exchange/cryptocom/response.js";
import type { Params } from "../exchange/cryptocom/signing.js";
import type { HttpResponse } from "../exchange/cryptocom/transport.js";
import { parseIpAnswer } from "../util/ip.js";
import type { HttpFailure, ProbeHttp } from "./http.js";
import type { CallRecord } from "./types.js";

export type Via = "direct" | "proxy";

export type Outcome =
  | { kind: "ok"; method: string; via: Via; httpStatus: number; result: unknown; latencyMs: number }
  | { kind: "error"; method: string; via: Via; error: ExchangeError; latencyMs: number }
  /** Could not reach the exchange (direct) or the proxy (via proxy). */
  | { kind: "transport"; method: string; via: Via; failure: HttpFailure }
  /** The proxy itself refused (401/403: token) or failed (502/504/500, no envelope). */
  | { kind: "proxy"; method: string; via: "proxy"; error: ProxyError; latencyMs: number };

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export interface ProxyTarget {
  url: string;
  token: string;
}

/** Short text of an outcome: `0 OK`, `40103 IP_ILLEGAL (HTTP 401)`, `ECONNREFUSED`... */
export function outcomeText(o: Outcome): string {
  switch (o.kind) {
    case "ok":
      return `code 0 (OK, HTTP ${o.httpStatus}, ${Math.round(o.latencyMs)} ms)`;
    case "error":
      return o.error.code !== undefined
        ? `${o.error.code} ${o.error.codeName}${o.error.httpStatus !== undefined ? ` (HTTP ${o.error.httpStatus})` : ""}`
        : `HTTP ${o.error.httpStatus ?? "?"} without an exchange code`;
    case "transport":
      return o.failure.detail;
    case "proxy":
      return `the proxy answered HTTP ${o.error.proxyStatus}`;
  }
}

export function codeOf(o: Outcome | undefined): number | undefined {
  if (!o) return undefined;
  if (o.kind === "ok") return 0;
  if (o.kind === "error") return o.error.code;
  return undefined;
}

export interface IpAnswer {
  ip: string | undefined;
  /** Why no IP (transport failure or an answer that is not an IP). */
  problem: string | undefined;
  failure: HttpFailure | undefined;
}

/**
 * An answer that says the exchange is failing. With a code, its category decides, whatever the HTTP
 * status: server-side codes (50001 ERR_INTERNAL comes with HTTP 400 per §2.3, 10001, 120009...) count,
 * while the 5xx statuses documented for ordinary codes (212, 306, 415...) do not. Without a code
 * only the HTTP status is left: any 5xx counts.
 */
export function isServerFailure(err: ExchangeError): boolean {
  if (err.code !== undefined) return err.category === "server" || err.category === "timeout";
  return (err.httpStatus ?? 0) >= 500;
}

export class DoctorCalls {
  private readonly limiter = new RateLimiter();
  private nextId = Date.now();
  /** Offsets from the exchange's Date header (direct responses only). */
  readonly exchangeSamples: OffsetSample[] = [];
  /** Offsets from the proxy's own Date header (its host clock). */
  readonly proxySamples: OffsetSample[] = [];
  /** Every 5xx answered by the exchange (for the maintenance heuristic). */
  readonly serverErrors: string[] = [];

  constructor(
    private readonly http: ProbeHttp,
    private readonly baseUrl: string,
    private readonly onCall: (call: CallRecord) => void,
  ) {}

  private trace(target: CallRecord["target"], method: string, via: Via, outcome: string): void {
    this.onCall({ target, method, via, outcome });
  }

  private sample(res: HttpResponse, into: OffsetSample[]): void {
    const s = offsetFromDate(res.date, res.sentAt, res.receivedAt);
    if (s) into.push(s);
  }

  private interpretExchange(method: string, via: Via, res: HttpResponse): Outcome {
    const it = interpret(method, res.status, parseJson(res.text), res.text);
    if (it.ok)
      return { kind: "ok", method, via, httpStatus: res.status, result: it.result, latencyMs: res.latencyMs };
    const o: Outcome = { kind: "error", method, via, error: it.error, latencyMs: res.latencyMs };
    if (isServerFailure(it.error)) this.serverErrors.push(`${method}: ${outcomeText(o)}`);
    return o;
  }

  /** GET {base}/{method}?query (public API, no auth). */
  async publicGet(method: string, query: Record<string, string> = {}): Promise<Outcome> {
    await this.limiter.acquire(method);
    const qs = new URLSearchParams(query).toString();
    const r = await this.http.get(`${this.baseUrl}/${method}${qs ? `?${qs}` : ""}`);
    if (!r.ok) {
      this.trace("exchange", method, "direct", r.failure.detail);
      return { kind: "transport", method, via: "direct", failure: r.failure };
    }
    this.sample(r.res, this.exchangeSamples);
    const o = this.interpretExchange(method, "direct", r.res);
    this.trace("exchange", method, "direct", outcomeText(o));
    return o;
  }

  /** POST a signed private call directly, with any key/secret pair and a nonce offset (ms). */
  async privateDirect(
    method: string,
    params: Params,
    creds: Credentials,
    nonceOffsetMs = 0,
  ): Promise<Outcome> {
    await this.limiter.acquire(method);
    const env = buildPrivateEnvelope(
      {
        method,
        id: ++this.nextId,
        nonce: Date.now() + Math.round(nonceOffsetMs),
        apiKey: creds.apiKey,
        params,
      },
      creds.apiSecret,
    );
    const r = await this.http.post(`${this.baseUrl}/${method}`, env.body);
    if (!r.ok) {
      this.trace("exchange", method, "direct", r.failure.detail);
      return { kind: "transport", method, via: "direct", failure: r.failure };
    }
    this.sample(r.res, this.exchangeSamples);
    const o = this.interpretExchange(method, "direct", r.res);
    if (o.kind === "error" && o.error.category === "rate_limit") this.limiter.onRateLimited(method);
    this.trace("exchange", method, "direct", outcomeText(o));
    return o;
  }

  /** POST {proxy}/proxy/private {method, params}: the proxy signs with its own credentials. */
  async privateViaProxy(method: string, params: Params, proxy: ProxyTarget): Promise<Outcome> {
    await this.limiter.acquire(method);
    const url = `${proxy.url}/proxy/private`;
    const r = await this.http.post(url, buildProxyBody(method, params), {
      [PROXY_TOKEN_HEADER]: proxy.token,
    });
    if (!r.ok) {
      this.trace("proxy", method, "proxy", r.failure.detail);
      return { kind: "transport", method, via: "proxy", failure: r.failure };
    }
    this.sample(r.res, this.proxySamples);
    const un = unwrapProxyResponse(method, r.res);
    if (un instanceof ProxyError) {
      this.trace("proxy", method, "proxy", `HTTP ${un.proxyStatus} from the proxy`);
      return { kind: "proxy", method, via: "proxy", error: un, latencyMs: r.res.latencyMs };
    }
    const it = interpret(method, un.status, un.json, un.text);
    const o: Outcome = it.ok
      ? {
          kind: "ok",
          method,
          via: "proxy",
          httpStatus: un.status,
          result: it.result,
          latencyMs: r.res.latencyMs,
        }
      : { kind: "error", method, via: "proxy", error: it.error, latencyMs: r.res.latencyMs };
    if (o.kind === "error" && isServerFailure(o.error))
      this.serverErrors.push(`${method} (via proxy): ${outcomeText(o)}`);
    this.trace("proxy", method, "proxy", outcomeText(o));
    return o;
  }

  /** The outbound IP through this run's network path (same local address binding). */
  async outboundIp(url: string): Promise<IpAnswer> {
    const r = await this.http.get(url, { accept: "text/plain, application/json" });
    if (!r.ok) {
      this.trace("ip_echo", url, "direct", r.failure.detail);
      return { ip: undefined, problem: r.failure.detail, failure: r.failure };
    }
    const ip = r.res.status === 200 ? parseIpAnswer(r.res.text) : undefined;
    this.trace("ip_echo", url, "direct", ip ?? `HTTP ${r.res.status}`);
    return ip
      ? { ip, problem: undefined, failure: undefined }
      : {
          ip: undefined,
          problem: `HTTP ${r.res.status} without an IP address in the answer`,
          failure: undefined,
        };
  }

  /** The proxy's own outbound IP (GET {proxy}/proxy/outbound-ip, an atp extension). */
  async proxyOutboundIp(proxy: ProxyTarget): Promise<IpAnswer> {
    const r = await this.http.get(`${proxy.url}/proxy/outbound-ip`, { [PROXY_TOKEN_HEADER]: proxy.token });
    if (!r.ok) {
      this.trace("proxy", "proxy/outbound-ip", "proxy", r.failure.detail);
      return { ip: undefined, problem: r.failure.detail, failure: r.failure };
    }
    const ip = r.res.status === 200 ? parseIpAnswer(r.res.text) : undefined;
    this.trace("proxy", "proxy/outbound-ip", "proxy", ip ?? `HTTP ${r.res.status}`);
    if (ip) return { ip, problem: undefined, failure: undefined };
    const problem =
      r.res.status === 404
        ? "the proxy does not offer GET /proxy/outbound-ip (an atp extension)"
        : r.res.status === 401 || r.res.status === 403
          ? `the proxy refused the token (HTTP ${r.res.status})`
          : `HTTP ${r.res.status} without an IP address`;
    return { ip: undefined, problem, failure: undefined };
  }

  /** GET {proxy}/health: is the proxy up (and its clock, from its Date header). */
  async proxyHealth(
    proxy: ProxyTarget,
  ): Promise<{ ok: boolean; status?: number; failure?: HttpFailure; ms: number }> {
    const r = await this.http.get(`${proxy.url}/health`);
    if (!r.ok) {
      this.trace("proxy", "health", "proxy", r.failure.detail);
      return { ok: false, failure: r.failure, ms: r.failure.latencyMs };
    }
    this.sample(r.res, this.proxySamples);
    this.trace("proxy", "health", "proxy", `HTTP ${r.res.status}`);
    return { ok: r.res.status === 200, status: r.res.status, ms: r.res.latencyMs };
  }

  dispose(): void {
    this.limiter.dispose();
  }
}
