/**
 * Loopback servers for the proxy tests: the emulator (its key whitelisted for 127.0.0.2 only), the
 * real signing proxy (src/proxy) bound on its outbound side to 127.0.0.2 (EXCHANGE_LOCAL_ADDRESS),
 * and a recording upstream (a plain HTTP server that keeps every body the proxy sends and answers
 * what the test says) for what the emulator cannot show: nonces as sent, bytes as relayed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { createLogger } from "../../src/log/logger.js";
import { type SigningProxy, type SigningProxyOptions, startSigningProxy } from "../../src/proxy/index.js";
import { logLines } from "../helpers/log-lines.js";

export const PROXY_KEY = "pxKey7Qw3Er5Ty7Ui9Op1As3";
export const PROXY_SECRET = "pxSecret9Gh7Jk9Lz1Xc3Vb5Nm7Qw";
export const PROXY_TOKEN = "f3a1c9e07b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d";

export interface LoggedProxy extends SigningProxy {
  lines: string[];
}

export async function startLoggedProxy(
  opts: Omit<SigningProxyOptions, "logger" | "apiKey" | "apiSecret" | "token"> &
    Partial<Pick<SigningProxyOptions, "apiKey" | "apiSecret" | "token">>,
): Promise<LoggedProxy> {
  const { destination, lines } = logLines();
  const proxy = await startSigningProxy({
    apiKey: PROXY_KEY,
    apiSecret: PROXY_SECRET,
    token: PROXY_TOKEN,
    ...opts,
    logger: createLogger({
      destination,
      level: "info",
      pretty: false,
      secrets: [{ value: PROXY_SECRET, kind: "secret", label: "proxy secret" }],
    }),
  });
  return Object.assign(proxy, { lines });
}

export interface Recorded {
  method: string;
  body: Record<string, unknown>;
  remote: string;
}

export interface RecordingUpstream {
  url: string;
  seen: Recorded[];
  /** How the next requests are answered (default: 200 {code:0}). */
  answer: (req: Recorded, res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const seen: Recorded[] = [];
  const u: RecordingUpstream = {
    url: "",
    seen,
    answer: (r, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: r.body.id, method: r.method, code: 0, result: {} }));
    },
    close: async () => undefined,
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (c) => {
      text += String(c);
    });
    req.on("end", () => {
      const rec: Recorded = {
        method: (req.url ?? "").split("/").slice(2).join("/"),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        remote: req.socket.remoteAddress ?? "",
      };
      seen.push(rec);
      u.answer(rec, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  u.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  u.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return u;
}

export async function postPrivate(
  proxyUrl: string,
  body: unknown,
  opts: { token?: string | null; passthrough?: boolean; protocol?: "passthrough" | "envelope" } = {},
) {
  const token = opts.token === undefined ? PROXY_TOKEN : opts.token;
  const res = await request(`${proxyUrl}/proxy/private`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token !== null ? { "x-proxy-token": token } : {}),
      ...(opts.passthrough || opts.protocol ? { "x-proxy-protocol": opts.protocol ?? "passthrough" } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: safeJson(text) };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export interface ScriptedProxy {
  url: string;
  /** The request headers of every call, in order. */
  headers: Record<string, string | string[] | undefined>[];
  close(): Promise<void>;
}

/**
 * A stand-in for a signing proxy that answers what the test scripts (a status, headers, a body):
 * the original platform's proxy, a proxy whose failure text says one thing and whose code another.
 */
export async function startScriptedProxy(
  answer: () => { status: number; headers?: Record<string, string>; body: string },
): Promise<ScriptedProxy> {
  const headers: ScriptedProxy["headers"] = [];
  const server: Server = createServer((req, res) => {
    headers.push({ ...req.headers });
    req.resume();
    req.on("end", () => {
      const a = answer();
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A logger whose lines (JSON) the test reads. */
export function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const { destination, lines } = logLines();
  return { logger: createLogger({ destination, level: "info", pretty: false }), lines };
}
