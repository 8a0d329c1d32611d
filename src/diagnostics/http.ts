/**
 * The doctor's HTTP: one undici Agent per run, so every call (exchange, IP echo, proxy) leaves
 * through the same network path: the same EXCHANGE_LOCAL_ADDRESS binding and, in tests, the same
 * injected DNS lookup. Never retries; every call has its own timeout and also stops at the run's
 * deadline. Failures are classified by error code into the stage that failed (dns / tcp / tls /
 * timeout / deadline), never by message text.
 *
 * The shared client transport (src/exchange/cryptocom/transport.ts) has no DNS injection, which the
 * wrong-environment scenarios need, so this thin layer exists; it returns the same HttpResponse
 * shape, so the shared response, proxy and clock code interpret it.
 */
import type { LookupFunction } from "node:net";
import { Agent } from "undici";
import { classify, type HttpResponse } from "../exchange/cryptocom/transport.js";

export type FailureStage = "dns" | "tcp" | "tls" | "timeout" | "deadline" | "other";

export interface HttpFailure {
  stage: FailureStage;
  /** Error code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED...) when there is one. */
  errno: string | undefined;
  /** Human description (no message text of the error is used for classification). */
  detail: string;
  /** For timeouts: the TCP connection had been established (the server accepted but did not answer). */
  connected: boolean;
  latencyMs: number;
}

export type HttpResult = { ok: true; res: HttpResponse } | { ok: false; failure: HttpFailure };

/** The run's overall deadline; every call stops when it fires. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly endsAt: number;

  constructor(totalMs: number, outer?: AbortSignal) {
    this.endsAt = performance.now() + totalMs;
    this.timer = setTimeout(() => this.controller.abort(new Error("deadline")), totalMs);
    this.timer.unref();
    if (outer) {
      if (outer.aborted) this.controller.abort(outer.reason);
      else outer.addEventListener("abort", () => this.controller.abort(outer.reason), { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - performance.now());
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

const TLS_ERRNO = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_OSSL)/;

export interface ProbeHttpOptions {
  localAddress?: string | undefined;
  lookup?: LookupFunction | undefined;
  callMs: number;
  deadline: Deadline;
}

export class ProbeHttp {
  private readonly agent: Agent;
  private readonly connected = new Set<string>();
  private readonly callMs: number;
  private readonly deadline: Deadline;
  readonly localAddress: string | undefined;

  constructor(opts: ProbeHttpOptions) {
    this.callMs = opts.callMs;
    this.deadline = opts.deadline;
    this.localAddress = opts.localAddress;
    this.agent = new Agent({
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      connect: { timeout: opts.callMs, ...(opts.lookup ? { lookup: opts.lookup } : {}) },
      headersTimeout: opts.callMs,
      bodyTimeout: opts.callMs,
      keepAliveTimeout: 2_000,
    });
    this.agent.on("connect", (origin) => this.connected.add(String(origin)));
  }

  get(url: string, headers?: Record<string, string>): Promise<HttpResult> {
    return this.send("GET", url, undefined, headers);
  }

  post(url: string, body: string, headers?: Record<string, string>): Promise<HttpResult> {
    return this.send("POST", url, body, { "content-type": "application/json", ...headers });
  }

  private async send(
    method: "GET" | "POST",
    url: string,
    body: string | undefined,
    headers: Record<string, string> | undefined,
  ): Promise<HttpResult> {
    const t0 = performance.now();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return this.failure("other", "ERR_INVALID_URL", `${url} is not a URL`, false, t0);
    }
    if (this.deadline.expired) {
      return this.failure("deadline", undefined, "the doctor's overall deadline was reached", false, t0);
    }
    const callTimeout = AbortSignal.timeout(Math.max(1, Math.min(this.callMs, this.deadline.remainingMs())));
    const signal = AbortSignal.any([callTimeout, this.deadline.signal]);
    const sentAt = Date.now();
    try {
      const res = await this.agent.request({
        origin: parsed.origin,
        path: parsed.pathname + parsed.search,
        method,
        headers: { accept: "application/json", ...headers },
        ...(body !== undefined ? { body } : {}),
        signal,
      });
      const receivedAt = Date.now();
      const text = await res.body.text();
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
      }
      return {
        ok: true,
        res: {
          status: res.statusCode,
          headers: flat,
          date: flat.date,
          text,
          sentAt,
          receivedAt,
          latencyMs: performance.now() - t0,
        },
      };
    } catch (err) {
      const connected = this.connected.has(parsed.origin) || this.connected.has(`${parsed.origin}/`);
      if (signal.aborted) {
        const byDeadline = this.deadline.expired && !callTimeout.aborted;
        return this.failure(
          byDeadline ? "deadline" : "timeout",
          undefined,
          byDeadline
            ? "the doctor's overall deadline was reached"
            : connected
              ? `connected, but no answer within ${this.callMs} ms`
              : `no connection within ${this.callMs} ms`,
          connected,
          t0,
        );
      }
      const te = classify(err, { connected: false, written: false, latencyMs: 0 }, url);
      const errno = te.errno;
      if (errno === "EADDRNOTAVAIL") {
        return this.failure(
          "tcp",
          errno,
          `cannot bind to local address ${this.localAddress ?? "?"} (not an address of this host)`,
          false,
          t0,
        );
      }
      if (errno && TLS_ERRNO.test(errno))
        return this.failure("tls", errno, `TLS failed (${errno})`, true, t0);
      switch (te.kind) {
        case "dns":
          return this.failure("dns", errno, `DNS lookup of ${parsed.hostname} failed (${errno})`, false, t0);
        case "connect_refused":
          return this.failure("tcp", errno, `connection to ${parsed.host} refused (${errno})`, false, t0);
        case "connect_timeout":
          return this.failure("tcp", errno, `no TCP connection to ${parsed.host} (${errno})`, false, t0);
        case "reset":
          return this.failure("tcp", errno, `connection to ${parsed.host} reset (${errno})`, connected, t0);
        case "headers_timeout":
        case "body_timeout":
          return this.failure(
            "timeout",
            errno,
            `connected, but no answer within ${this.callMs} ms`,
            true,
            t0,
          );
        default:
          return this.failure(
            "other",
            errno,
            `request to ${parsed.host} failed (${errno ?? "unknown error"})`,
            connected,
            t0,
          );
      }
    }
  }

  private failure(
    stage: FailureStage,
    errno: string | undefined,
    detail: string,
    connected: boolean,
    t0: number,
  ): HttpResult {
    return { ok: false, failure: { stage, errno, detail, connected, latencyMs: performance.now() - t0 } };
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}
