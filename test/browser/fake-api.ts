/**
 * A tiny stand-in for the atp API (src/api) for the dashboard's browser tests and development: it
 * serves a built dashboard (index.html for every non-/api path) and answers the contract's routes
 * from a FakeWorld. Auth as the real API does it: POST /api/auth/login {token} sets an HttpOnly
 * SameSite=Strict cookie and answers a CSRF token; every mutation needs both (401 / 403 otherwise);
 * GETs are open (a loopback server). SSE at /api/events (`id:` seq, `event:` kind).
 *
 * Run by hand: `npx tsx test/browser/fake-api.ts [webRoot] [port]` (after `npm run build`).
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import type { ApiEvent } from "../../src/api/contract/types.js";
import { fakeError, registerFakeRoutes } from "./fake-routes.js";
import { FakeWorld } from "./fake-world.js";

export interface FakeApi {
  url: string;
  token: string;
  world: FakeWorld;
  /** Sends one event to every open stream. */
  emit(kind: string, symbol: string | null, payload?: unknown): void;
  /** Open event streams right now. */
  streams(): number;
  close(): Promise<void>;
}

export async function startFakeApi(opts: {
  webRoot: string;
  port?: number;
  token?: string;
}): Promise<FakeApi> {
  const token = opts.token ?? randomBytes(16).toString("hex");
  const world = new FakeWorld();
  const sessions = new Map<string, string>(); // session id → csrf token
  const streams = new Set<ServerResponse>();
  let seq = 0;
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(fastifyStatic, { root: resolve(opts.webRoot), prefix: "/" });

  app.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith("/api/") || req.method === "GET" || req.url === "/api/auth/login") return;
    const csrf = sessions.get(req.cookies.atp_session ?? "");
    if (csrf === undefined) return fakeError(reply, 401, "unauthorized", "log in first");
    if (req.headers["x-csrf-token"] !== csrf)
      return fakeError(reply, 403, "forbidden", "missing or wrong X-CSRF-Token");
    world.received.push({ method: req.method, url: req.url, body: req.body ?? null });
  });

  app.post("/api/auth/login", async (req, reply) => {
    const body = req.body as { token?: unknown } | null;
    if (body?.token !== token) return fakeError(reply, 401, "unauthorized", "wrong token");
    const id = randomBytes(16).toString("hex");
    const csrf = randomBytes(16).toString("hex");
    sessions.set(id, csrf);
    reply.setCookie("atp_session", id, { httpOnly: true, sameSite: "strict", path: "/" });
    return { csrf_token: csrf };
  });
  app.get("/api/auth/session", async (req) => {
    const csrf = sessions.get(req.cookies.atp_session ?? "");
    return { authenticated: csrf !== undefined, csrf_token: csrf ?? null };
  });

  app.get("/api/events", (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(": hello\n\n");
    streams.add(res);
    req.raw.on("close", () => streams.delete(res));
  });

  registerFakeRoutes(app, world);

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith("/api/") || req.method !== "GET")
      return fakeError(reply, 404, "not_found", `no route ${req.method} ${req.url}`);
    return reply.sendFile("index.html");
  });

  const url = await app.listen({ host: "127.0.0.1", port: opts.port ?? 0 });
  return {
    url,
    token,
    world,
    emit(kind, symbol, payload = {}) {
      seq += 1;
      const event: ApiEvent = { seq, at: Date.now(), kind, symbol, payload };
      for (const res of streams) res.write(`id: ${seq}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    streams: () => streams.size,
    async close() {
      for (const res of streams) res.end();
      await app.close();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL("../../dist/web", import.meta.url));
  const fake = await startFakeApi({ webRoot: root, port: Number(process.argv[3] ?? 8000), token: "dev" });
  console.log(`fake API at ${fake.url} — log in: ${fake.url}/login#token=${fake.token}`);
}
