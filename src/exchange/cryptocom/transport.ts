/**
 * HTTP transport: undici with keep-alive, connect/headers/body timeouts plus an overall deadline,
 * optional local address binding (EXCHANGE_LOCAL_ADDRESS), an optional DNS lookup (the doctor's
 * tests map real host names to 127.0.0.1), an optional abort signal that stops every request (a
 * run's deadline) and JSON content type. One stack for the client, the doctor, the outbound-IP echo
 * and the signing proxy's upstream.
 *
 * Invariants:
 * - Bytes are sent exactly as given (the envelope is serialised once, before it gets here).
 * - Every failure is a `TransportError` that says whether the request had been written to the
 *   socket (`written`). After a write the exchange may have acted on it (an order may exist), so
 *   callers treat a written failure as ambiguous. A request that was never written is safe to re-send.
 * - Every failure names the stage it happened in (`stage`: dns / connect / tls / write / response),
 *   read from the error code and from how far the request got, never from message text. This is the
 *   one failure taxonomy of the client and the doctor (diagnostics/path-failure.ts reads it).
 * - Nothing is retried here; retries and ambiguity handling live in retry.ts and client.ts.
 * - Requests to the primary origin (the client's base URL) go straight to its own pool
 *   (primary-connection.ts: pre-connectable with `warm()`, optionally kept warm); other origins
 *   through one shared agent. Either way undici keeps connections alive for `keepAliveMs`.
 * - Per request: one handler object, no URL parsing for a URL already seen, and the overall
 *   deadline on the transport's one timer (request-deadlines.ts), not a timer of its own.
 */
import type { LookupFunction } from "node:net";
import { Agent, type Dispatcher } from "undici";
import { AtpError, type Disposition } from "../../domain/errors.js";
import { displayUrl } from "../../util/url.js";
import { PrimaryConnection } from "./primary-connection.js";
import { RequestDeadlines } from "./request-deadlines.js";

export interface TransportTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From request written to response headers. */
  headersMs: number;
  /** Between body chunks. */
  bodyMs: number;
  /** Overall deadline for one request, queueing in the pool included. */
  requestMs: number;
  /** Idle keep-alive socket lifetime. */
  keepAliveMs: number;
}

export const DEFAULT_TRANSPORT_TIMEOUTS: TransportTimeouts = {
  connectMs: 5_000,
  headersMs: 10_000,
  bodyMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 4_000,
};

export type TransportFailure =
  | "connect_refused"
  | "connect_timeout"
  | "dns"
  | "reset"
  | "headers_timeout"
  | "body_timeout"
  | "request_timeout"
  | "too_large"
  /** The transport's abort signal fired (e.g. the doctor's overall deadline). */
  | "aborted"
  | "other";

/** Where a request was when it failed: resolving the host, connecting, TLS, writing, or awaiting/reading the answer. */
export const FAILURE_STAGES = ["dns", "connect", "tls", "write", "response"] as const;
export type FailureStage = (typeof FAILURE_STAGES)[number];

/** How far a request got before it failed. */
export interface Progress {
  /** A socket was connected for it (TCP, and TLS for https). */
  connected: boolean;
  /** The request had been handed to the socket. */
  written: boolean;
  /** Monotonic ms from dispatch to the failure. */
  latencyMs: number;
}

const NOT_STARTED: Progress = { connected: false, written: false, latencyMs: 0 };

const TLS_ERRNO = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL)/;

function stageOf(kind: TransportFailure, errno: string | undefined, at: Progress): FailureStage {
  if (kind === "dns") return "dns";
  if (errno !== undefined && TLS_ERRNO.test(errno)) return "tls";
  if (at.written) return "response";
  if (at.connected) return "write";
  return "connect";
}

export class TransportError extends AtpError {
  get disposition(): Disposition {
    return "retry";
  }
  /** `transport.<kind>`, e.g. `transport.connect_refused`. */
  get errorCode(): string {
    return `transport.${this.kind}`;
  }
  /** The request had been handed to the socket: the server may have processed it. */
  readonly written: boolean;
  /** A socket had been connected for the request (the server accepted the connection). */
  readonly connected: boolean;
  readonly stage: FailureStage;
  readonly latencyMs: number;

