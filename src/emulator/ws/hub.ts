/**
 * The WebSocket servers (reference §7): `/exchange/v1/market` (market channels) and
 * `/exchange/v1/user` (`public/auth`, private methods, user channels) on the emulator's HTTP server.
 * The hub accepts connections and owns their set; the parts live beside it:
 * - `connection.ts`: one connection's state, heartbeat and sending;
 * - `requests.ts`: routing, `public/auth`, private methods, subscribe / unsubscribe;
 * - `channels.ts`: the channel grammar;
 * - `fan-out.ts`: first messages, market and user pushes, the book heartbeat.
 * Faults handled here: ws_drop (every connection of the targeted sockets terminated, no close frame).
 *
 * Failure modes: a message over `limits.max_request_bytes` is answered `{id: -1, method: "ERROR",
 * code: 40001}` without being parsed or echoed; a frame over WS_MAX_PAYLOAD_BYTES closes the socket
 * with 1009 before it is buffered; an unexpected exception answers 50001 and never ends the process.
 * Every time read by the sockets (heartbeat ids, the per-second allowance, the book heartbeat, auth
 * nonces) is the emulator clock's; only waits are real timers.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { WS_MAX_PAYLOAD_BYTES } from "../config.js";
import type { EmulatedExchange } from "../exchange.js";
import { FaultTimers } from "../faults.js";
import { normaliseIp } from "../keys.js";
import { Connection, type SocketKind } from "./connection.js";
import { FanOut } from "./fan-out.js";
import { RequestRouter } from "./requests.js";

/** How often the book heartbeat is checked (real time; the 5 s it waits for are emulator time). */
const IDLE_CHECK_MS = 1_000;

const PATHS: ReadonlyMap<string, SocketKind> = new Map([
  ["/exchange/v1/user", "user"],
  ["/exchange/v1/market", "market"],
]);

export class WsHub {
  private readonly servers: Record<SocketKind, WebSocketServer>;
  private readonly conns = new Set<Connection>();
  private readonly fanOut: FanOut;
  private readonly router: RequestRouter;
  /** One interval per ws_drop fault, counted from when the fault was installed. */
  private readonly drops: FaultTimers<"ws_drop">;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly ex: EmulatedExchange,
    server: Server,
  ) {
    this.fanOut = new FanOut(ex, this.conns);
    this.router = new RequestRouter(ex, this.fanOut);
    this.servers = {
      // Frames beyond the ceiling are refused (close 1009) before they are buffered; messages over
      // limits.max_request_bytes but under it are answered with an error envelope (accept).
      user: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES }),
      market: new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES }),
    };
    for (const kind of ["user", "market"] as const) {
      this.servers[kind].on("connection", (ws: WebSocket, req: IncomingMessage) =>
        this.accept(ws, kind, req),
      );
    }
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const kind = PATHS.get((req.url ?? "").split("?")[0]!);
      if (!kind) {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
        return;
      }
      this.servers[kind].handleUpgrade(req, socket, head, (ws) =>
        this.servers[kind].emit("connection", ws, req),
      );
    });
    this.unsubscribe.push(ex.market.on((e) => this.fanOut.onMarket(e)));
    this.unsubscribe.push(ex.onUserPush((p) => this.fanOut.onUser(p)));
    this.drops = new FaultTimers(ex.faults, "ws_drop", (f) => {
      const t = setInterval(() => {
        if (ex.faults.isExhausted(f) || !ex.faults.chance(f.probability)) return;
        if (this.dropAll(f.sockets) > 0) ex.faults.markFired(f);
      }, f.every_ms);
      return t.unref();
    });
    this.drops.sync();
    this.idleTimer = setInterval(() => this.fanOut.idleBooks(), IDLE_CHECK_MS);
    this.idleTimer.unref();
  }

  connectionCount(): number {
    return this.conns.size;
  }

  /** Terminates every connection of these sockets (no close frame: clients see 1006). */
  dropAll(kinds: readonly SocketKind[] = ["user", "market"]): number {
    let n = 0;
    for (const c of [...this.conns]) {
      if (!kinds.includes(c.kind)) continue;
      c.terminate();
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    clearInterval(this.idleTimer);
    this.drops.stop();
    for (const c of [...this.conns]) {
      this.forget(c);
      c.terminate();
    }
    await Promise.all(
      Object.values(this.servers).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }

  private accept(ws: WebSocket, kind: SocketKind, req: IncomingMessage): void {
    const c = new Connection(ws, kind, normaliseIp(req.socket.remoteAddress), this.ex);
    this.conns.add(c);
    c.open();
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const max = this.ex.config.limits.max_request_bytes;
      if (data.length > max) {
        c.error(40001, `BAD_REQUEST: message of ${data.length} bytes is over the limit of ${max} bytes`);
        return;
      }
      try {
        this.router.onMessage(c, data.toString("utf8"));
      } catch (err) {
        // A bug must cost one request, never the process (an exception here would be uncaught).
        c.error(50001, `INTERNAL_SERVER_ERROR: ${(err as Error).message}`);
      }
    });
    ws.on("close", () => this.forget(c));
    ws.on("error", () => this.forget(c));
  }

  private forget(c: Connection): void {
    this.conns.delete(c);
    c.stop();
  }
}
