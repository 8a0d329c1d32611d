/**
 * The doctor's calls, through the same client and network path as every exchange call: one
 * `CryptoComClient` per run (its request path, signing, proxy envelope, code classification, clock
 * measurement and per-method rate limiter) over one `HttpTransport` per run (the same
 * EXCHANGE_LOCAL_ADDRESS binding, the injected DNS lookup, a per-call timeout and the run's deadline
 * as abort signal). The IP echo and the proxy's own endpoints go through that transport too, and the
 * outbound IP through the one shared fetcher. Each call returns an `Outcome` instead of throwing.
 *
 * Invariants: no retries (the client's `request()` is one attempt); every call is traced (onCall);
 * the doctor's experiments (the swapped pair, a corrected nonce, the direct comparison) are options
 * of the client's one request path, not a second signer; the swapped experiment sends the secret as
 * api_key (diagnose.ts guards where it may run); the client logs nothing (its logger is silent, so a
 * doctor run writes only its own lines).
 *
 * This is the one place in src/diagnostics that constructs a concrete client: the doctor runs on any
 * configuration, however broken, with its own timeouts and DNS, so it cannot borrow the runtime's.
 */
import type { LookupFunction } from "node:net";
import { CryptoComClient } from "../exchange/cryptocom/client.js";
import { type OffsetSample, offsetFromDate } from "../exchange/cryptocom/clock.js";
import type { OutboundIp } from "../exchange/cryptocom/outbound-ip.js";
import { PROXY_TOKEN_HEADER } from "../exchange/cryptocom/proxy.js";
import type { RawResponse, RequestOptions } from "../exchange/cryptocom/raw-response.js";
import type { Params } from "../exchange/cryptocom/signing.js";
import { HttpTransport, TransportError } from "../exchange/cryptocom/transport.js";
import { silentLogger } from "../log/logger.js";
import type { Deadline } from "./deadline.js";
import { isServerFailure, type Outcome, outcomeOf, outcomeText } from "./outcome.js";
import { type PathFailure, type ReadContext, readTransportFailure } from "./path-failure.js";
import type { CallRecord } from "./types.js";

export interface ProbeCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface ProxyTarget {
  url: string;
  token: string;
}

/** How a private call is routed: the configured path, direct (optionally with a nonce correction), or swapped. */
export type PrivateRoute =
  | { route: "configured" }
  | { route: "direct"; nonceOffsetMs?: number | undefined }
  /** Key and secret exchanged: the secret is sent as api_key. */
  | { route: "swapped" };

export interface IpAnswer {
  ip: string | undefined;
  /** Why no IP (transport failure or an answer that is not an IP). */
  problem: string | undefined;
  failure: PathFailure | undefined;
}

export interface ProxyHealth {
  ok: boolean;
  status?: number | undefined;
  /** The proxy's /health `key_can_withdraw` (atp proxy); undefined when it does not say. */
  keyCanWithdraw?: boolean | null | undefined;
  failure?: PathFailure | undefined;
}

export interface ProbeClientOptions {
  baseUrl: string;
  localAddress: string | undefined;
  lookup: LookupFunction | undefined;
  callMs: number;
  deadline: Deadline;
  /** The configured pair, when it is usable (signs the direct calls). */
  credentials: ProbeCredentials | undefined;
  /** Proxy mode: private calls on the configured path go through it. */
  proxy: ProxyTarget | undefined;
  onCall: (call: CallRecord) => void;
}

export class ProbeClient {
  /** Offsets from the exchange's Date header (direct responses only). */
  readonly exchangeSamples: OffsetSample[] = [];
  /** Offsets from the proxy's own Date header (its host clock). */
  readonly proxySamples: OffsetSample[] = [];
  /** Every server failure answered by the exchange (for the maintenance heuristic). */
  readonly serverErrors: string[] = [];
  private readonly transport: HttpTransport;
  private readonly client: CryptoComClient;
  private readonly read: ReadContext;
  private readonly credentials: ProbeCredentials | undefined;
  private readonly onCall: (call: CallRecord) => void;

  constructor(opts: ProbeClientOptions) {
    const ms = opts.callMs;
    this.read = { callMs: ms, localAddress: opts.localAddress };
    this.credentials = opts.credentials;
    this.onCall = opts.onCall;
    this.transport = new HttpTransport({
      localAddress: opts.localAddress,
      lookup: opts.lookup,
      signal: opts.deadline.signal,
      timeouts: { connectMs: ms, headersMs: ms, bodyMs: ms, requestMs: ms, keepAliveMs: 2_000 },
    });
    this.client = new CryptoComClient({
      baseUrl: opts.baseUrl,
      apiKey: opts.credentials?.apiKey,
      apiSecret: opts.credentials?.apiSecret,
      proxy: opts.proxy,
      transport: this.transport,
      logger: silentLogger(),
    });
  }

  /** GET {base}/{method}?query (public API, no auth). */
  publicGet(method: string, query: Record<string, string> = {}): Promise<Outcome> {
    return this.call(method, query, {});
  }

