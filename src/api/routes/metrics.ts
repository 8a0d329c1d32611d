/**
 * `GET /metrics`: Prometheus text (src/api/metrics-feed.ts says what it holds). A `read` route:
 * open to loopback scrapers while bound to loopback, the bearer token otherwise.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ApiDeps } from "../deps.js";
import { defineRoute } from "../route.js";
import type { ApiInternals } from "../server.js";

export async function registerMetricsRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: ApiInternals,
): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/metrics",
      auth: "read",
      response: z.string(),
      contentType: "text/plain; version=0.0.4; charset=utf-8",
      summary: "Prometheus metrics (text format 0.0.4)",
      tags: ["health"],
    },
    () => internals.metrics.scrape(deps.store),
  );
}
