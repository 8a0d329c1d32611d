/** A scriptable raw WebSocket server on 127.0.0.1:0 (real loopback) for stream tests. */
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export interface WsConn {
  ws: WebSocket;
  openedAt: number;
  received: { at: number; msg: Record<string, unknown> }[];
}

export interface RawWsServer {
  url: string;
  conns: WsConn[];
  /** Resolves with the next message matching `pred` (on any connection). */
  next(
    pred: (m: Record<string, unknown>, c: WsConn) => boolean,
    timeoutMs?: number,
  ): Promise<{ msg: Record<string, unknown>; conn: WsConn }>;
  send(conn: WsConn, msg: unknown): void;
  dropAll(): void;
  close(): Promise<void>;
}

type Handler = (msg: Record<string, unknown>, conn: WsConn, server: RawWsServer) => void;

export async function startRawWsServer(handler: Handler): Promise<RawWsServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const port = (wss.address() as AddressInfo).port;
  const conns: WsConn[] = [];
  const waiters: {
    pred: (m: Record<string, unknown>, c: WsConn) => boolean;
    resolve: (v: { msg: Record<string, unknown>; conn: WsConn }) => void;
  }[] = [];
  const server: RawWsServer = {
    url: `ws://127.0.0.1:${port}`,
    conns,
    next(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error("timed out waiting for a ws message"));
          }
        }, timeoutMs).unref();
      });
    },
    send(conn, msg) {
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(msg));
    },
    dropAll() {
      for (const c of conns) c.ws.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
  wss.on("connection", (ws) => {
    const conn: WsConn = { ws, openedAt: performance.now(), received: [] };
    conns.push(conn);
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      conn.received.push({ at: performance.now(), msg });
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i]!;
        if (w.pred(msg, conn)) {
          waiters.splice(i, 1);
          w.resolve({ msg, conn });
          i--;
        }
      }
      handler(msg, conn, server);
    });
  });
  return server;
}
