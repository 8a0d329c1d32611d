/**
 * Login for the dashboard: `POST /api/auth/login {token}` → an HttpOnly SameSite=Strict session
 * cookie and the session's CSRF token; `GET /api/auth/session` (is this browser logged in, and its
 * CSRF token); `POST /api/auth/logout`; `GET /login?code=…` (the one-time link `atp start` prints)
 * sets the cookie and redirects to `/`.
 *
 * Invariants:
 * - The cookie holds a random session id, never the token; `Secure` when the server runs with TLS.
 * - A wrong token or code is an authentication failure (throttled per IP, counted in metrics).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { assertNotThrottled, authFailure, sessionOf } from "../auth/guard.js";
import { type ApiSession, SESSION_COOKIE, SESSION_IDLE_MS } from "../auth/sessions.js";
import { secretsEqual } from "../auth/token.js";
import type { ApiDeps } from "../deps.js";
import { defineRoute } from "../route.js";
import type { ApiInternals } from "../server.js";

const loginResult = z.object({ csrf_token: z.string(), expires_in_s: z.number().int() });
const sessionState = z.object({
  authenticated: z.boolean(),
  via: z.enum(["bearer", "cookie", "loopback"]).nullable(),
  csrf_token: z.string().nullable(),
});

export async function registerAuthRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: ApiInternals,
): Promise<void> {
  const { auth } = internals;
  const setCookie = (reply: FastifyReply, s: ApiSession) =>
    reply.setCookie(SESSION_COOKIE, s.id, {
      httpOnly: true,
      sameSite: "strict",
      secure: deps.auth.tls,
      path: "/",
      maxAge: SESSION_IDLE_MS / 1000,
    });

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/auth/login",
      auth: "public",
      body: z.strictObject({ token: z.string().min(1, "the API token") }),
      response: loginResult,
      summary: "Log in with the API token: sets the session cookie, returns the CSRF token for changes",
      tags: ["auth"],
    },
    ({ body, request, reply }) => {
      assertNotThrottled(auth, request);
      if (!secretsEqual(body.token, deps.auth.token)) throw authFailure(auth, request, "bad login token");
      const s = auth.sessions.create();
      setCookie(reply, s);
      return { csrf_token: s.csrf, expires_in_s: SESSION_IDLE_MS / 1000 };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/auth/session",
      auth: "public",
      response: sessionState,
      summary: "Whether this client is authenticated (and how), with the session's CSRF token",
      tags: ["auth"],
    },
    ({ request }) => {
      const s = sessionOf(auth, request);
      if (s) return { authenticated: true, via: "cookie" as const, csrf_token: s.csrf };
      return { authenticated: false, via: null, csrf_token: null };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/auth/logout",
      auth: "public",
      response: z.object({ ok: z.literal(true) }),
      summary: "Ends the cookie session",
      tags: ["auth"],
    },
    ({ request, reply }) => {
      auth.sessions.remove(request.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/login",
      auth: "public",
      query: z.object({ code: z.string().min(1) }),
      response: z.null(),
      status: 302,
      summary: "One-time login link (printed by atp start): sets the session cookie, redirects to /",
      tags: ["auth"],
    },
    ({ query, request, reply }) => {
      assertNotThrottled(auth, request);
      if (!auth.sessions.redeemCode(query.code)) throw authFailure(auth, request, "bad login code");
      setCookie(reply, auth.sessions.create());
      reply.header("cache-control", "no-store").redirect("/", 302);
      return undefined;
    },
  );
}
