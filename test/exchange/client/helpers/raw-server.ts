/** A tiny raw node:http server on 127.0.0.1:0 for transport tests (real loopback, no mocks). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  /** The exact bytes received. */
  body: Buffer;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
}

export type RawHandler = (req: Captured, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface RawServer {
  url: string;
  port: number;
  requests: Captured[];
  /** Number of TCP connections accepted. */
  connections: () => number;
  close(): Promise<void>;
  server: Server;
}

export async function startRawServer(
  handler: RawHandler,
  onConnection?: (s: Socket) => void,
): Promise<RawServer> {
  const requests: Captured[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const cap: Captured = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
        remoteAddress: req.socket.remoteAddress,
        remotePort: req.socket.remotePort,
      };
      requests.push(cap);
      Promise.resolve(handler(cap, res, req)).catch((e) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  server.on("connection", (s) => {
    connections += 1;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    onConnection?.(s);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}
