/**
 * The auth hook: decides, before any handler or body parsing, whether a request may proceed.
 *
 * Rules (docs/api.md, "Auth"):
 * - `public` routes, and everything outside /api and /metrics (the dashboard's static files and
 *   /login, which hold no data), pass.
 * - `Authorization: Bearer <token>` matching the API token passes (constant time); a wrong one is
 *   a failure, throttled per client IP (429 + Retry-After once blocked).
 * - A live `atp_session` cookie passes reads; a mutation through it needs `X-CSRF-Token` (403).
 * - A `read` route (GET) from a loopback client passes without credentials while the server is
 *   bound to loopback; bound elsewhere it needs credentials like every other route.
 * - Routes not declared with defineRoute: GET/HEAD are `read`, anything else `write`.
 */
import { isIP } from "node:net";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiAuthOptions } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import type { AuthLevel } from "../route.js";
import { type ApiSession, type ApiSessions, SESSION_COOKIE } from "./sessions.js";
import type { AuthThrottle } from "./throttle.js";
import { secretsEqual } from "./token.js";

export type AuthVia = "bearer" | "cookie" | "loopback";

export interface AuthContext {
  options: ApiAuthOptions;
  sessions: ApiSessions;
  throttle: AuthThrottle;
  /** Called on every refused credential (metrics). */
  onFailure(reason: string): void;
}

declare module "fastify" {
  interface FastifyRequest {
    atpAuthVia?: AuthVia | undefined;
  }
}

export function isLoopbackBindHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}

export function isLoopbackAddress(addr: string | undefined): boolean {
  return addr !== undefined && isIP(addr) !== 0 && isLoopbackBindHost(addr);
}

export function clientIp(req: FastifyRequest): string {
  return req.socket?.remoteAddress ?? req.ip ?? "unknown";
}

export function sessionOf(ctx: AuthContext, req: FastifyRequest): ApiSession | undefined {
  return ctx.sessions.get(req.cookies?.[SESSION_COOKIE]);
}

/** Refuses with 429 while the client IP is blocked. */
export function assertNotThrottled(ctx: AuthContext, req: FastifyRequest): void {
  const s = ctx.throttle.retryAfterS(clientIp(req));
  if (s > 0) {
    throw new ApiHttpError(429, "throttled", `too many failed authentication attempts; retry in ${s} s`, {
      retryable: true,
      details: { retry_after_s: s },
      headers: { "retry-after": String(s) },
    });
  }
}

/** Records a failed attempt and refuses with 401. */
export function authFailure(ctx: AuthContext, req: FastifyRequest, reason: string): ApiHttpError {
  ctx.throttle.fail(clientIp(req));
  ctx.onFailure(reason);
  return new ApiHttpError(401, "unauthorized", `authentication failed (${reason})`, {
    headers: { "www-authenticate": 'Bearer realm="atp"' },
  });
}

function levelOf(req: FastifyRequest): AuthLevel {
  const declared = req.routeOptions?.config?.atpAuth;
  if (declared) return declared;
  const path = req.url.split("?")[0] ?? "";
  if (!path.startsWith("/api/") && path !== "/api" && path !== "/metrics") return "public";
  return req.method === "GET" || req.method === "HEAD" ? "read" : "write";
}

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== "string") return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? (m[1] ?? "").trim() : "";
}

/** Who the request authenticates as (undefined: nobody); throws for a refused credential. */
export function authenticateApiRequest(
  ctx: AuthContext,
  req: FastifyRequest,
  level: AuthLevel,
): AuthVia | undefined {
  const bearer = bearerOf(req);
  if (bearer !== undefined) {
    assertNotThrottled(ctx, req);
    if (bearer && secretsEqual(bearer, ctx.options.token)) return "bearer";
    throw authFailure(ctx, req, "bad bearer token");
  }
  const session = sessionOf(ctx, req);
  if (session) {
    if (level === "write") {
      const csrf = req.headers["x-csrf-token"];
      if (!ctx.sessions.csrfMatches(session, typeof csrf === "string" ? csrf : undefined)) {
        ctx.onFailure("csrf");
        throw new ApiHttpError(403, "forbidden", "a change through the session cookie needs X-CSRF-Token");
      }
    }
    return "cookie";
  }
  if (
    level === "read" &&
    isLoopbackBindHost(ctx.options.host) &&
    isLoopbackAddress(req.socket?.remoteAddress)
  ) {
    return "loopback";
  }
  return undefined;
}

export function installAuthGuard(app: FastifyInstance, ctx: AuthContext): void {
  app.addHook("onRequest", async (req) => {
    const level = levelOf(req);
    if (level === "public") return;
    const via = authenticateApiRequest(ctx, req, level);
    if (!via) {
      throw new ApiHttpError(401, "unauthorized", "this route needs Authorization: Bearer <token>", {
        headers: { "www-authenticate": 'Bearer realm="atp"' },
      });
    }
    req.atpAuthVia = via;
  });
}