  constructor(
    readonly kind: TransportFailure,
    at: Progress,
    readonly url: string,
    readonly errno: string | undefined,
    cause?: unknown,
  ) {
    super(
      `${kind}${errno ? ` (${errno})` : ""}${at.written ? " after the request was written" : ""}: ${displayUrl(url)}`,
      {
        cause,
      },
    );
    this.name = "TransportError";
    this.written = at.written;
    this.connected = at.connected;
    this.latencyMs = at.latencyMs;
    this.stage = stageOf(kind, errno, at);
  }

  get isTimeout(): boolean {
    return this.kind.endsWith("timeout");
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** The `Date` header, when present. */
  date: string | undefined;
  text: string;
  /** Wall clock (injected `now`) when the request was written and when the headers arrived. */
  sentAt: number;
  receivedAt: number;
  /** Monotonic duration from dispatch to the end of the body, ms. */
  latencyMs: number;
}

export interface TransportOptions {
  localAddress?: string | undefined;
  timeouts?: Partial<TransportTimeouts> | undefined;
  now?: (() => number) | undefined;
  /** Largest accepted response body (bytes). */
  maxBodyBytes?: number | undefined;
  /** DNS lookup for every connection (default: the system resolver). */
  lookup?: LookupFunction | undefined;
  /** Every request, pending or new, fails with kind `aborted` once this fires (a run's deadline). */
  signal?: AbortSignal | undefined;
  /**
   * The origin most requests go to (the client's base URL, e.g. `https://api.crypto.com`): served by
   * a connection pool of its own that requests are dispatched to directly, and that `warm()` can
   * connect ahead of the first request. Other origins share one agent.
   */
  primaryOrigin?: string | undefined;
  /**
   * Keep one connection to the primary origin ready at all times (primary-connection.ts): re-dialled
   * whenever the last one closes or a spare reaches `keepAliveMs` unused. Off by default.
   */
  keepWarm?: boolean | undefined;
}

/** Per-request additions: headers over the JSON defaults, a shorter overall deadline. */
export interface RequestExtras {
  headers?: Record<string, string> | undefined;
  /** Overall deadline of this request instead of `timeouts.requestMs`. */
  timeoutMs?: number | undefined;
}

type LegacyHandler = Dispatcher.DispatchHandler & { onRequestSent?(): void };

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" } as const;
/** The same headers as undici's flat list (read as it is, without walking an object per request). */
const JSON_HEADER_LIST: string[] = Object.entries(JSON_HEADERS).flat();

/** Where a URL is sent: the dispatcher's origin and the request path (pathname + search). */
interface Target {
  origin: string;
  path: string;
}

/** Parsed URLs without a query, kept (bounded) so a request to a known URL parses nothing. */
const MAX_TARGETS = 256;

export class HttpTransport {
  readonly timeouts: TransportTimeouts;
  private readonly agent: Agent;
  private readonly primary: PrimaryConnection | undefined;
  private readonly targets = new Map<string, Target>();
  private readonly deadlines = new RequestDeadlines<Call>();
  private readonly now: () => number;
  private readonly maxBodyBytes: number;
  private readonly signal: AbortSignal | undefined;
  /** The local address connections are bound to (undefined: the system's choice). */
  readonly localAddress: string | undefined;

  constructor(opts: TransportOptions = {}) {
    this.timeouts = { ...DEFAULT_TRANSPORT_TIMEOUTS, ...opts.timeouts };
    this.now = opts.now ?? Date.now;
    this.maxBodyBytes = opts.maxBodyBytes ?? 16 * 1024 * 1024;
    this.signal = opts.signal;
    this.localAddress = opts.localAddress || undefined;
    const connection = {
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: this.timeouts.keepAliveMs,
      keepAliveMaxTimeout: Math.max(this.timeouts.keepAliveMs, 1_000),
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    };
    this.agent = new Agent({ ...connection, ...(opts.lookup ? { connect: { lookup: opts.lookup } } : {}) });
    const origin = originOf(opts.primaryOrigin);
    this.primary = origin
      ? new PrimaryConnection(origin, {
          ...connection,
          lookup: opts.lookup,
          keepWarm: opts.keepWarm ?? false,
        })
      : undefined;
  }

