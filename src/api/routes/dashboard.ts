/**
 * `GET /api/dashboard/state`: the dashboard's first screen in one answer (src/api/dashboard-state.ts).
 *
 * Invariant: never a 500 because one part failed — the answer is `partial: true` with the reasons.
 */
import type { FastifyInstance } from "fastify";
import { dashboardState } from "../dashboard-state.js";
import type { ApiDeps } from "../deps.js";
import { dashboardStateSchema } from "../mappers/schemas-dashboard.js";
import { defineRoute } from "../route.js";

export async function registerDashboardRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
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
        "Balances are never zeros standing in for 'could not read': the last verified values with `exchange.data_verified: false`, or none with the reason.",
      tags: ["dashboard"],
    },
    () => dashboardState(deps),
  );
}
