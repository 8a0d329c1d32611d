/**
 * CORS, only when origins are configured (deps.auth.corsOrigins): an allowed `Origin` gets the
 * Access-Control headers and its preflight a 204; any other origin gets no CORS headers at all.
 * Credentials (cookies) are never allowed cross-origin: a cross-origin client uses the bearer token.
 */
import type { FastifyInstance } from "fastify";

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  app.addHook("onRequest", async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin !== "string" || !allowed.has(origin)) return;
    reply.header("access-control-allow-origin", origin).header("vary", "Origin");
    if (req.method === "OPTIONS") {
      reply
        .header("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE")
        .header("access-control-allow-headers", "authorization, content-type, x-csrf-token")
        .header("access-control-max-age", "600")
        .code(204)
        .send();
    }
  });
}
