/**
 * WebSocket servers (reference §7): `/exchange/v1/market` (market channels) and `/exchange/v1/user`
 * (`public/auth`, private methods, user channels), both with the exchange's heartbeat: the server
 * sends `public/heartbeat` every `heartbeat_ms` and closes with 1000 when the matching
 * `public/respond-heartbeat` does not arrive within `heartbeat_deadline_ms`.
 *
 * Pushes have `id: -1` and `method: "subscribe"`; a user channel's first message carries the
 * subscribe request's id and the current snapshot. Books: a snapshot (`book`), then deltas
 * (`book.update`) whose `pu` is the previous message's `u` on that subscription.
 * Faults: ws_drop (terminate, no close frame), heartbeat_stall (a connection goes silent),
 * book_gap (a delta is skipped), and error/latency/reset_before/lose_response on private methods.
 *
 * Failure modes: a message over `limits.max_request_bytes` is answered `{id: -1, method: "ERROR",
 * code: 40001}` without being parsed or echoed; a frame over WS_MAX_PAYLOAD_BYTES closes the socket
 * with 1009 before it is buffered; error replies quote at most ECHO_MAX characters of the request;
 * an unexpected exception answers 50001 and never ends the process. Every time read here (heartbeat
 * ids, the per-second allowance, the book heartbeat) is the emulator clock's.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { Timeframe } from "../../exchange/cryptocom/constants.js";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parseJsonBody,
  scalarText,
} from "../../exchange/cryptocom/json-text.js";
import { authenticate } from "../auth.js";
import { type FaultConfig, WS_MAX_PAYLOAD_BYTES } from "../config.js";
import type { EmulatedExchange, UserPush } from "../exchange.js";
import { envelope, fail, faultMessage, idToken, type Reply } from "../http/envelope.js";
import type { KeyRecord } from "../keys.js";
import { normaliseIp } from "../keys.js";
import { diffSide, type WireLevel } from "../market/book.js";
import { timeframeOf } from "../market/candles.js";
import type { MarketEvent, SimulatedMarket } from "../market/market.js";
import { orderToWire } from "../matching/wire.js";
import { CalendarSecondLimiter } from "../rate-limit.js";

export type SocketKind = "user" | "market";

const BOOK_DEPTHS = new Set([10, 50, 150]);
const BOOK_IDLE_MS = 5_000;
/** Error replies quote at most this much of what the client sent (`original`, channel names). */
const ECHO_MAX = 4_096;

