/**
 * The HTTP API as a runtime component: `createApiServer` (src/api/server.ts) over the platform's
 * ApiDeps, listening on HOST:PORT (default 127.0.0.1:8000) with the token from ATP_API_TOKEN or the
 * data directory's `api-token`, the exchange client's calls fed into its metrics, the built
 * dashboard (dist/web) served at `/` when present.
 *
 * Invariants:
 * - The API is the runtime's last component: it listens after everything it reads from runs, and
 *   closes first on stop (no request meets a closed store).
 * - A busy PORT is said (`onPortBusy`) and a free port used instead: a follower on the same host,
 *   or a second demo, still serves its dashboard. The URL printed is the one listening.
 * - The token is never logged; the caller prints it once, when it was created.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { loadOrCreateApiToken } from "../../api/auth/token.js";
import { PlatformMetrics } from "../../api/metrics-feed.js";
import { createApiServer } from "../../api/server.js";
import { parseChatIds } from "../../notify/deps.js";
import { disabledTelegram, telegramEnabled } from "../../notify/disabled.js";
import type { Runtime } from "../runtime.js";
import type { Platform } from "./platform.js";

export interface ServedApi {
  url: string;
  loginCode: string;
  token: string;
  tokenCreated: boolean;
  tokenFile: string | null;
}

/** True when host:port can be bound now. */
function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** The built dashboard: dist/web beside dist/app (built), or the repository's dist/web (from source). */
function webRoot(): string | undefined {
  const candidates = [
    ...["../../web/", "../../../dist/web/"].map((rel) => fileURLToPath(new URL(rel, import.meta.url))),
    // a bundled CLI (tests) runs from the repository: its build output
    `${process.cwd()}/dist/web/`,
  ];
  for (const dir of candidates) {
    // only a build output (never the dashboard's source folder web/)
    if (/[\\/]dist[\\/]web[\\/]$/.test(dir) && existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

export async function serveApiOn(
  runtime: Runtime,
  platform: Platform,
  o: { dataDir: string; onPortBusy?: (port: number) => void },
): Promise<ServedApi> {
  const server = runtime.config.server;
  const token = loadOrCreateApiToken(o.dataDir, server.apiToken);
  const metrics = new PlatformMetrics();
  runtime.onExchangeCall((c) =>
    metrics.recordExchangeCall(
      c.method,
      c.ok ? "ok" : "error",
      c.ok ? undefined : { code: c.code ?? null, category: c.category ?? "unknown" },
    ),
  );
  const root = webRoot();
  const deps = platform.deps(
    { token: token.token, host: server.host, tls: false, corsOrigins: [] },
    {
      ...(root ? { webRoot: root } : {}),
      ...(server.webhookSecret ? { defaultWebhookSecret: server.webhookSecret } : {}),
    },
  );
  const api = await createApiServer({ ...deps, metrics });
  // Telegram on the same sources and services as the API (disabled, and says so, without a token or chat)
  const tg = runtime.config.telegram;
  const chatIds = parseChatIds(tg.chatId);
  // the bot library is loaded only when Telegram runs (a token and an authorised chat)
  const telegram = !telegramEnabled(tg.botToken, chatIds)
    ? disabledTelegram(deps.logger, tg.botToken)
    : (await import("../../notify/index.js")).createTelegram({
        time: runtime.time,
        logger: deps.logger,
        store: deps.store,
        services: deps.services,
        telegram: { botToken: tg.botToken, chatIds, apiRoot: tg.apiRoot },
        isLeader: () => deps.engine.leader(),
        demo: runtime.liveMode === "DEMO",
        engine: deps.engine,
        exchange: deps.exchange,
        market: deps.market,
        diagnostics: { run: () => deps.diagnostics.run() },
      });
  metrics.observeTelegram(() => telegram.counts());
  runtime.add({ name: "telegram", start: () => telegram.start(), stop: () => telegram.stop() });
  let port = server.port;
  if (port !== 0 && !(await portFree(server.host, port))) {
    o.onPortBusy?.(port);
    port = 0;
  }
  runtime.serveApi(api, server.host, port);
  await runtime.start();
  const url = runtime.apiListeningUrl ?? `http://${server.host}:${port}`;
  return {
    url,
    loginCode: api.issueLoginCode(),
    token: token.token,
    tokenCreated: token.created,
    tokenFile: token.file,
  };
}
