/**
 * Every route of the API, registered in one place (the OpenAPI document lists them in this order).
 * P1 (core): health, metrics, auth, trading, settings, diagnostics, strategies, demo, OpenAPI.
 * P2 (data): dashboard, watchlist, orders and positions, signals and candles, webhooks, events.
 */
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../deps.js";
import { registerOpenApiRoutes } from "../openapi.js";
import type { ApiInternals } from "../server.js";
import { registerAuthRoutes } from "./auth.js";
import { registerDashboardRoutes } from "./dashboard.js";
import { registerDemoRoutes } from "./demo.js";
import { registerDiagnosticsRoutes } from "./diagnostics.js";
import { registerEventRoutes } from "./events.js";
import { registerHealthRoutes } from "./health.js";
import { registerMetricsRoutes } from "./metrics.js";
import { registerOrderRoutes } from "./orders.js";
import { registerSettingsRoutes } from "./settings.js";
import { registerSignalRoutes } from "./signals.js";
import { registerStrategyRoutes } from "./strategies.js";
import { registerTradingRoutes } from "./trading.js";
import { registerWatchlistRoutes } from "./watchlist.js";
import { registerWebhookRoutes } from "./webhooks.js";

export async function registerApiRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: ApiInternals,
): Promise<void> {
  await registerHealthRoutes(app, deps, internals);
  await registerMetricsRoutes(app, deps, internals);
  await registerAuthRoutes(app, deps, internals);
  await registerTradingRoutes(app, deps);
  await registerSettingsRoutes(app, deps);
  await registerDiagnosticsRoutes(app, deps);
  await registerStrategyRoutes(app, deps);
  await registerDemoRoutes(app, deps);
  await registerDashboardRoutes(app, deps, internals);
  await registerWatchlistRoutes(app, deps, internals);
  await registerOrderRoutes(app, deps);
  await registerSignalRoutes(app, deps);
  await registerWebhookRoutes(app, deps, internals);
  await registerEventRoutes(app, deps);
  // last: it documents every route above
  await registerOpenApiRoutes(app);
}