function bounded(text: string, max = ECHO_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more characters)`;
}

interface BookSub {
  kind: "book";
  symbol: string;
  depth: number;
  snapshotOnly: boolean;
  lastU: number;
  view: { bids: WireLevel[]; asks: WireLevel[] };
  lastSent: number;
}
interface SimpleSub {
  kind: "ticker" | "trade" | "candlestick";
  symbol: string;
  tf?: Timeframe;
  tfText?: string;
}
interface UserSub {
  kind: "user";
  channel: string;
  instrument: string | undefined;
}
type Sub = BookSub | SimpleSub | UserSub;
type BookWire = ReturnType<SimulatedMarket["bookWire"]>;

class Connection {
  readonly subs = new Map<string, Sub>();
  key: KeyRecord | undefined;
  pendingHeartbeat: number | undefined;
  stalled = false;
  heartbeatTimer: NodeJS.Timeout | undefined;
  deadlineTimer: NodeJS.Timeout | undefined;
  readonly limiter: CalendarSecondLimiter | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly kind: SocketKind,
    readonly ip: string,
    perSecond: number | undefined,
    prorate: boolean,
    now: () => number,
  ) {
    this.limiter = perSecond ? new CalendarSecondLimiter(perSecond, now(), prorate, now) : undefined;
  }
}

export class WsHub {
  private readonly servers: Record<SocketKind, WebSocketServer>;
  private readonly conns = new Set<Connection>();
  private readonly dropTimers = new Map<FaultConfig, NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];
  private closing = false;

  constructor(
    private readonly ex: EmulatedExchange,
    server: Server,
  ) {
    this.servers = {
      // Frames beyond the ceiling are refused (close 1009) before they are buffered; messages over
      // limits.max_request_bytes but under it are answered with an error envelope (onMessage).
      user: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES }),
      market: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES }),
    };
    for (const kind of ["user", "market"] as const) {
      this.servers[kind].on("connection", (ws: WebSocket, req: IncomingMessage) =>
        this.accept(ws, kind, req),
      );
    }
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? "").split("?")[0];
      const kind: SocketKind | undefined =
        path === "/exchange/v1/user" ? "user" : path === "/exchange/v1/market" ? "market" : undefined;
      if (!kind) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      this.servers[kind].handleUpgrade(req, socket, head, (ws) =>
        this.servers[kind].emit("connection", ws, req),
      );
    });
    this.unsubscribe.push(ex.market.on((e) => this.onMarket(e)));
    this.unsubscribe.push(ex.onUserPush((p) => this.onUser(p)));
    ex.faults.onChange(() => this.scheduleDrops());
    this.scheduleDrops();
    this.idleTimer = setInterval(() => this.idleBooks(), 1_000);
    this.idleTimer.unref();
  }

  connectionCount(): number {
    return this.conns.size;
  }

  /** Terminates every connection (no close frame: clients see 1006). */
  dropAll(kinds: readonly SocketKind[] = ["user", "market"]): number {
    let n = 0;
    for (const c of [...this.conns]) {
      if (!kinds.includes(c.kind)) continue;
      c.ws.terminate();
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const u of this.unsubscribe) u();
    clearInterval(this.idleTimer);
    for (const t of this.dropTimers.values()) clearInterval(t);
    this.dropTimers.clear();
    for (const c of [...this.conns]) {
      this.cleanup(c);
      c.ws.terminate();
    }
    await Promise.all(
      Object.values(this.servers).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }

  // ------------------------------------------------------------ connections

  private accept(ws: WebSocket, kind: SocketKind, req: IncomingMessage): void {
    const cfg = this.ex.config;
    const perSecond = cfg.ws_rate_limits
      ? kind === "user"
        ? cfg.limits.ws_user_requests_per_second
        : cfg.limits.ws_market_requests_per_second
      : undefined;
    const c = new Connection(
      ws,
      kind,
      normaliseIp(req.socket.remoteAddress),
      perSecond,
      cfg.switches.ws_prorate_first_second,
      () => this.ex.clock.now(),
    );
    this.conns.add(c);
    c.heartbeatTimer = setInterval(() => this.heartbeat(c), cfg.heartbeat_ms);
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const max = cfg.limits.max_request_bytes;
      if (data.length > max) {
        const why = `BAD_REQUEST: message of ${data.length} bytes is over the limit of ${max} bytes`;
        this.sendRaw(c, this.errorText(40001, why));
        return;
      }
      try {
        this.onMessage(c, data.toString("utf8"));
      } catch (err) {
        // A bug must cost one request, never the process (an exception here would be uncaught).
        this.sendRaw(c, this.errorText(50001, `INTERNAL_SERVER_ERROR: ${(err as Error).message}`));
      }
    });
    ws.on("close", () => this.cleanup(c));
    ws.on("error", () => this.cleanup(c));
  }

  private cleanup(c: Connection): void {
    this.conns.delete(c);
    if (c.heartbeatTimer) clearInterval(c.heartbeatTimer);
    if (c.deadlineTimer) clearTimeout(c.deadlineTimer);
  }

  private heartbeat(c: Connection): void {
    // One heartbeat outstanding at a time: its deadline stands even when the interval is shorter.
    if (c.stalled || c.pendingHeartbeat !== undefined) return;
    if (this.ex.faults.has("heartbeat_stall") && this.ex.faults.fire("heartbeat_stall", c.kind)) {
      c.stalled = true;
      return;
    }
    const id = this.ex.clock.now();
    c.pendingHeartbeat = id;
    this.sendRaw(
      c,
      `{"id":${id},"method":"public/heartbeat","code":${this.ex.config.response_number_types ? "0" : '"0"'}}`,
    );
    c.deadlineTimer = setTimeout(() => {
      if (c.pendingHeartbeat === id) c.ws.close(1000, "heartbeat not answered");
    }, this.ex.config.heartbeat_deadline_ms);
  }

  /** One interval per ws_drop fault, counted from when the fault was installed. */
  private scheduleDrops(): void {
    const current = new Set(this.ex.faults.configs());
    for (const [f, t] of this.dropTimers) {
      if (!current.has(f)) {
        clearInterval(t);
        this.dropTimers.delete(f);
      }
    }
    if (this.closing) return;
    for (const f of current) {
      if (f.kind !== "ws_drop" || this.dropTimers.has(f)) continue;
      const t = setInterval(() => {
        if (this.ex.faults.isExhausted(f) || !this.ex.faults.chance(f.probability)) return;
        if (this.dropAll(f.sockets) > 0) this.ex.faults.markFired(f);
      }, f.every_ms);
      t.unref();
      this.dropTimers.set(f, t);
    }
  }

  private sendRaw(c: Connection, text: string): void {
    if (c.stalled || c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(text);
  }

  private reply(c: Connection, id: JsonValue | undefined, method: string, r: Reply): void {
    const nt = this.ex.config.response_number_types;
    this.sendRaw(c, envelope(idToken(id, nt), method, r, nt));
  }

  private push(c: Connection, result: Record<string, unknown>, id: JsonValue | undefined = undefined): void {
    const nt = this.ex.config.response_number_types;
    this.sendRaw(c, envelope(idToken(id, nt), "subscribe", { code: 0, result }, nt));
  }

  // ------------------------------------------------------------ requests

  private onMessage(c: Connection, text: string): void {
    let msg: JsonValue;
    try {
      msg = parseJsonBody(text);
    } catch (err) {
      this.sendRaw(c, this.errorText(40001, `BAD_REQUEST: ${(err as Error).message}`, text));
      return;
    }
    if (!isJsonObject(msg) || typeof msg.method !== "string" || msg.id === undefined) {
      this.sendRaw(c, this.errorText(40003, "INVALID_REQUEST: id and method are required", text));
      return;
    }
    const method = msg.method;
    if (method === "public/respond-heartbeat") {
      const id = scalarText(msg.id);
      if (id !== undefined && Number(id) === c.pendingHeartbeat) {
        c.pendingHeartbeat = undefined;
        if (c.deadlineTimer) clearTimeout(c.deadlineTimer);
      }
      return;
    }
    if (c.limiter && !c.limiter.allow()) {
      this.reply(c, msg.id, method, fail(42901, "TOO_MANY_REQUESTS"));
      return;
    }
    if (method === "subscribe" || method === "unsubscribe") {
      this.subscription(c, msg, method === "subscribe");
      return;
    }
    if (c.kind === "user" && method === "public/auth") {
      this.auth(c, msg);
      return;
    }
    if (c.kind === "user" && method.startsWith("private/")) {
      this.privateCall(c, msg, method).catch((err: unknown) => {
        this.reply(c, msg.id, method, fail(50001, `INTERNAL_SERVER_ERROR: ${(err as Error).message}`));
      });
      return;
    }
    this.reply(c, msg.id, method, fail(40002, "METHOD_NOT_FOUND"));
  }

  /** `{id: -1, method: "ERROR", code, message, original?}`; `original` quotes at most ECHO_MAX characters. */
  private errorText(code: number, message: string, original?: string): string {
    const nt = this.ex.config.response_number_types;
    const echo = original === undefined ? "" : `,"original":${JSON.stringify(bounded(original))}`;
    return `{"id":-1,"method":"ERROR","code":${nt ? code : `"${code}"`},"message":${JSON.stringify(bounded(message))}${echo}}`;
  }

  private auth(c: Connection, msg: JsonObject): void {
    const ex = this.ex;
    const r = authenticate(
      {
        method: "public/auth",
        id: msg.id,
        apiKey: msg.api_key,
        sig: msg.sig,
        nonce: msg.nonce,
        params: msg.params,
        ip: c.ip,
      },
      {
        keys: ex.keys,
        now: ex.clock.now(),
        window: ex.config.nonce_window_ms,
        acceptJavaDepth3: ex.config.switches.accept_java_depth3_signature,
      },
    );
    if (!r.ok) {
      this.reply(c, msg.id, "public/auth", fail(r.code, r.message));
      return;
    }
    c.key = r.key;
    this.reply(c, msg.id, "public/auth", { code: 0 });
  }

  private async privateCall(c: Connection, msg: JsonObject, method: string): Promise<void> {
    const ex = this.ex;
    const key = c.key && ex.keys.get(c.key.apiKey);
    if (!key?.enabled) {
      this.reply(c, msg.id, method, fail(40101, "UNAUTHORIZED"));
      return;
    }
    const faults = ex.faults;
    const delay = faults.latency(method);
    if (delay > 0 && !(await ex.hold(delay))) return; // closed while held
    if (faults.fire("reset_before", method)) {
      c.ws.terminate();
      return;
    }
    const f = faults.fire("error", method);
    if (f) {
      this.reply(c, msg.id, method, fail(f.code, f.message ?? faultMessage(f.code)));
      return;
    }
    const r = ex.callPrivate({
      method,
      key,
      params: msg.params,
      nonceText: scalarText(msg.nonce) ?? scalarText(msg.id),
      ip: c.ip,
      transport: "ws",
    });
    if (faults.fire("lose_response", method)) {
      r.after?.();
      return;
    }
    this.reply(c, msg.id, method, r);
    r.after?.();
  }

  // ------------------------------------------------------------ subscriptions

  private subscription(c: Connection, msg: JsonObject, on: boolean): void {
    const params = isJsonObject(msg.params) ? msg.params : undefined;
    const channels = params?.channels;
    const method = on ? "subscribe" : "unsubscribe";
    if (!Array.isArray(channels) || channels.some((ch) => typeof ch !== "string")) {
      this.reply(c, msg.id, method, fail(40004, "Missing or invalid argument: params.channels"));
      return;
    }
    const names = channels as string[];
    if (c.kind === "user" && !c.key) {
      this.reply(c, msg.id, method, fail(40101, "UNAUTHORIZED"));
      return;
    }
    const parsed: [string, Sub][] = [];
    for (const name of names) {
      const sub = this.parseChannel(c.kind, name, params!);
      if (!sub) {
        this.reply(
          c,
          msg.id,
          method,
          fail(
            this.ex.config.switches.invalid_channel_code,
            `invalid channel {"channels":${JSON.stringify([bounded(name, 256)])}}`,
          ),
        );
        return;
      }
      parsed.push([name, sub]);
    }
    if (!on) {
      for (const [name] of parsed) c.subs.delete(name);
      this.reply(c, msg.id, method, { code: 0 });
      return;
    }
    const fresh = parsed.filter(([name]) => !c.subs.has(name));
    if (c.kind === "market" && c.subs.size + fresh.length > this.ex.config.limits.max_market_subscriptions) {
      this.reply(c, msg.id, method, fail(40107, "EXCEED_MAX_SUBSCRIPTIONS"));
      return;
    }
    for (const [name, sub] of parsed) c.subs.set(name, sub);
    if (c.kind === "market") {
      this.reply(c, msg.id, method, { code: 0 });
      for (const [name, sub] of parsed) this.initialMarket(c, name, sub);
    } else {
      for (const [name, sub] of parsed) this.initialUser(c, msg.id, name, sub as UserSub);
    }
  }

  private parseChannel(kind: SocketKind, name: string, params: JsonObject): Sub | undefined {
    const parts = name.split(".");
    if (kind === "user") {
      const [a, b, c, d] = parts;
      if (a !== "user") return undefined;
      if (b === "balance" && parts.length === 2)
        return { kind: "user", channel: "user.balance", instrument: undefined };
      if ((b === "order" || b === "trade") && parts.length <= 3) {
        if (c !== undefined && !this.ex.market.has(c)) return undefined;
        return { kind: "user", channel: `user.${b}`, instrument: c };
      }
      if ((b === "advanced" || b === "advance") && c === "order" && parts.length <= 4) {
        if (d !== undefined && !this.ex.market.has(d)) return undefined;
        return { kind: "user", channel: "user.advanced.order", instrument: d };
      }
      return undefined;
    }
    const [ch] = parts;
    if (ch === "ticker" || ch === "trade") {
      if (parts.length !== 2 || !this.ex.market.has(parts[1]!)) return undefined;
      return { kind: ch, symbol: parts[1]! };
    }
    if (ch === "book") {
      const symbol = parts[1];
      const depth = parts[2] !== undefined ? Number(parts[2]) : 50;
      if (!symbol || !this.ex.market.has(symbol) || parts.length > 3 || !BOOK_DEPTHS.has(depth))
        return undefined;
      const snapshotOnly = params.book_subscription_type === "SNAPSHOT";
      return {
        kind: "book",
        symbol,
        depth,
        snapshotOnly,
        lastU: 0,
        view: { bids: [], asks: [] },
        lastSent: 0,
      };
    }
    if (ch === "candlestick") {
      if (parts.length !== 3) return undefined;
      const tf = timeframeOf(parts[1]!);
      if (!tf || !this.ex.market.has(parts[2]!)) return undefined;
      return { kind: "candlestick", symbol: parts[2]!, tf, tfText: parts[1]! };
    }
    return undefined;
  }

  private initialMarket(c: Connection, name: string, sub: Sub): void {
    const m = this.ex.market;
    switch (sub.kind) {
      case "book":
        this.bookSnapshot(c, name, sub);
        return;
      case "ticker":
        this.push(c, {
          instrument_name: sub.symbol,
          subscription: name,
          channel: "ticker",
          data: [m.tickerWire(sub.symbol)],
        });
        return;
      case "trade": {
        const tape = m.trades(sub.symbol);
        const last = tape
          .slice(-50)
          .reverse()
          .map((t) => m.tradeToWire(sub.symbol, t));
        this.push(c, { instrument_name: sub.symbol, subscription: name, channel: "trade", data: last });
        return;
      }
      case "candlestick":
        this.pushCandle(c, name, sub);
        return;
      default:
        return;
    }
  }

  private initialUser(c: Connection, id: JsonValue | undefined, name: string, sub: UserSub): void {
    const ex = this.ex;
    const account = c.key!.account;
    let data: unknown[];
    if (sub.channel === "user.balance") data = [ex.balanceRow(account)];
    else if (sub.channel === "user.trade") data = [];
    else {
      const origin = sub.channel === "user.advanced.order" ? "advanced" : "plain";
      data = ex.engine.open(account, { instrument: sub.instrument, origin }).map(orderToWire);
    }
    const result: Record<string, unknown> = { subscription: name, channel: sub.channel, data };
    if (sub.instrument) result.instrument_name = sub.instrument;
    this.push(c, result, id);
  }

  private bookSnapshot(c: Connection, name: string, sub: BookSub, wire?: BookWire): void {
    const b = wire ?? this.ex.market.bookWire(sub.symbol, sub.depth);
    sub.view = { bids: b.bids, asks: b.asks };
    sub.lastU = b.u;
    sub.lastSent = this.ex.clock.now();
    this.push(c, {
      instrument_name: sub.symbol,
      subscription: name,
      channel: "book",
      depth: sub.depth,
      data: [{ asks: b.asks, bids: b.bids, t: b.t, tt: b.t, u: b.u }],
    });
  }

  private pushCandle(c: Connection, name: string, sub: SimpleSub, wire?: Record<string, unknown>): void {
    const m = this.ex.market;
    let data = wire;
    if (!data) {
      const candle = m.latestCandle(sub.symbol, sub.tf!);
      if (!candle) return;
      data = m.candleToWire(sub.symbol, candle);
    }
    this.push(c, {
      instrument_name: sub.symbol,
      subscription: name,
      channel: "candlestick",
      interval: sub.tfText,
      data: [data],
    });
  }

  // ------------------------------------------------------------ market fan-out

  /**
   * Fans one market event out to the market connections. Each wire payload (ticker, book of a
   * depth, candle of a timeframe) is built at most once per event, whatever the subscriber count.
   */
  private onMarket(e: MarketEvent): void {
    if (this.conns.size === 0) return;
    const m = this.ex.market;
    let ticker: Record<string, unknown> | undefined;
    let trade: Record<string, unknown> | undefined;
    const books = new Map<number, BookWire>();
    const bookAt = (depth: number): BookWire => {
      let b = books.get(depth);
      if (!b) {
        b = m.bookWire(e.symbol, depth);
        books.set(depth, b);
      }
      return b;
    };
    const candles = new Map<Timeframe, Record<string, unknown> | null>();
    for (const c of this.conns) {
      if (c.kind !== "market" || c.subs.size === 0) continue;
      for (const [name, sub] of c.subs) {
        if (sub.kind === "user" || sub.symbol !== e.symbol) continue;
        if (e.type === "trade") {
          if (sub.kind === "trade") {
            trade ??= m.tradeToWire(e.symbol, e.trade);
            this.push(c, { instrument_name: e.symbol, subscription: name, channel: "trade", data: [trade] });
          }
          continue;
        }
        if (sub.kind === "book") {
          this.bookDelta(c, name, sub, false, bookAt(sub.depth));
        } else if (e.type === "tick") {
          if (sub.kind === "ticker") {
            ticker ??= m.tickerWire(e.symbol);
            this.push(c, {
              instrument_name: e.symbol,
              subscription: name,
              channel: "ticker",
              data: [ticker],
            });
          } else if (sub.kind === "candlestick") {
            const tf = sub.tf!;
            let candle = candles.get(tf);
            if (candle === undefined) {
              const latest = m.latestCandle(e.symbol, tf);
              candle = latest ? m.candleToWire(e.symbol, latest) : null;
              candles.set(tf, candle);
            }
            if (candle) this.pushCandle(c, name, sub, candle);
          }
        }
      }
    }
  }

  private bookDelta(c: Connection, name: string, sub: BookSub, idle: boolean, wire?: BookWire): void {
    if (sub.snapshotOnly) {
      if (!idle) this.bookSnapshot(c, name, sub, wire);
      return;
    }
    const b = wire ?? this.ex.market.bookWire(sub.symbol, sub.depth);
    const bids = diffSide(sub.view.bids, b.bids);
    const asks = diffSide(sub.view.asks, b.asks);
    if (bids.length === 0 && asks.length === 0 && !idle) return;
    const pu = sub.lastU;
    const u = idle && bids.length === 0 && asks.length === 0 ? pu : b.u;
    sub.view = { bids: b.bids, asks: b.asks };
    sub.lastU = u;
    sub.lastSent = this.ex.clock.now();
    if (!idle && this.ex.faults.has("book_gap") && this.ex.faults.fire("book_gap", sub.symbol)) return;
    this.push(c, {
      instrument_name: sub.symbol,
      subscription: name,
      channel: "book.update",
      depth: sub.depth,
      data: [{ update: { asks, bids }, t: b.t, tt: b.t, u, pu }],
    });
  }

  /** An empty delta after 5 s without change (the exchange's book heartbeat). */
  private idleBooks(): void {
    const now = this.ex.clock.now();
    for (const c of this.conns) {
      for (const [name, sub] of c.subs) {
        if (sub.kind === "book" && !sub.snapshotOnly && now - sub.lastSent >= BOOK_IDLE_MS) {
          this.bookDelta(c, name, sub, true);
        }
      }
    }
  }

  // ------------------------------------------------------------ user fan-out

  private onUser(p: UserPush): void {
    for (const c of this.conns) {
      if (c.kind !== "user" || !c.key || c.key.account !== p.account) continue;
      for (const [name, sub] of c.subs) {
        if (sub.kind !== "user" || sub.channel !== p.channel) continue;
        if (sub.instrument && sub.instrument !== p.instrument) continue;
        const result: Record<string, unknown> = { subscription: name, channel: p.channel, data: p.data };
        if (p.instrument) result.instrument_name = p.instrument;
        this.push(c, result);
      }
    }
  }
}
