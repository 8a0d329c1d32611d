/**
 * `GET /api/health` (liveness: the process answers) and `GET /api/health/ready` (store, market
 * data, exchange and engine; 503 with the same body while not ready).
 *
 * Invariants: liveness never touches the store or the exchange; readiness never throws — a source
 * that fails is a failed check with its reason.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Readiness } from "../contract/types.js";
import type { ApiDeps } from "../deps.js";
import { defineRoute } from "../route.js";
import type { ApiInternals } from "../server.js";

const healthSchema = z.object({ status: z.literal("ok"), version: z.string(), uptime_s: z.number() });
const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.array(
    z.object({
      name: z.enum(["store", "market_data", "exchange", "engine"]),
      ok: z.boolean(),
      detail: z.string(),
    }),
  ),
});

type Check = Readiness["checks"][number];

async function safely(name: Check["name"], fn: () => Promise<Omit<Check, "name">>): Promise<Check> {
  try {
    return { name, ...(await fn()) };
  } catch (e) {
    return { name, ok: false, detail: `check failed: ${e instanceof Error ? e.name : "error"}` };
  }
}

export async function readinessOf(deps: ApiDeps): Promise<Readiness> {
  const checks = await Promise.all([
    safely("store", async () => {
      await deps.store.events.lastSeq();
      return { ok: true, detail: `${deps.store.dialect}, schema ${deps.store.schemaVersion}` };
    }),
    safely("market_data", async () => {
      const watched = (await deps.store.watchlist.list()).filter((w) => w.tradeEnabled || w.alertsEnabled);
      const stale = watched.filter((w) => !deps.market.view(w.symbol).fresh).map((w) => w.symbol);
      if (stale.length) return { ok: false, detail: `stale: ${stale.join(", ")}` };
      return { ok: true, detail: `${watched.length} symbols fresh` };
    }),
    safely("exchange", async () => {
      const s = deps.exchange.state();
      const ok = s.sync_status === "ok" || s.sync_status === "degraded";
      return { ok, detail: s.reason ? `${s.sync_status}: ${s.reason}` : s.sync_status };
    }),
    safely("engine", async () => {
      const running = deps.engine.running();
      return {
        ok: running,
        detail: running ? (deps.engine.leader() ? "running (leader)" : "running") : "not running",
      };
    }),
  ]);
  return { ready: checks.every((c) => c.ok), checks };
}

export async function registerHealthRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: ApiInternals,
): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/health",
      auth: "public",
      response: healthSchema,
      summary: "Liveness",
      tags: ["health"],
    },
    () => ({
      status: "ok" as const,
      version: deps.version,
      uptime_s: Math.max(0, Math.floor((deps.time.now() - internals.startedAt) / 1000)),
    }),
  );
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/health/ready",
      auth: "read",
      response: readinessSchema,
      summary: "Readiness: store, market data, exchange and engine (503 while not ready)",
      tags: ["health"],
    },
    async ({ reply }) => {
      const r = await readinessOf(deps);
      if (!r.ready) reply.code(503);
      return r;
    },
  );
}
