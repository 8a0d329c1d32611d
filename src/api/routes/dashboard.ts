/**
 * `GET /api/dashboard/state`: the dashboard's first screen in one answer (src/api/dashboard-state.ts),
 * served from a snapshot rebuilt only when something it shows may have changed
 * (src/api/dashboard-snapshot.ts).
 *
 * Invariant: never a 500 because one part failed — the answer is `partial: true` with the reasons.
 */
import type { FastifyInstance } from "fastify";
import { DashboardReads } from "../dashboard-reads.js";
import { DashboardSnapshot } from "../dashboard-snapshot.js";
import type { ApiDeps } from "../deps.js";
import { dashboardStateSchema } from "../mappers/schemas-dashboard.js";
import { defineRoute, SerializedJson } from "../route.js";
import type { ApiInternals } from "../server.js";

export async function registerDashboardRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: ApiInternals,
): Promise<void> {
  const reads = new DashboardReads(deps.store, deps.time, internals.watchlist);
  const snapshot = new DashboardSnapshot(deps, internals.freshness, reads);
  internals.dashboard = snapshot;
  app.addHook("onClose", async () => snapshot.close());
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/dashboard/state",
      auth: "read",
      response: dashboardStateSchema,
      summary: "Balances, portfolio, orders, positions, watchlist, bot and exchange status, last diagnosis",
      description:
        "Every part is read independently: one that fails leaves its empty value, `partial: true` and a reason in `errors`. " +
        "Balances are never zeros standing in for 'could not read': the last verified values with `exchange.data_verified: false`, or none with the reason. " +
        "`freshness` says whether the data is current, still awaited after a start (the grace period) or stale. " +
        "Served from a snapshot rebuilt after any change this process writes, and at least every second (prices, exchange status); " +
        "writes by other processes (the CLI, a second atp on the same PostgreSQL) show within 5 s.",
      tags: ["dashboard"],
    },
    async () => new SerializedJson(await snapshot.body()),
  );
}
