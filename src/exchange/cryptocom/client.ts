/**
 * Crypto.com Exchange v1 REST client: every endpoint atp uses, typed results with decimals as `Dec`.
 *
 * Layers (each in its own file): nonce.ts / clock.ts (nonce, request id, clock offset) →
 * envelope.ts (serialise once, sign what is sent) → rate-limiter.ts (queue per method) →
 * transport.ts (undici) → response.ts / proxy.ts (code decides) → parsers/* (typed results).
 * Retries live in retry.ts (reads) and placement.ts (orders: never blind, probe when ambiguous).
 *
 * `request()` is the one request path: one attempt, no retries, never throws for an exchange or
 * transport failure, and answers the structured observation (raw-response.ts) that the typed methods
 * below turn into results or a thrown `ExchangeError`, and that the doctor reads as it is (any
 * key/secret pair and a nonce offset, for its experiments). It picks one of three routes: public
 * (GET, no auth), via the signing proxy, or signed here.
 *
 * The order path awaits nothing it does not have to: with the instrument cached (fresh) and the
 * rate limiter's token at hand, `placeOrder` builds, validates, signs and hands the request to the
 * transport inside the call; only a cache load or a token that is not there yet makes it wait.
 */
import type { DecCandle, DecTicker } from "../../domain/market.js";
import { authLog, type Logger, silentLogger } from "../../log/logger.js";
import { fingerprint, maskSecret } from "../../util/secrets.js";
import type {
  AccountBalance,
  CancelAck,
  CandleQuery,
  ExchangeClient,
  Fill,
  HistoryQuery,
  Instrument,
  OcoRequest,
  Order,
  OrderBook,
  OrderRef,
  OrderRequest,
  PlaceOcoOutcome,
  PlaceOrderOutcome,
  PublicTrade,
  TriggerOrderRequest,
} from "../types.js";
import { clientOidFor } from "./client-oid.js";
import { ClockOffset, type OffsetSample, offsetFromDate } from "./clock.js";
import { CLOCK_WARN_MS, NONCE_WINDOW_MS, PRODUCTION } from "./constants.js";
import type { RateLimit } from "./endpoints.js";
import {
  assertSendableParams,
  buildPrivateEnvelope,
  buildProxyBody,
  PreparedHmac,
  publicQuery,
} from "./envelope.js";
import { ExchangeError } from "./errors.js";
import { InstrumentCache } from "./instrument-cache.js";
import { NonceSource } from "./nonce.js";
import { ocoParams, orderParams, triggerParams } from "./order-params.js";
import { cryptoComOrderRules } from "./order-rules.js";
import { fetchOutboundIp, type OutboundIp, type OutboundIpOptions } from "./outbound-ip.js";
import { parseUserBalance } from "./parsers/account.js";
import {
  parseBook,
  parseCandles,
  parseInstruments,
  parsePublicTrades,
  parseTickers,
} from "./parsers/market.js";
import {
  parseCancelAck,
  parseFills,
  parseListAck,
  parseOrderAck,
  parseOrderDetail,
  parseOrderList,
  rejectedOrderId,
} from "./parsers/orders.js";
import { ResponseShapeError } from "./parsers/wire.js";
import { type AttemptResult, type PlacementContext, placeWithProbe } from "./placement.js";
import { type ProxyConfig, ProxyError, proxyEndpoint } from "./proxy.js";
import { PASSTHROUGH, PROXY_PROTOCOL_HEADER, PROXY_TOKEN_HEADER } from "./proxy-protocol.js";
import { RateLimiter, type ReleaseToken } from "./rate-limiter.js";
import {
  directAnswer,
  failedResponse,
  proxiedAnswer,
  type RawResponse,
  type RequestFacts,
  type RequestOptions,
  requestFacts,
  transportFailure,
} from "./raw-response.js";
import { backoffDelay, DEFAULT_RETRY, isRetryableRead, type RetryPolicy, sleep } from "./retry.js";
import type { Params } from "./signing.js";
import { type HttpResponse, HttpTransport, TransportError, type TransportTimeouts } from "./transport.js";

