/**
 * A test `ApiDeps`: a real SQLite store in a temp dir, real TradingServices on it (manual orders
 * recorded and answered by `submit`, default "blocked"), and small fakes for the data sources the
 * composition root provides (exchange status, market views, strategies, diagnostics, demo). Every
 * fake is plain mutable data a test changes directly. Time is a ManualTime.
 *
 * `apiTestServer(opts)` builds the deps and the server; `close()` closes both and removes the dir.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiDecision, ApiMode, ExchangeState } from "../../src/api/contract/types.js";
import type { ApiDeps, SymbolView } from "../../src/api/deps.js";
import { type ApiServer, createApiServer } from "../../src/api/server.js";
import { createLogger } from "../../src/log/logger.js";
import { openStore } from "../../src/store/open.js";
import type { Json, Store } from "../../src/store/types.js";
import type { TradeRequest, TradeResult } from "../../src/trading/requests.js";
import { TradingServices } from "../../src/trading/services/index.js";
import { ManualTime } from "../../src/util/clock.js";
import { fakeDoctorReport, okExchangeState, TEST_API_TOKEN } from "./api-fakes.js";

export { bearer, fakeDoctorReport, okExchangeState, TEST_API_TOKEN } from "./api-fakes.js";

export interface ApiTestOptions {
  host?: string;
  token?: string;
  tls?: boolean;
  corsOrigins?: string[];
  envLiveTrading?: boolean;
  mode?: ApiMode;
  demo?: boolean;
  webRoot?: string;
  submit?: (req: TradeRequest) => Promise<TradeResult>;
  /** Log lines (JSON) go here instead of nowhere. */
  logLines?: string[];
  /** A PostgreSQL URL (test/store/helpers.ts createPgSchema); default: SQLite in the temp dir. */
  storeUrl?: string;
}

export interface ApiTestDeps {
  deps: ApiDeps;
  store: Store;
  time: ManualTime;
  dataDir: string;
  /** Mutable fakes. */
  exchange: { state: ExchangeState; balances: ReturnType<ApiDeps["exchange"]["balances"]> };
  market: {
    views: Map<string, SymbolView>;
    decisions: Map<string, ApiDecision[]>;
    instruments: string[];
    watched: Set<string>;
  };
  strategies: { json: unknown; problems: string[] };
  diagnostics: { runs: (Record<string, unknown> | undefined)[]; verdict: "ok" | "problem" };
  engine: { running: boolean; leader: boolean; mode: ApiMode };
  demo: { cause: string | null };
  submitted: TradeRequest[];
  dispose(): Promise<void>;
}

export async function apiTestDeps(o: ApiTestOptions = {}): Promise<ApiTestDeps> {
  const time = new ManualTime(Date.UTC(2026, 0, 5, 12, 0, 0));
  const dataDir = mkdtempSync(join(tmpdir(), "atp-api-"));
  const lines = o.logLines;
  const logger = createLogger({
    level: lines ? "info" : "silent",
    pretty: false,
    ...(lines
      ? { destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream }
      : {}),
  });
  const store = await openStore({ url: o.storeUrl, dataDir, logger, now: () => time.now() });
  const submitted: TradeRequest[] = [];
  const services = new TradingServices<TradeRequest, TradeResult>({
    store,
    submit: async (req) => {
      submitted.push(req);
      if (o.submit) return o.submit(req);
      throw new Error("no submit configured in this test");
    },
  });
  const t: Omit<ApiTestDeps, "deps" | "dispose"> = {
    store,
    time,
    dataDir,
    exchange: {
      state: okExchangeState(time.now()),
      balances: { balances: [], totalUsd: null, asOf: null, verified: false, reason: "not read yet" },
    },
    market: {
      views: new Map(),
      decisions: new Map(),
      instruments: ["BTC_USD", "ETH_USD", "SOL_USD"],
      watched: new Set(),
    },
    strategies: { json: { presets: {} }, problems: [] },
    diagnostics: { runs: [], verdict: "ok" },
    engine: { running: true, leader: true, mode: o.mode ?? "DRY_RUN" },
    demo: { cause: null },
    submitted,
  };
  const deps: ApiDeps = {
    version: "0.0.0-test",
    time,
    logger,
    store,
    services,
    auth: {
      token: o.token ?? TEST_API_TOKEN,
      host: o.host ?? "127.0.0.1",
      tls: o.tls ?? false,
      corsOrigins: o.corsOrigins ?? [],
    },
    dataDir,
    engine: {
      leader: () => t.engine.leader,
      running: () => t.engine.running,
      mode: async () => t.engine.mode,
      envLiveTrading: o.envLiveTrading ?? false,
    },
    exchange: { state: () => t.exchange.state, balances: () => t.exchange.balances },
    market: {
      view: (s) =>
        t.market.views.get(s) ?? {
          price: null,
          decision: null,
          indicators: null,
          fresh: false,
          staleReason: "no data",
        },
      decisions: (s) => t.market.decisions.get(s) ?? [],
      candles: async (symbol, timeframe) => ({
        symbol,
        timeframe,
        candles: [],
        indicators: { ema10: [], ma50: [], ma200: [], rsi: [] },
        markers: [],
      }),
      instruments: async () => t.market.instruments,
      watch: async (s) => {
        t.market.watched.add(s);
      },
      unwatch: async (s) => {
        t.market.watched.delete(s);
      },
    },
    strategies: {
      get: () => t.strategies.json,
      put: async (json) => {
        if (t.strategies.problems.length) return { ok: false, problems: t.strategies.problems };
        t.strategies.json = json;
        return { ok: true };
      },
    },
    diagnostics: {
      keyFingerprint: "ab12…ef90",
      run: async (order) => {
        t.diagnostics.runs.push(order);
        const report = fakeDoctorReport(t.diagnostics.verdict);
        await store.reports.insert({
          trigger: "api",
          context: (order ?? null) as Json,
          verdict: report.verdict,
          topCause: report.causes[0]?.id,
          report: report as unknown as Json,
        });
        return report;
      },
    },
    demo: o.demo
      ? {
          available: ["ip_not_whitelisted", "clock_skew", "key_revoked"],
          current: () => t.demo.cause,
          set: async (c) => {
            t.demo.cause = c;
          },
        }
      : undefined,
    webRoot: o.webRoot,
  };
  return {
    ...t,
    deps,
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiTestServer extends ApiTestDeps {
  server: ApiServer;
  close(): Promise<void>;
}

export async function apiTestServer(o: ApiTestOptions = {}): Promise<ApiTestServer> {
  const d = await apiTestDeps(o);
  const server = await createApiServer(d.deps);
  return {
    ...d,
    server,
    async close() {
      await server.close();
      await d.dispose();
    },
  };
}
