/** Test helpers: signed requests over real loopback HTTP and a small WebSocket client. */
import { request } from "node:http";
import WebSocket from "ws";
import { type Params, sign } from "../../src/exchange/cryptocom/signing.js";

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  body: any;
}

export function http(
  url: string,
  opts: { method?: string; body?: string; localAddress?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? "GET",
        localAddress: opts.localAddress,
        headers: { "Content-Type": "application/json", ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface SignOpts {
  apiKey?: string;
  secret?: string;
  nonce?: number | string;
  id?: number | string;
  localAddress?: string;
  /** Rewrites the envelope after signing (tamper tests). */
  mutate?: (env: Record<string, unknown>) => void;
  /** Raw body text override (built from the signed envelope). */
  rawBody?: (env: Record<string, unknown>) => string;
}

let idSeq = 1;

export function signedEnvelope(method: string, params: Params, o: SignOpts = {}): Record<string, unknown> {
  const apiKey = o.apiKey ?? "demo-key";
  const nonce = o.nonce ?? Date.now();
  const id = o.id ?? idSeq++;
  const sig = sign({ method, id, apiKey, params, nonce }, o.secret ?? "demo-secret");
  const env: Record<string, unknown> = { id, method, api_key: apiKey, params, nonce, sig };
  o.mutate?.(env);
  return env;
}

export function privateCall(
  baseUrl: string,
  method: string,
  params: Params = {},
  o: SignOpts = {},
): Promise<HttpResult> {
  const env = signedEnvelope(method, params, o);
  const body = o.rawBody ? o.rawBody(env) : JSON.stringify(env);
  return http(`${baseUrl}/${method}`, { method: "POST", body, localAddress: o.localAddress });
}

export function publicCall(
  baseUrl: string,
  method: string,
  query: Record<string, string> = {},
): Promise<HttpResult> {
  const qs = new URLSearchParams(query).toString();
  return http(`${baseUrl}/${method}${qs ? `?${qs}` : ""}`);
}

export function admin(adminUrl: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
  return http(`${adminUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

// biome-ignore lint/suspicious/noExplicitAny: WebSocket messages are inspected field by field
export type Msg = any;

/** A WebSocket client that queues messages and lets a test await the next one matching a predicate. */
export class WsClient {
  readonly messages: Msg[] = [];
  private waiters: {
    pred: (m: Msg) => boolean;
    resolve: (m: Msg) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  }[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  autoHeartbeat = true;
  private nextId = 1000;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on("close", (code) => {
        this.closeCode = code;
        resolve(code);
        for (const w of this.waiters) {
          clearTimeout(w.timer);
          w.reject(new Error(`socket closed (${code}) while waiting`));
        }
        this.waiters = [];
      });
    });
    ws.on("message", (data: Buffer) => {
      const m = JSON.parse(data.toString("utf8"));
      if (m.method === "public/heartbeat" && this.autoHeartbeat) {
        ws.send(JSON.stringify({ id: m.id, method: "public/respond-heartbeat" }));
      }
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          clearTimeout(w.timer);
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
  }

  static connect(url: string, opts: { localAddress?: string } = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { localAddress: opts.localAddress });
      const c = new WsClient(ws);
      ws.once("open", () => resolve(c));
      ws.once("error", reject);
    });
  }

  send(msg: Record<string, unknown>): number {
    const id = (msg.id as number | undefined) ?? this.nextId++;
    this.ws.send(JSON.stringify({ id, nonce: Date.now(), ...msg }));
    return id;
  }

  /** Resolves with the first message (already received or future) matching `pred`. */
  next(pred: (m: Msg) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<Msg> {
    const found = this.messages.slice(fromIndex).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out waiting for a message (${this.messages.length} received)`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }

  /** Sends a request and awaits the reply with the same id and method. */
  async call(
    method: string,
    params: Record<string, unknown> = {},
    extra: Record<string, unknown> = {},
  ): Promise<Msg> {
    const from = this.messages.length;
    const id = this.send({ method, params, ...extra });
    return this.next((m) => m.id === id && m.method === method, 10_000, from);
  }

  /** `public/auth`; `nonce` defaults to the wall clock (pass the emulator's when it has an injected clock). */
  async auth(apiKey = "demo-key", secret = "demo-secret", nonce = Date.now()): Promise<Msg> {
    const id = this.nextId++;
    const sig = sign({ method: "public/auth", id, apiKey, params: {}, nonce }, secret);
    const from = this.messages.length;
    this.ws.send(JSON.stringify({ id, method: "public/auth", api_key: apiKey, sig, nonce }));
    return this.next((m) => m.id === id && m.method === "public/auth", 10_000, from);
  }

  close(): void {
    this.ws.close();
  }
}