  /**
   * Connects to the primary origin now unless a connection to it is already idle, so the next
   * request does not wait for TCP (and TLS); resolves true when one is ready, false when there is no
   * primary origin or the connection failed (the next request then dials and reports its own failure).
   * An unused connection is closed after `keepAliveMs` like any idle one.
   */
  warm(): Promise<boolean> {
    return this.primary ? this.primary.warm() : Promise.resolve(false);
  }

  /** Connections to the primary origin: open in the pool, and ready but not yet used (warm). */
  primaryConnections(): { pooled: number; spare: number } {
    return this.primary ? this.primary.counts() : { pooled: 0, spare: 0 };
  }

  /** GET `url` with `query` appended (values sent as given; undefined skipped). */
  get(
    url: string,
    query?: Record<string, string | number | undefined>,
    opts: RequestExtras = {},
  ): Promise<HttpResponse> {
    let full = url;
    if (query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
      const s = qs.toString();
      if (s) full += (url.includes("?") ? "&" : "?") + s;
    }
    return this.send("GET", full, undefined, opts.headers, opts.timeoutMs);
  }

  /** POST exactly these bytes as application/json. */
  post(url: string, body: string | Buffer, headers?: Record<string, string>): Promise<HttpResponse> {
    return this.send("POST", url, typeof body === "string" ? Buffer.from(body, "utf8") : body, headers);
  }

  /** The origin and path of `url` (WHATWG parsing), remembered for URLs without a query. */
  private target(url: string): Target {
    const known = this.targets.get(url);
    if (known) return known;
    const parsed = new URL(url);
    const t = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (parsed.search === "") {
      if (this.targets.size >= MAX_TARGETS) this.targets.clear();
      this.targets.set(url, t);
    }
    return t;
  }

  private send(
    method: "GET" | "POST",
    url: string,
    body: Buffer | undefined,
    extraHeaders: Record<string, string> | undefined,
    timeoutMs?: number,
  ): Promise<HttpResponse> {
    let target: Target;
    try {
      target = this.target(url);
    } catch (cause) {
      return Promise.reject(new TransportError("other", NOT_STARTED, url, "ERR_INVALID_URL", cause));
    }
    const signal = this.signal;
    if (signal?.aborted) return Promise.reject(new TransportError("aborted", NOT_STARTED, url, undefined));
    const dispatcher = this.primary?.origin === target.origin ? this.primary.pool : this.agent;
    return new Promise<HttpResponse>((resolve, reject) => {
      const call = new Call(url, this.now, this.maxBodyBytes, signal, this.deadlines, resolve, reject);
      call.arm(timeoutMs ?? this.timeouts.requestMs);
      try {
        dispatcher.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method,
            headers: extraHeaders ? { ...JSON_HEADERS, ...extraHeaders } : JSON_HEADER_LIST,
            ...(body ? { body } : {}),
          },
          call,
        );
      } catch (err) {
        call.onError(err as Error);
      }
    });
  }

  /** Waits for requests in flight (their deadlines still apply), then closes every connection. */
  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.primary?.close()]);
    this.deadlines.dispose();
  }

  /** Closes at once: requests in flight fail now instead of being waited for (an overall deadline passed). */
  async destroy(): Promise<void> {
    await Promise.all([this.agent.destroy(), this.primary?.destroy()]);
    this.deadlines.dispose();
  }
}

