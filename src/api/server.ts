/**
 * `createApiServer(deps)`: the Fastify app of the HTTP API — JSON body parser with size and depth
 * limits, errors in the contract's shape, the auth guard, optional CORS, metrics, every route
 * (src/api/routes/index.ts) and the built dashboard at `/`.
 *
 * Invariants:
 * - Constructs nothing but the HTTP server: every source comes from `deps` (src/api/deps.ts).
 * - Request logging is off (URLs may carry a one-time login code); errors are logged by the error
 *   handler without request bodies.
 * - Configured for (or listening on) a non-loopback address without TLS, it logs a loud warning.
 */
import cookie from "@fastify/cookie";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { type AuthContext, installAuthGuard, isLoopbackBindHost } from "./auth/guard.js";
import { ApiSessions } from "./auth/sessions.js";
import { AuthThrottle } from "./auth/throttle.js";
import { installCors } from "./cors.js";
import { type WatchlistRows, watchlistRead } from "./dashboard-reads.js";
import type { DashboardSnapshot } from "./dashboard-snapshot.js";
import { DataFreshness } from "./data-freshness.js";
import type { ApiDeps } from "./deps.js";
import { installErrorHandlers } from "./errors.js";
import { installJsonParser, MAX_JSON_BYTES } from "./json-body.js";
import { PlatformMetrics } from "./metrics-feed.js";
import type { RouteDoc } from "./route.js";
import { registerApiRoutes } from "./routes/index.js";
import { installDashboard } from "./static.js";
import type { VersionedRead } from "./versioned-read.js";
import type { WebhookUsage } from "./webhook-usage.js";

export interface ApiServer {
  readonly app: FastifyInstance;
  /** Listens; resolves to the base URL (`http://127.0.0.1:8000`). */
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
  inject: FastifyInstance["inject"];
  /** A one-time login code: `/login?code=<code>` sets the session cookie (10 min, once). */
  issueLoginCode(): string;
  /** Where the app feeds exchange calls and errors. */
  readonly metrics: PlatformMetrics;
  /** Every route defined with defineRoute (what the OpenAPI document lists). */
  routes(): readonly RouteDoc[];
  /** The API's own state (tests, the benchmark). */
  readonly internals: ApiInternals;
}

/** What the API's own routes get besides deps. */
export interface ApiInternals {
  auth: AuthContext;
  metrics: PlatformMetrics;
  startedAt: number;
  /** What the API has seen current since the start (the "waiting for data" grace rule). */
  freshness: DataFreshness;
  /** The watchlist kept in memory (versioned-read.ts): the dashboard's section and the webhook's check. */
  watchlist: VersionedRead<WatchlistRows>;
  /** The dashboard state's snapshot (set by the dashboard route). */
  dashboard?: DashboardSnapshot;
  /** The webhooks' deferred last-use times (set by the webhook routes). */
  webhookUsage?: WebhookUsage;
}

export async function createApiServer(deps: ApiDeps): Promise<ApiServer> {
  const log = deps.logger.child({ component: "api" });
  const app: FastifyInstance = Fastify({
    loggerInstance: log as unknown as FastifyBaseLogger,
    // no per-request log lines (the API logs its own failures); fastify 5's non-deprecated form
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_JSON_BYTES,
    trustProxy: false,
    return503OnClosing: true,
  });
  app.decorate("apiRoutes", [] as RouteDoc[]);
  const metrics = deps.metrics ?? new PlatformMetrics();
  const auth: AuthContext = {
    options: deps.auth,
    sessions: new ApiSessions(deps.time),
    throttle: new AuthThrottle(deps.time),
    onFailure: (reason) => metrics.recordAuthFailure(reason),
  };
  const startedAt = deps.time.now();
  const internals: ApiInternals = {
    ...{ auth, metrics, startedAt, freshness: new DataFreshness(startedAt) },
    watchlist: watchlistRead(deps.store, deps.time),
  };
  const warnCleartext = (host: string) =>
    log.warn(
      { host },
      `API bound to ${host} WITHOUT TLS: the token and the session cookie cross the network in clear text; ` +
        "put a TLS proxy in front of it or bind to 127.0.0.1",
    );
  if (!isLoopbackBindHost(deps.auth.host) && !deps.auth.tls) warnCleartext(deps.auth.host);

  installJsonParser(app);
  await app.register(cookie);
  const fallback = await installDashboard(app, deps.webRoot);
  installErrorHandlers(app, fallback);
  if (deps.auth.corsOrigins.length) installCors(app, deps.auth.corsOrigins);
  installAuthGuard(app, auth);
  app.addHook("onResponse", async (req, reply) => {
    metrics.recordHttp(
      req.method,
      req.routeOptions?.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  await metrics.start(deps.store).catch(() => undefined);
  await registerApiRoutes(app, deps, internals);
  await app.ready();

  return {
    app,
    async listen(host, port) {
      if (!isLoopbackBindHost(host) && !deps.auth.tls && isLoopbackBindHost(deps.auth.host))
        warnCleartext(host);
      return app.listen({ host, port });
    },
    close: () => app.close(),
    inject: app.inject.bind(app) as FastifyInstance["inject"],
    issueLoginCode: () => auth.sessions.issueCode(),
    metrics,
    routes: () => app.apiRoutes,
    internals,
  };
}