  /** A private call on one of the doctor's routes (see PrivateRoute). */
  privateCall(method: string, params: Params, how: PrivateRoute): Promise<Outcome> {
    switch (how.route) {
      case "configured":
        return this.call(method, params, {});
      case "direct":
        return this.call(method, params, { viaProxy: false, nonceOffsetMs: how.nonceOffsetMs });
      case "swapped": {
        const c = this.credentials!;
        return this.call(method, params, { apiKey: c.apiSecret, apiSecret: c.apiKey });
      }
    }
  }

  private async call(method: string, params: Params, opts: RequestOptions): Promise<Outcome> {
    const raw = await this.client.request(method, params, opts);
    this.sample(raw);
    const o = outcomeOf(raw, this.read);
    const proxied = o.via === "proxy";
    if (o.kind === "error" && isServerFailure(o.error)) {
      this.serverErrors.push(`${method}${proxied ? " (via proxy)" : ""}: ${outcomeText(o)}`);
    }
    const text = o.kind === "proxy" ? `HTTP ${o.error.proxyStatus} from the proxy` : outcomeText(o);
    this.onCall({ target: proxied ? "proxy" : "exchange", method, via: o.via, outcome: text });
    return o;
  }

  /** Every HTTP answer bounds a clock offset: the exchange's directly, the proxy host's through it. */
  private sample(raw: RawResponse): void {
    if (raw.clockSample) this.exchangeSamples.push(raw.clockSample);
    else if (raw.request.viaProxy && raw.sentAt !== undefined && raw.receivedAt !== undefined) {
      const s = offsetFromDate(raw.date, raw.sentAt, raw.receivedAt);
      if (s) this.proxySamples.push(s);
    }
  }

  /** This host's outbound IP, through the run's network path (same local address binding). */
  async outboundIp(url: string): Promise<IpAnswer> {
    const r = await this.client.outboundIp(url);
    const failure = this.failureOf(r);
    this.onCall({
      target: "ip_echo",
      method: url,
      via: "direct",
      outcome: failure?.detail ?? r.ip ?? `HTTP ${r.status}`,
    });
    if (failure) return { ip: undefined, problem: failure.detail, failure };
    if (r.ip) return { ip: r.ip, problem: undefined, failure: undefined };
    return {
      ip: undefined,
      problem: `HTTP ${r.status} without an IP address in the answer`,
      failure: undefined,
    };
  }

  /** The proxy's own outbound IP (GET {proxy}/proxy/outbound-ip, an atp extension). */
  async proxyOutboundIp(proxy: ProxyTarget): Promise<IpAnswer> {
    const r = await this.client.outboundIp(`${proxy.url}/proxy/outbound-ip`, {
      headers: { [PROXY_TOKEN_HEADER]: proxy.token },
    });
    const failure = this.failureOf(r);
    this.onCall({
      target: "proxy",
      method: "proxy/outbound-ip",
      via: "proxy",
      outcome: failure?.detail ?? r.ip ?? `HTTP ${r.status}`,
    });
    if (failure) return { ip: undefined, problem: failure.detail, failure };
    if (r.ip) return { ip: r.ip, problem: undefined, failure: undefined };
    const problem =
      r.status === 404
        ? "the proxy does not offer GET /proxy/outbound-ip (an atp extension)"
        : r.status === 401 || r.status === 403
          ? `the proxy refused the token (HTTP ${r.status})`
          : `HTTP ${r.status} without an IP address`;
    return { ip: undefined, problem, failure: undefined };
  }

  /** GET {proxy}/health: is the proxy up (and its clock, from its Date header). */
  async proxyHealth(proxy: ProxyTarget): Promise<ProxyHealth> {
    try {
      const res = await this.transport.get(`${proxy.url}/health`);
      const s = offsetFromDate(res.date, res.sentAt, res.receivedAt);
      if (s) this.proxySamples.push(s);
      this.onCall({ target: "proxy", method: "health", via: "proxy", outcome: `HTTP ${res.status}` });
      return { ok: res.status === 200, status: res.status, keyCanWithdraw: keyCanWithdrawOf(res.text) };
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      const failure = readTransportFailure(err, this.read);
      this.onCall({ target: "proxy", method: "health", via: "proxy", outcome: failure.detail });
      return { ok: false, failure };
    }
  }

  private failureOf(r: OutboundIp): PathFailure | undefined {
    return r.failure ? readTransportFailure(r.failure, this.read) : undefined;
  }

  /** Ends the run's network use at once (nothing in flight is waited for). */
  async close(): Promise<void> {
    await this.client.destroy();
    await this.transport.destroy().catch(() => undefined);
  }
}

/** `key_can_withdraw` of an atp proxy's /health body (undefined for other proxies). */
function keyCanWithdrawOf(text: string): boolean | null | undefined {
  try {
    const v = (JSON.parse(text) as { key_can_withdraw?: unknown } | null)?.key_can_withdraw;
    return typeof v === "boolean" || v === null ? v : undefined;
  } catch {
    return undefined;
  }
}