/** The http(s) origin of `url`; undefined for anything else (its requests fail when sent, as before). */
function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One request in flight: undici's handler (one object, no closures per request), its overall
 * deadline (on the transport's shared timer) and abort signal, and how far it got.
 */
class Call implements LegacyHandler {
  private connected = false;
  private written = false;
  private sentAt: number;
  private receivedAt = 0;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private abort: ((err?: Error) => void) | undefined;
  private settled = false;
  /** Our own ending (the request deadline or the abort signal), applied once a socket is assigned. */
  private ended: TransportError | undefined;
  private readonly onAbort: (() => void) | undefined;
  private readonly t0 = performance.now();
  /** When the overall deadline passes (monotonic ms). */
  deadline = Number.POSITIVE_INFINITY;

  constructor(
    private readonly url: string,
    private readonly now: () => number,
    private readonly maxBody: number,
    private readonly signal: AbortSignal | undefined,
    private readonly deadlines: RequestDeadlines<Call>,
    private readonly resolve: (res: HttpResponse) => void,
    private readonly reject: (err: TransportError) => void,
  ) {
    this.sentAt = now();
    if (signal) {
      this.onAbort = () => this.end("aborted");
      signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  arm(ms: number): void {
    this.deadline = this.t0 + ms;
    this.deadlines.add(this);
  }

  expire(): void {
    this.end("request_timeout");
  }

  private progress(): Progress {
    return { connected: this.connected, written: this.written, latencyMs: performance.now() - this.t0 };
  }

  private settle(): void {
    this.settled = true;
    this.deadlines.delete(this);
    if (this.onAbort) this.signal?.removeEventListener("abort", this.onAbort);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settle();
    this.reject(classify(err, this.progress(), this.url));
  }

  end(kind: "request_timeout" | "aborted"): void {
    this.ended = new TransportError(kind, this.progress(), this.url, undefined);
    if (this.abort) this.abort(this.ended);
    else this.fail(this.ended);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.connected = true;
    if (this.ended) abort(this.ended);
  }

  onRequestSent(): void {
    this.written = true;
    this.sentAt = this.now();
  }

  onHeaders(statusCode: number, raw: Buffer[] | string[] | null): boolean {
    if (statusCode < 200) return true; // 1xx informational
    this.status = statusCode;
    this.receivedAt = this.now();
    this.headers = rawHeaders(raw);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.maxBody) {
      this.abort?.(new TransportError("too_large", this.progress(), this.url, undefined));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settle();
    const headers = this.headers;
    this.resolve({
      status: this.status,
      headers,
      date: headers.date,
      text: Buffer.concat(this.chunks).toString("utf8"),
      sentAt: this.sentAt,
      receivedAt: this.receivedAt,
      latencyMs: performance.now() - this.t0,
    });
  }

  onError(err: Error): void {
    this.fail(err);
  }
}

function rawHeaders(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toString().toLowerCase();
    const v = raw[i + 1]!.toString();
    out[k] = out[k] === undefined ? v : `${out[k]}, ${v}`;
  }
  return out;
}

function errnoOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    e = (e as { cause?: unknown }).cause;
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Maps undici/Node errors to a TransportError (by error code, never by message text). */
export function classify(err: unknown, at: Progress, url: string): TransportError {
  if (err instanceof TransportError) {
    // Our own deadline/size errors: upgrade to "written" if the write happened meanwhile.
    return (err.written || !at.written) && (err.connected || !at.connected)
      ? err
      : new TransportError(err.kind, { ...at, latencyMs: err.latencyMs }, url, err.errno, err.cause);
  }
  const errno = errnoOf(err);
  const before = { ...at, written: false };
  switch (errno) {
    case "ECONNREFUSED":
      return new TransportError("connect_refused", before, url, errno, err);
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return new TransportError("connect_timeout", at, url, errno, err);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new TransportError("dns", before, url, errno, err);
    case "UND_ERR_HEADERS_TIMEOUT":
      return new TransportError("headers_timeout", at, url, errno, err);
    case "UND_ERR_BODY_TIMEOUT":
      return new TransportError("body_timeout", at, url, errno, err);
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "ECONNABORTED":
      return new TransportError("reset", at, url, errno, err);
    default:
      return new TransportError("other", at, url, errno, err);
  }
}