export interface CryptoComClientOptions {
  /** REST base, e.g. https://api.crypto.com/exchange/v1 (default) or an emulator's baseUrl. */
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  /** Bind outbound connections to this local IP (EXCHANGE_LOCAL_ADDRESS). */
  localAddress?: string | undefined;
  timeouts?: Partial<TransportTimeouts> | undefined;
  /**
   * A transport to use instead of building one from `localAddress` / `timeouts` (the doctor's
   * per-run one, with its DNS lookup and deadline). The caller owns it: close() leaves it open.
   */
  transport?: HttpTransport | undefined;
  /**
   * Keep one connection to the base URL ready at all times (transport.ts `keepWarm`), so an order
   * after a quiet spell does not wait for TCP and TLS. Only for the client's own transport.
   */
  keepWarm?: boolean | undefined;
  /** CRYPTO_AUTH_DIAG: log every signed request's safe details. */
  authDiag?: boolean | undefined;
  /** Add the measured clock offset to nonces (and re-base once after a 40102). */
  applyClockOffset?: boolean | undefined;
  /** Proxy mode: private calls go through the signing proxy. */
  proxy?: ProxyConfig | undefined;
  logger?: Logger | undefined;
  /** Wall clock for nonces and offset measurement (tests inject a skewed clock). */
  now?: (() => number) | undefined;
  /** Randomness for back-off jitter (tests). */
  random?: (() => number) | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Order creation: attempts after definite refusals (default 3). */
  createAttempts?: number | undefined;
  /** Delays before each probe of an ambiguous order (default 0, 250, 1000, 2000 ms). */
  probeDelaysMs?: readonly number[] | undefined;
  rateLimit?:
    | {
        enabled?: boolean | undefined;
        marginRatio?: number | undefined;
        limitFor?: ((method: string) => RateLimit) | undefined;
        backoffMs?: number | undefined;
      }
    | undefined;
  /** Exchange nonce tolerance used for `resendSafeAfter` (default 60 s). */
  nonceWindowMs?: number | undefined;
  instrumentTtlMs?: number | undefined;
  /**
   * Told the outcome of every request after it ends (one per attempt: retries are separate calls),
   * for status and metrics. Never given params, keys or bodies. A throwing observer is ignored.
   */
  onCall?: ((c: ExchangeCallOutcome) => void) | undefined;
}

/** One request's outcome, as `CryptoComClientOptions.onCall` sees it. */
export interface ExchangeCallOutcome {
  method: string;
  ok: boolean;
  /** The exchange's code (or the HTTP status when the answer had none); absent for transport failures. */
  code?: number | undefined;
  /** ExchangeFailure.category of a failure. */
  category?: string | undefined;
  /** The code's catalogue name (or the transport failure's), e.g. SYSTEM_MAINTENANCE. */
  name?: string | undefined;
  ms: number;
}

export type { RawResponse, RequestFacts, RequestOptions } from "./raw-response.js";

const DEFAULT_PROBE_DELAYS = [0, 250, 1_000, 2_000] as const;
/** Bound of the per-method URL table (methods are a fixed set; the doctor may try others). */
const MAX_URLS = 128;
/** The token of a call sent past the limiter (`rateLimit: false`). */
const NO_TOKEN: ReleaseToken = () => undefined;

/** A private call waiting to be signed. */
interface Signed {
  method: string;
  params: Params | undefined;
  opts: RequestOptions;
  apiKey: string;
  apiSecret: string;
  url: string;
}

