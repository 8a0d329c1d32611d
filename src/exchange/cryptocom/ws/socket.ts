/**
 * A reconnecting Crypto.com WebSocket (reference §7), shared by the market and user streams.
 *
 * Invariants:
 * - Nothing is sent during the first `warmupMs` (1 s) of a connection: the exchange pro-rates its
 *   WS rate limit by the calendar second in which the connection opened.
 * - `public/heartbeat` is answered at once with `public/respond-heartbeat` and the same id
 *   (protocol pings are answered by `ws` itself). A socket silent for `staleMs` is terminated.
 * - On every (re)connect the session hook runs again (auth, resubscribe, gap-fill); reconnects back
 *   off exponentially with jitter (0.5 s … 30 s) and reset after a session has been up for a minute.
 * - Outgoing messages are rate limited (user 150/s, market 100/s); heartbeat replies bypass the queue.
 * - A `FatalSocketError` thrown by the session hook (e.g. `public/auth` refused) stops reconnecting.
 */

import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { AtpError, type Disposition } from "../../../domain/errors.js";
import { type Logger, silentLogger } from "../../../log/logger.js";
import { WS_HEARTBEAT_DEADLINE_MS, WS_HEARTBEAT_MS, WS_WARMUP_MS } from "../constants.js";
import type { RateLimit } from "../endpoints.js";
import { ExchangeError } from "../errors.js";
import { RateLimiter } from "../rate-limiter.js";
import { wireCode } from "../response.js";

export interface WsMessage {
  id?: number | string;
  method?: string;
  code?: number | string;
  message?: string;
  result?: unknown;
  [key: string]: unknown;
}

/** A channel push: `result` carries `subscription`, `channel` and `data`. */
export interface WsPush {
  subscription: string;
  channel: string;
  instrumentName: string | undefined;
  data: unknown[];
  raw: WsMessage;
}

export class FatalSocketError extends AtpError {
  get errorCode(): string {
    return "exchange.stream_refused";
  }
  get disposition(): Disposition {
    return "fatal";
  }

  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "FatalSocketError";
  }
}

export interface SocketOptions {
  url: string;
  warmupMs?: number | undefined;
  reconnectBaseMs?: number | undefined;
  reconnectMaxMs?: number | undefined;
  /** Reconnect when nothing arrives for this long (default heartbeat + deadline + 10 s). */
  staleMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  localAddress?: string | undefined;
  logger?: Logger | undefined;
  random?: (() => number) | undefined;
  /** Outgoing message limit (user API 150/s, market 100/s). */
  sendLimit?: RateLimit | undefined;
}

export interface SessionHandler {
  /** After warm-up on every connection: auth, subscribe, gap-fill. */
  onSession(isReconnect: boolean): Promise<void>;
  onPush(push: WsPush): void;
}

type Events = {
  ready: [];
  disconnected: [{ code: number; reason: string; willReconnect: boolean }];
  error: [Error];
};

