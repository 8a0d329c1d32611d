/**
 * The built dashboard (dist/web) at `/`, when `webRoot` exists: its files, and index.html for any
 * other GET outside /api and /metrics (the single-page app's routes). Without it nothing is served
 * there (404 JSON).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export type NotFoundFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

export async function installDashboard(
  app: FastifyInstance,
  webRoot: string | undefined,
): Promise<NotFoundFallback | undefined> {
  if (!webRoot || !existsSync(join(webRoot, "index.html"))) return undefined;
  await app.register(fastifyStatic, { root: webRoot, prefix: "/", index: "index.html", wildcard: true });
  return (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/api" || path.startsWith("/api/") || path === "/metrics") return false;
    void reply.type("text/html; charset=utf-8").sendFile("index.html");
    return true;
  };
}