export class CryptoComClient implements ExchangeClient {
  readonly venue = "cryptocom";
  readonly rules = cryptoComOrderRules;
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly apiSecret: string | undefined;
  /** The configured secret's HMAC, keyed before each signed request (envelope.ts). */
  private readonly mac: PreparedHmac | undefined;
  private readonly proxy: ProxyConfig | undefined;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly limiter: RateLimiter;
  private readonly nonces: NonceSource;
  private readonly clock = new ClockOffset();
  private readonly instruments: InstrumentCache;
  private readonly log: Logger;
  private readonly authDiag: boolean;
  private readonly applyClockOffset: boolean;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  private readonly createPolicy: RetryPolicy;
  private readonly probeDelaysMs: readonly number[];
  private readonly nonceWindowMs: number;
  private lastClockWarn = { at: Number.NEGATIVE_INFINITY, offset: 0 };
  private readonly keyFp: string | undefined;
  private readonly onCall: ((c: ExchangeCallOutcome) => void) | undefined;
  private readonly urls = new Map<string, string>();

  constructor(opts: CryptoComClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? PRODUCTION.rest).replace(/\/+$/, "");
    this.apiKey = opts.apiKey || undefined;
    this.apiSecret = opts.apiSecret || undefined;
    this.mac = this.apiSecret ? new PreparedHmac(this.apiSecret) : undefined;
    this.mac?.prepare();
    this.keyFp = this.apiKey ? fingerprint(this.apiKey) : undefined;
    this.onCall = opts.onCall;
    this.proxy = opts.proxy;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.log = opts.logger ?? silentLogger();
    this.authDiag = opts.authDiag ?? false;
    this.applyClockOffset = opts.applyClockOffset ?? false;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.createPolicy = { ...this.retry, maxAttempts: opts.createAttempts ?? 3 };
    this.probeDelaysMs = opts.probeDelaysMs ?? DEFAULT_PROBE_DELAYS;
    this.nonceWindowMs = opts.nonceWindowMs ?? NONCE_WINDOW_MS;
    this.ownsTransport = opts.transport === undefined;
    this.transport =
      opts.transport ??
      new HttpTransport({
        localAddress: opts.localAddress,
        timeouts: opts.timeouts,
        now: this.now,
        primaryOrigin: this.baseUrl,
        keepWarm: opts.keepWarm,
      });
    this.limiter = new RateLimiter({
      enabled: opts.rateLimit?.enabled,
      marginRatio: opts.rateLimit?.marginRatio,
      limitFor: opts.rateLimit?.limitFor,
      backoffMs: opts.rateLimit?.backoffMs,
      random: this.random,
    });
    this.nonces = new NonceSource(this.now);
    this.instruments = new InstrumentCache(
      () => this.callRead("public/get-instruments", undefined, parseInstruments),
      { ttlMs: opts.instrumentTtlMs },
    );
    if (this.authDiag) {
      authLog(
        this.log,
        "info",
        {
          base_url: this.baseUrl,
          api_key: maskSecret(this.apiKey, "key"),
          api_secret: maskSecret(this.apiSecret, "secret"),
          via_proxy: Boolean(this.proxy),
          proxy_url: this.proxy?.url,
          local_address: opts.localAddress,
          apply_clock_offset: this.applyClockOffset,
        },
        "credentials loaded (safe)",
      );
    }
  }

  // ------------------------------------------------------------------------------------------
  // Low level

  /** Latest clock offset estimate (exchange − local, ms), from response Date headers. */
  clockOffset(): OffsetSample | undefined {
    return this.clock.estimate;
  }

  /**
   * Connects to the base URL now unless a connection is already idle (transport.ts `warm()`), so the
   * next request does not wait for TCP and TLS; true when one is ready.
   */
  warm(): Promise<boolean> {
    return this.transport.warm();
  }

  /** How many calls the rate limiter has made wait for a token so far (0 while it never had to). */
  rateLimiterWaits(): number {
    return this.limiter.waits;
  }

  /** Whether private calls go through the signing proxy. */
  get usesProxy(): boolean {
    return this.proxy !== undefined;
  }

  /**
   * One request, no retries: never throws for exchange or transport failures (they are in
   * `error`, and a transport failure's stage in `transport`); throws `UnsignableParamError` for params
   * that cannot be sent as signed.
   */
  request(method: string, params?: Params, opts: RequestOptions = {}): Promise<RawResponse> {
    if (method.startsWith("public/")) return this.requestPublic(method, params, opts);
    const customKey = opts.apiKey !== undefined || opts.apiSecret !== undefined;
    if (!customKey && (opts.viaProxy ?? true) && this.proxy !== undefined) {
      return this.requestViaProxy(method, params, this.proxy, opts);
    }
    return this.requestSigned(method, params, opts);
  }

  /** The outbound IP as an echo service sees this client's connections (same binding, same DNS). */
  outboundIp(url: string, opts?: OutboundIpOptions): Promise<OutboundIp> {
    return fetchOutboundIp(this.transport, url, opts);
  }

  /** GET {base}/{method}?params, no auth. */
  private async requestPublic(
    method: string,
    params: Params | undefined,
    opts: RequestOptions,
  ): Promise<RawResponse> {
    const query = publicQuery(params);
    const req = requestFacts(`${this.baseUrl}/${method}`, false);
    const release = await this.pace(method, opts);
    return this.exchange(method, req, () => this.transport.get(req.url, query), false, release);
  }

  /**
   * POST {method, params} to the signing proxy, which signs with its own key and nonce and, asked for
   * passthrough, answers the exchange's status and body unchanged (proxy.ts reads every form).
   */
  private async requestViaProxy(
    method: string,
    params: Params | undefined,
    proxy: ProxyConfig,
    opts: RequestOptions,
  ): Promise<RawResponse> {
    const body = buildProxyBody(method, params);
    const req = { ...requestFacts(proxyEndpoint(proxy), true), bytes: Buffer.byteLength(body) };
    const release = await this.pace(method, opts);
    const raw = await this.exchange(
      method,
      req,
      () =>
        this.transport.post(req.url, body, {
          [PROXY_TOKEN_HEADER]: proxy.token,
          [PROXY_PROTOCOL_HEADER]: PASSTHROUGH,
        }),
      opts.quiet,
      release,
    );
    if (!opts.quiet) this.logProxied(raw);
    return raw;
  }

  /**
   * POST a private call signed here, with the configured pair or the one in `opts`. When the rate
   * limiter has the method's token at hand, everything up to the write runs in this call (no
   * promise in between); otherwise the call queues and is signed when its token comes.
   */
  private requestSigned(
    method: string,
    params: Params | undefined,
    opts: RequestOptions,
  ): Promise<RawResponse> {
    const apiKey = opts.apiKey ?? this.apiKey;
    const apiSecret = opts.apiSecret ?? this.apiSecret;
    const url = this.urlOf(method);
    if (!apiKey || !apiSecret) {
      const error = new ExchangeError({
        method,
        category: "auth",
        message: "no API key/secret configured (EXCHANGE_CUSTOM_API_KEY / EXCHANGE_CUSTOM_API_SECRET)",
      });
      return Promise.resolve(failedResponse(method, requestFacts(url, false), error, false));
    }
    // Refuse unsendable params before queueing; take the nonce only when the limiter lets us go.
    try {
      assertSendableParams(params);
    } catch (e) {
      return Promise.reject(e);
    }
    const signed: Signed = { method, params, opts, apiKey, apiSecret, url };
    const token = opts.rateLimit !== false ? this.limiter.tryAcquire(method, true) : NO_TOKEN;
    if (token !== undefined) return this.sendSigned(signed, token);
    return this.limiter.acquire(method, { held: true }).then((release) => this.sendSigned(signed, release));
  }

  /** Signs (nonce and id taken now) and sends; `release` is the limiter's token, held until the answer. */
  private sendSigned(s: Signed, release: ReleaseToken): Promise<RawResponse> {
    const { method, params, opts, apiKey, url } = s;
    let body: Buffer;
    let req: RequestFacts;
    try {
      const id = opts.id ?? this.nonces.nextId();
      const nonce = opts.nonce ?? this.nonces.next() + (opts.nonceOffsetMs ?? 0);
      const secret = s.apiSecret === this.apiSecret && this.mac ? this.mac : s.apiSecret;
      const env = buildPrivateEnvelope({ method, id, nonce, apiKey, params }, secret);
      body = Buffer.from(env.body, "utf8");
      req = {
        url,
        viaProxy: false,
        signed: true,
        id,
        nonce,
        paramStringLength: env.paramStringLength,
        stringToSignLength: env.stringToSignLength,
        keyFingerprint: apiKey === this.apiKey ? this.keyFp : fingerprint(apiKey),
        bytes: body.length,
      };
      if (this.authDiag) this.logSigned(method, req, apiKey);
    } catch (e) {
      release(); // nothing was sent
      return Promise.reject(e);
    }
    const raw = this.exchange(method, req, () => this.transport.post(url, body), opts.quiet, release);
    return raw.then((r) => {
      this.mac?.prepare(); // the next signed request's HMAC, keyed now that this one is answered
      if (r.error?.isAuthFailure && !opts.quiet) this.logRefusal(r);
      return r;
    });
  }

  /** `{base}/{method}`, built once per method (the same string every time: the transport's URL cache hits). */
  private urlOf(method: string): string {
    let url = this.urls.get(method);
    if (url === undefined) {
      url = `${this.baseUrl}/${method}`;
      if (this.urls.size < MAX_URLS) this.urls.set(method, url);
    }
    return url;
  }

  /**
   * The rate limiter's token for `method` (rate-limiter.ts), held until the answer: its window
   * starts when the answer is in, so a request that left late never bunches with the next ones.
   */
  private pace(method: string, opts: RequestOptions): Promise<ReleaseToken | undefined> {
    return opts.rateLimit !== false
      ? this.limiter.acquire(method, { held: true })
      : Promise.resolve(undefined);
  }

  /** Sends, and reads the answer: the exchange's own (measuring the clock) or the proxy's. */
  private async exchange(
    method: string,
    req: RequestFacts,
    send: () => Promise<HttpResponse>,
    quiet = false,
    release?: ReleaseToken,
  ): Promise<RawResponse> {
    const started = this.now();
    let raw: RawResponse;
    try {
      const res = await send();
      raw = req.viaProxy
        ? proxiedAnswer(method, req, res)
        : directAnswer(method, req, res, this.observeClock(res));
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      raw = transportFailure(method, req, e);
    } finally {
      release?.();
    }
    if (this.onCall && !quiet) this.reportCall(raw, this.now() - started);
    return raw;
  }

  private reportCall(raw: RawResponse, ms: number): void {
    const err = raw.error;
    try {
      this.onCall?.({
        method: raw.method,
        ok: raw.ok,
        ms,
        ...(err ? { category: err.category, code: err.code ?? raw.httpStatus, name: err.codeName } : {}),
      });
    } catch {
      // an observer's failure is not the request's
    }
  }

  private logRefusal(raw: RawResponse): void {
    const err = raw.error!;
    authLog(
      this.log,
      "warn",
      {
        method: raw.method,
        id: raw.request.id,
        nonce: raw.request.nonce,
        http_status: raw.httpStatus,
        code: err.code,
        code_name: err.codeName,
        key_fp: raw.request.keyFingerprint,
        clock_offset_ms: this.clock.estimate?.offsetMs,
      },
      `${raw.method} refused: ${err.code ?? ""} ${err.codeName}`,
    );
  }

  /**
   * A proxied call in the log with the proxy's request id (its own log has the same `rid`): every
   * call with CRYPTO_AUTH_DIAG, and always the proxy's own failures and the exchange's auth refusals.
   */
  private logProxied(raw: RawResponse): void {
    const err = raw.error;
    const own = err instanceof ProxyError;
    if (!this.authDiag && !own && !err?.isAuthFailure) return;
    const fields = {
      method: raw.method,
      rid: raw.proxyRid,
      http_status: raw.httpStatus,
      ...(err
        ? own
          ? { proxy_code: err.proxyCode, category: err.category }
          : { code: err.code, code_name: err.codeName, category: err.category }
        : { code: raw.code }),
      proxy_url: this.proxy?.url,
    };
    if (!err) {
      authLog(this.log, "info", fields, `${raw.method} via proxy rid=${raw.proxyRid ?? "?"}`);
      return;
    }
    const what = own
      ? `the proxy answered ${err.proxyCode ?? `HTTP ${err.proxyStatus}`}`
      : `refused upstream: ${err.code ?? ""} ${err.codeName}`;
    authLog(this.log, "warn", fields, `${raw.method} via proxy rid=${raw.proxyRid ?? "?"}: ${what}`);
  }

  private logSigned(method: string, req: RequestFacts, apiKey: string): void {
    const local = this.now();
    authLog(
      this.log,
      "info",
      {
        method,
        id: req.id,
        nonce: req.nonce,
        param_string_len: req.paramStringLength,
        string_to_sign_len: req.stringToSignLength,
        key_fp: req.keyFingerprint,
        key: maskSecret(apiKey, "key"),
        local_clock_ms: local,
        local_clock_utc: new Date(local).toISOString(),
        clock_offset_ms: this.clock.estimate?.offsetMs,
        applied_offset_ms: this.nonces.appliedOffsetMs,
      },
      `signing ${method} id=${req.id} nonce=${req.nonce}`,
    );
  }

  private observeClock(res: HttpResponse): OffsetSample | undefined {
    const sample = offsetFromDate(res.date, res.sentAt, res.receivedAt);
    if (!sample) return undefined;
    const est = this.clock.add(sample);
    if (this.applyClockOffset) this.nonces.setOffset(est.offsetMs);
    if (Math.abs(est.offsetMs) > CLOCK_WARN_MS) {
      const t = this.now();
      if (t - this.lastClockWarn.at > 60_000 || Math.abs(est.offsetMs - this.lastClockWarn.offset) > 1_000) {
        this.lastClockWarn = { at: t, offset: est.offsetMs };
        authLog(
          this.log,
          "warn",
          {
            clock_offset_ms: est.offsetMs,
            offset_low_ms: est.lowMs,
            offset_high_ms: est.highMs,
            local_clock_utc: new Date(t).toISOString(),
            exchange_date: res.date,
            applied: this.applyClockOffset,
          },
          `local clock differs from the exchange by ${(est.offsetMs / 1000).toFixed(1)} s ` +
            (this.applyClockOffset
              ? "(offset applied to nonces)"
              : "(nonces outside ±60 s are refused with 40102; sync the clock or enable the offset)"),
        );
      }
    }
    return sample;
  }

  /** After a 40102 with applyClockOffset: re-base the nonce to the measured exchange clock. */
  private resyncNonce(method: string): boolean {
    if (!this.applyClockOffset || !this.clock.estimate) return false;
    const back = this.nonces.rebase();
    authLog(
      this.log,
      "warn",
      { method, clock_offset_ms: this.clock.estimate.offsetMs, rebased_back_ms: back },
      `nonce refused (40102); retrying once with the measured clock offset`,
    );
    return true;
  }

  private shapeError(method: string, e: unknown): never {
    if (e instanceof ResponseShapeError) {
      throw new ExchangeError({ method, category: "unknown", message: e.message, cause: e });
    }
    throw e;
  }

  /** Reads (and idempotent cancels): retry with jittered back-off on retryable failures. */
  private async callRead<T>(
    method: string,
    params: Params | undefined,
    parse: (result: unknown) => T,
  ): Promise<T> {
    let nonceRetried = false;
    for (let attempt = 1; ; attempt++) {
      const raw = await this.request(method, params);
      if (raw.ok) {
        this.limiter.onSuccess(method);
        try {
          return parse(raw.result);
        } catch (e) {
          this.shapeError(method, e);
        }
      }
      const err = raw.error!;
      if (err.category === "rate_limit") this.limiter.onRateLimited(method);
      if (err.category === "nonce" && !nonceRetried && this.resyncNonce(method)) {
        nonceRetried = true;
        continue;
      }
      if (!isRetryableRead(err) || attempt >= this.retry.maxAttempts) throw err;
      if (err.category !== "rate_limit") await sleep(backoffDelay(attempt, this.retry, this.random));
    }
  }

  /** One create attempt: rate limited, signed, sent; its answer as placement.ts reads it. */
  private async attempt(method: string, params: Params): Promise<AttemptResult> {
    const raw = await this.request(method, params);
    if (raw.ok) this.limiter.onSuccess(method);
    return { ok: raw.ok, result: raw.result, error: raw.error, staleAfter: this.staleAfter(raw) };
  }

  /** Local instant after which the exchange would refuse this request's nonce as stale. */
  private staleAfter(raw: RawResponse): number {
    const margin = 5_000;
    const est = this.clock.estimate;
    if (raw.request.nonce !== undefined) {
      return raw.request.nonce + this.nonceWindowMs - (est?.offsetMs ?? 0) + margin;
    }
    return (raw.sentAt ?? this.now()) + this.nonceWindowMs + margin;
  }

  private place(
    method: string,
    params: Params,
    clientOid: string,
    trigger: boolean,
    parseAck: (result: unknown) => { orderId: string; clientOid?: string | undefined },
  ): Promise<PlaceOrderOutcome> {
    const client = this;
    let nonceRetried = false;
    const ctx: PlacementContext = {
      attempt() {
        return client.attempt(method, params);
      },
      probe() {
        return client.probeOrder(clientOid, trigger);
      },
      beforeResend(err) {
        if (err.category === "rate_limit") client.limiter.onRateLimited(method);
        if (err.category === "nonce") {
          if (nonceRetried) return false;
          nonceRetried = true;
          return client.resyncNonce(method);
        }
        return true;
      },
      policy: this.createPolicy,
      probeDelaysMs: this.probeDelaysMs,
      random: this.random,
    };
    return placeWithProbe(ctx, clientOid, parseAck, rejectedOrderId);
  }

  // ------------------------------------------------------------------------------------------
  // Public market data

  getInstruments(opts: { refresh?: boolean } = {}): Promise<Instrument[]> {
    return this.instruments.all(opts.refresh ?? false);
  }

  getInstrument(symbol: string): Promise<Instrument | undefined> {
    return this.instruments.get(symbol);
  }

  getTickers(symbol?: string): Promise<DecTicker[]> {
    return this.callRead(
      "public/get-tickers",
      symbol ? { instrument_name: symbol } : undefined,
      parseTickers,
    );
  }

  getBook(symbol: string, depth = 10): Promise<OrderBook> {
    return this.callRead("public/get-book", { instrument_name: symbol, depth }, (r) => parseBook(r, symbol));
  }

  getCandles(symbol: string, timeframe: string, query: CandleQuery = {}): Promise<DecCandle[]> {
    return this.callRead(
      "public/get-candlestick",
      {
        instrument_name: symbol,
        timeframe,
        count: query.count,
        start_ts: query.startTime,
        end_ts: query.endTime,
      },
      parseCandles,
    );
  }

  getPublicTrades(symbol: string, count?: number): Promise<PublicTrade[]> {
    return this.callRead("public/get-trades", { instrument_name: symbol, count }, parsePublicTrades);
  }

  // ------------------------------------------------------------------------------------------
  // Account

  getBalance(): Promise<AccountBalance> {
    return this.callRead("private/user-balance", {}, parseUserBalance);
  }

  // ------------------------------------------------------------------------------------------
  // Orders

  clientOidFor(intentId: string): string {
    return clientOidFor(intentId);
  }

  placeOrder(req: OrderRequest): Promise<PlaceOrderOutcome> {
    return this.withInstrument(req.symbol, (inst) => {
      const clientOid = this.clientOidFor(req.intentId);
      const params = orderParams(inst, req, clientOid);
      return this.place("private/create-order", params, clientOid, false, parseOrderAck);
    });
  }

  placeTriggerOrder(req: TriggerOrderRequest): Promise<PlaceOrderOutcome> {
    return this.withInstrument(req.symbol, (inst) => {
      const clientOid = this.clientOidFor(req.intentId);
      const params = triggerParams(inst, req, clientOid);
      return this.place("private/advanced/create-order", params, clientOid, true, parseOrderAck);
    });
  }

  placeOco(req: OcoRequest): Promise<PlaceOcoOutcome> {
    return this.withInstrument(req.symbol, async (inst) => {
      const { params, clientOids } = ocoParams(inst, req, (id) => this.clientOidFor(id));
      const out = await this.place("private/advanced/create-oco", params, clientOids[0], true, (r) => ({
        orderId: parseListAck(r),
      }));
      if (out.status !== "accepted") return out;
      const listId = out.probed ? (out.order?.listId ?? "") : out.orderId;
      return { status: "accepted", listId, clientOids, probed: out.probed, attempts: out.attempts };
    });
  }

  /**
   * Runs `use` with the symbol's instrument: at once when the cache holds it fresh (no promise
   * before the order is built and sent), else after the cache's load. A throw (an invalid order, an
   * empty intent id) becomes a rejection, as from an async method.
   */
  private withInstrument<T>(symbol: string, use: (inst: Instrument | undefined) => Promise<T>): Promise<T> {
    const cached = this.instruments.peek(symbol);
    if (cached === undefined) return this.instruments.get(symbol).then(use);
    try {
      return use(cached);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async probeOrder(clientOid: string, trigger = false): Promise<Order | undefined> {
    return trigger ? this.getTriggerOrder({ clientOid }) : this.getOrder({ clientOid });
  }

  cancelOrder(ref: OrderRef): Promise<CancelAck> {
    return this.callRead("private/cancel-order", refParams(ref), parseCancelAck);
  }

  async cancelAllOrders(symbol?: string): Promise<void> {
    await this.callRead(
      "private/cancel-all-orders",
      symbol ? { instrument_name: symbol } : {},
      () => undefined,
    );
  }

  async cancelOco(listId: string): Promise<void> {
    await this.callRead("private/advanced/cancel-oco", { list_id: listId }, () => undefined);
  }

  getOpenOrders(symbol?: string): Promise<Order[]> {
    return this.callRead(
      "private/get-open-orders",
      symbol ? { instrument_name: symbol } : {},
      parseOrderList,
    );
  }

  getOrder(ref: OrderRef): Promise<Order | undefined> {
    return notFoundAsUndefined(this.callRead("private/get-order-detail", refParams(ref), parseOrderDetail));
  }

  getOrderHistory(query: HistoryQuery = {}): Promise<Order[]> {
    return this.callRead("private/get-order-history", historyParams(query), parseOrderList);
  }

  getMyTrades(query: HistoryQuery = {}): Promise<Fill[]> {
    return this.callRead("private/get-trades", historyParams(query), parseFills);
  }

  getOpenTriggerOrders(symbol?: string): Promise<Order[]> {
    return this.callRead(
      "private/advanced/get-open-orders",
      symbol ? { instrument_name: symbol } : {},
      parseOrderList,
    );
  }

  getTriggerOrder(ref: OrderRef): Promise<Order | undefined> {
    return notFoundAsUndefined(
      this.callRead("private/advanced/get-order-detail", refParams(ref), parseOrderDetail),
    );
  }

  async close(): Promise<void> {
    this.limiter.dispose();
    if (this.ownsTransport) await this.transport.close();
  }

  /** Closes at once, failing requests in flight (after an overall deadline); close() waits for them. */
  async destroy(): Promise<void> {
    this.limiter.dispose();
    if (this.ownsTransport) await this.transport.destroy();
  }
}

function refParams(ref: OrderRef): Params {
  return "orderId" in ref ? { order_id: ref.orderId } : { client_oid: ref.clientOid };
}

function historyParams(q: HistoryQuery): Params {
  return {
    instrument_name: q.symbol,
    start_time: q.startTime,
    end_time: q.endTime,
    limit: q.limit,
  };
}

async function notFoundAsUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ExchangeError && e.category === "not_found") return undefined;
    throw e;
  }
}