interface Pending {
  resolve: (m: WsMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  method: string;
}

export class ReconnectingSocket extends EventEmitter<Events> {
  private ws: WebSocket | undefined;
  private stopped = true;
  private attempt = 0;
  private sessions = 0;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private sessionStartedAt = 0;
  private readonly limiter: RateLimiter;
  private readonly log: Logger;
  private readonly random: () => number;
  readonly warmupMs: number;
  private readonly staleMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly opts: SocketOptions,
    private readonly handler: SessionHandler,
  ) {
    super();
    this.warmupMs = opts.warmupMs ?? WS_WARMUP_MS;
    this.staleMs = opts.staleMs ?? WS_HEARTBEAT_MS + WS_HEARTBEAT_DEADLINE_MS + 10_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.log = opts.logger ?? silentLogger();
    this.random = opts.random ?? Math.random;
    const limit = opts.sendLimit ?? { limit: 100, windowMs: 1_000 };
    this.limiter = new RateLimiter({ limitFor: () => limit, marginRatio: 0.05 });
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.staleTimer);
    this.limiter.dispose();
    const ws = this.ws;
    this.ws = undefined;
    this.failPending(new ExchangeError({ method: "ws", category: "network", message: "socket stopped" }));
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once("close", () => resolve());
        ws.close(1000, "client stop");
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1_000).unref();
      });
    }
  }

  /** Next request id (shared by the streams for their signed auth). */
  newId(): number {
    return this.nextId++;
  }

  /** Sends a request and resolves with the reply carrying its id (rejects on a non-zero code). */
  async request(method: string, fields: Record<string, unknown> = {}): Promise<WsMessage> {
    const id = typeof fields.id === "number" ? fields.id : this.newId();
    const body = { ...fields, id, method };
    const reply = new Promise<WsMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(String(id));
        reject(new ExchangeError({ method, category: "timeout", message: `no reply to ${method} id=${id}` }));
      }, this.requestTimeoutMs);
      this.pending.set(String(id), { resolve, reject, timer, method });
    });
    await this.send(body);
    return reply;
  }

  /** Sends one message through the outgoing rate limit. */
  async send(msg: Record<string, unknown>): Promise<void> {
    await this.limiter.acquire("ws");
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      throw new ExchangeError({
        method: String(msg.method),
        category: "network",
        message: "socket not open",
      });
    }
    ws.send(JSON.stringify(msg));
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.opts.url, {
      handshakeTimeout: 10_000,
      ...(this.opts.localAddress ? { localAddress: this.opts.localAddress } : {}),
    });
    this.ws = ws;
    let warmup: NodeJS.Timeout | undefined;
    ws.on("open", () => {
      this.touch();
      warmup = setTimeout(() => void this.runSession(ws), this.warmupMs);
    });
    ws.on("message", (data) => {
      this.touch();
      this.onMessage(ws, data.toString());
    });
    ws.on("error", (err) => {
      this.log.debug({ err, url: this.opts.url }, "ws error");
    });
    ws.on("close", (code, reasonBuf) => {
      clearTimeout(warmup);
      if (this.ws !== ws) return;
      this.ws = undefined;
      clearTimeout(this.staleTimer);
      const reason = reasonBuf.toString();
      this.failPending(
        new ExchangeError({ method: "ws", category: "network", message: `closed ${code} ${reason}` }),
      );
      const willReconnect = !this.stopped;
      this.emit("disconnected", { code, reason, willReconnect });
      if (willReconnect) this.scheduleReconnect();
    });
  }

  private async runSession(ws: WebSocket): Promise<void> {
    if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
    const isReconnect = this.sessions > 0;
    try {
      await this.handler.onSession(isReconnect);
      this.sessions += 1;
      this.sessionStartedAt = performance.now();
      this.emit("ready");
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (this.listenerCount("error") > 0) this.emit("error", err);
      if (e instanceof FatalSocketError) {
        this.stopped = true;
        ws.close(1000, "fatal");
        return;
      }
      if (this.ws === ws) ws.terminate(); // reconnect and try the session again
    }
  }

  private scheduleReconnect(): void {
    if (performance.now() - this.sessionStartedAt > 60_000) this.attempt = 0;
    this.attempt += 1;
    const base = this.opts.reconnectBaseMs ?? 500;
    const max = this.opts.reconnectMaxMs ?? 30_000;
    const step = Math.min(max, base * 2 ** (this.attempt - 1));
    const delay = Math.round(step / 2 + (step / 2) * this.random());
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private touch(): void {
    clearTimeout(this.staleTimer);
    const ws = this.ws;
    this.staleTimer = setTimeout(() => {
      if (ws && this.ws === ws) {
        this.log.warn({ url: this.opts.url, stale_ms: this.staleMs }, "ws silent too long; reconnecting");
        ws.terminate();
      }
    }, this.staleMs);
  }

  private failPending(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  private onMessage(ws: WebSocket, text: string): void {
    let msg: WsMessage;
    try {
      msg = JSON.parse(text) as WsMessage;
    } catch {
      this.log.warn({ url: this.opts.url }, "ws: non-JSON message ignored");
      return;
    }
    if (msg.method === "public/heartbeat") {
      // Answer at once, outside the send queue: a late reply closes the connection.
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ id: msg.id, method: "public/respond-heartbeat" }));
      }
      return;
    }
    const push = asPush(msg);
    const p = msg.id !== undefined ? this.pending.get(String(msg.id)) : undefined;
    if (p && (!push || p.method === "subscribe")) {
      this.pending.delete(String(msg.id));
      clearTimeout(p.timer);
      const code = wireCode(msg.code) ?? 0;
      if (code === 0) p.resolve(msg);
      else p.reject(new ExchangeError({ method: p.method, code, message: msg.message }));
    }
    if (push) {
      try {
        this.handler.onPush(push);
      } catch (e) {
        if (this.listenerCount("error") > 0)
          this.emit("error", e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}

function asPush(msg: WsMessage): WsPush | undefined {
  const r = msg.result;
  if (!r || typeof r !== "object" || Array.isArray(r)) return undefined;
  const res = r as Record<string, unknown>;
  const subscription = typeof res.subscription === "string" ? res.subscription : undefined;
  const channel = typeof res.channel === "string" ? res.channel : subscription;
  if (!channel || !Array.isArray(res.data)) return undefined;
  return {
    subscription: subscription ?? channel,
    channel,
    instrumentName: typeof res.instrument_name === "string" ? res.instrument_name : undefined,
    data: res.data,
    raw: msg,
  };
}
