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
 */
import type { LookupFunction } from "node:net";
import { Agent, type Dispatcher } from "undici";
import { AtpError, type Disposition } from "../../domain/errors.js";
import { displayUrl } from "../../util/url.js";

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
}

/** Per-request additions: headers over the JSON defaults, a shorter overall deadline. */
export interface RequestExtras {
  headers?: Record<string, string> | undefined;
  /** Overall deadline of this request instead of `timeouts.requestMs`. */
  timeoutMs?: number | undefined;
}

type LegacyHandler = Dispatcher.DispatchHandler & { onRequestSent?(): void };

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" } as const;

export class HttpTransport {
  readonly timeouts: TransportTimeouts;
  private readonly agent: Agent;
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
    this.agent = new Agent({
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: this.timeouts.keepAliveMs,
      keepAliveMaxTimeout: Math.max(this.timeouts.keepAliveMs, 1_000),
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
      ...(opts.lookup ? { connect: { lookup: opts.lookup } } : {}),
    });
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
    return this.send("GET", full, undefined, opts);
  }

  /** POST exactly these bytes as application/json. */
  post(url: string, body: string | Buffer, headers?: Record<string, string>): Promise<HttpResponse> {
    return this.send("POST", url, typeof body === "string" ? Buffer.from(body, "utf8") : body, { headers });
  }

  private send(
    method: "GET" | "POST",
    url: string,
    body: Buffer | undefined,
    { headers: extraHeaders, timeoutMs }: RequestExtras,
  ): Promise<HttpResponse> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      return Promise.reject(new TransportError("other", NOT_STARTED, url, "ERR_INVALID_URL", cause));
    }
    const signal = this.signal;
    if (signal?.aborted) return Promise.reject(new TransportError("aborted", NOT_STARTED, url, undefined));
    const t0 = performance.now();
    const now = this.now;
    const maxBody = this.maxBodyBytes;
    return new Promise<HttpResponse>((resolve, reject) => {
      let connected = false;
      let written = false;
      let sentAt = now();
      let receivedAt = 0;
      let status = 0;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let size = 0;
      let abort: ((err?: Error) => void) | undefined;
      let settled = false;
      /** Our own ending (the request deadline or the abort signal), applied once a socket is assigned. */
      let ended: TransportError | undefined;

      const progress = (): Progress => ({ connected, written, latencyMs: performance.now() - t0 });
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (err: unknown) => {
        if (settled) return;
        settle();
        reject(classify(err, progress(), url));
      };
      const end = (kind: "request_timeout" | "aborted") => {
        ended = new TransportError(kind, progress(), url, undefined);
        if (abort) abort(ended);
        else fail(ended);
      };
      const timer = setTimeout(() => end("request_timeout"), timeoutMs ?? this.timeouts.requestMs);
      const onAbort = () => end("aborted");
      signal?.addEventListener("abort", onAbort, { once: true });

      const handler: LegacyHandler = {
        onConnect(a) {
          abort = a;
          connected = true;
          if (ended) a(ended);
        },
        onRequestSent() {
          written = true;
          sentAt = now();
        },
        onHeaders(statusCode, raw) {
          if (statusCode < 200) return true; // 1xx informational
          status = statusCode;
          receivedAt = now();
          headers = rawHeaders(raw);
          return true;
        },
        onData(chunk) {
          size += chunk.length;
          if (size > maxBody) {
            abort?.(new TransportError("too_large", progress(), url, undefined));
            return false;
          }
          chunks.push(chunk);
          return true;
        },
        onComplete() {
          if (settled) return;
          settle();
          resolve({
            status,
            headers,
            date: headers.date,
            text: Buffer.concat(chunks).toString("utf8"),
            sentAt,
            receivedAt,
            latencyMs: performance.now() - t0,
          });
        },
        onError(err) {
          fail(err);
        },
      };

      try {
        this.agent.dispatch(
          {
            origin: parsed.origin,
            path: parsed.pathname + parsed.search,
            method,
            headers: extraHeaders ? { ...JSON_HEADERS, ...extraHeaders } : JSON_HEADERS,
            ...(body ? { body } : {}),
          },
          handler,
        );
      } catch (err) {
        fail(err);
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Closes at once: requests in flight fail now instead of being waited for (an overall deadline passed). */
  async destroy(): Promise<void> {
    await this.agent.destroy();
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
