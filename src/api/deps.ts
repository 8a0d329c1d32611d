/**
 * What the HTTP API is built from: the composition root (src/app) provides every part; the API
 * constructs nothing concrete and imports no exchange code. Sources that need the exchange or the
 * strategy engine (status, balances, decisions, candles, the doctor) are handed over as functions
 * that answer in the contract's shapes (src/api/contract/types.ts), already mapped.
 *
 * Invariants:
 * - Nothing here throws for an exchange failure: a source answers what it last knew, with its time
 *   and whether it is verified, and says why when it knows nothing.
 * - Money crosses as exact decimal strings (contract) or `Dec` (store, services), never numbers.
 */
import type { DoctorReport } from "../diagnostics/types.js";
import type { Logger } from "../log/logger.js";
import type { EventRecord, NewSignal, OrderRecord, Store } from "../store/types.js";
import type { TradeRequest, TradeResult } from "../trading/requests.js";
import type { TradingServices } from "../trading/services/index.js";
import type { TimeSource } from "../util/clock.js";
import type {
  ApiBalance,
  ApiCandleSeries,
  ApiDecision,
  ApiIndicators,
  ApiKeyHygiene,
  ApiMode,
  ExchangeState,
} from "./contract/types.js";
import type { PlatformMetrics } from "./metrics-feed.js";

export interface ApiAuthOptions {
  /** The bearer token (ATP_API_TOKEN, or generated into the data directory). */
  token: string;
  /** Where the server listens: loopback lets read-only GETs from loopback clients through without the token. */
  host: string;
  tls: boolean;
  /** Allowed CORS origins (none by default: no CORS headers at all). */
  corsOrigins: readonly string[];
}

export interface EngineStatus {
  /** This process leads (runs the engine). */
  leader(): boolean;
  /** The engine is running (started, not stopping). */
  running(): boolean;
  /** The mode a new intent would get now (resolveMode). */
  mode(): Promise<ApiMode>;
  /** LIVE_TRADING=true, or the demo: the live switch may be turned on. */
  envLiveTrading: boolean;
  /** Why no live order may be sent now whatever the switch says (key hygiene); undefined when they may. */
  liveRefusal?(): string | undefined;
  /** The start-up key hygiene reading (absent, or undefined: nothing checked). */
  keyHygiene?(): ApiKeyHygiene | undefined;
}

export interface ExchangeStatusSource {
  state(): ExchangeState;
  /** The last verified balances (empty + `reason` when never read). */
  balances(): {
    balances: ApiBalance[];
    totalUsd: string | null;
    asOf: number | null;
    verified: boolean;
    reason: string | null;
  };
}

export interface SymbolView {
  price: string | null;
  decision: ApiDecision | null;
  indicators: ApiIndicators | null;
  fresh: boolean;
  staleReason: string | null;
}

export interface MarketSource {
  /** What the strategy engine knows of a watched symbol right now. */
  view(symbol: string): SymbolView;
  /** Every decision of the symbol's presets (the trace per condition). */
  decisions(symbol: string): ApiDecision[];
  candles(symbol: string, timeframe: string, count: number): Promise<ApiCandleSeries>;
  /** The venue's instrument names (for "did you mean" on unknown symbols). */
  instruments(): Promise<string[]>;
  /** Starts or stops following a symbol after a watchlist change. */
  watch(symbol: string): Promise<void>;
  unwatch(symbol: string): Promise<void>;
}

export interface StrategySource {
  /** The strategies file as JSON. */
  get(): unknown;
  /** Validates and applies (and stores); problems name the field. */
  put(json: unknown): Promise<{ ok: true } | { ok: false; problems: string[] }>;
}

export interface DiagnosticsSource {
  /** Runs the doctor (optionally checking an order); the report is stored by the source. */
  run(order?: Record<string, unknown>): Promise<DoctorReport>;
  /** The API key's masked fingerprint (never the key). */
  keyFingerprint: string | null;
}

export interface DemoControls {
  available: readonly string[];
  current(): string | null;
  set(cause: string | null): Promise<void>;
}

export interface ApiDeps {
  version: string;
  /** The API's clock, and its timers (they pace background work: the dashboard snapshot's refresh). */
  time: TimeSource;
  logger: Logger;
  store: Store;
  services: TradingServices<TradeRequest, TradeResult>;
  auth: ApiAuthOptions;
  /** Where the token file lives (and the webhook secrets' hashes): the data directory. */
  dataDir: string;
  engine: EngineStatus;
  exchange: ExchangeStatusSource;
  market: MarketSource;
  strategies: StrategySource;
  diagnostics: DiagnosticsSource;
  /** Live events besides the store's (prices); the store's events come from `store.onEvent`. */
  liveEvents?: { subscribe(listener: (e: EventRecord) => void): () => void } | undefined;
  /** Only in the demo. */
  demo?: DemoControls | undefined;
  /** The built dashboard (dist/web); the API serves it at `/` when present. */
  webRoot?: string | undefined;
  /** Where the app feeds exchange calls (absent: the server makes its own; ApiServer.metrics either way). */
  metrics?: PlatformMetrics | undefined;
  /** Cancels an open order of ours at the venue, audited as `actor`; answers the order as stored after. */
  cancelOrder?: ((orderId: string, actor: string) => Promise<OrderRecord>) | undefined;
  /** ATP_WEBHOOK_SECRET: the secret of the webhook named `default`. */
  defaultWebhookSecret?: string | undefined;
  /**
   * Hands a checked webhook signal to this process's trader (`Trader.acceptSignal`: the inbox row
   * and its intent in one transaction, then guards and placement); the webhook's 202 awaits its
   * `decided`. `undefined` (or absent) when this process has no trader: the route stores the row in
   * the inbox for the leader's engine.
   */
  acceptSignal?: ((row: NewSignal) => SignalHandover | undefined) | undefined;
}

/** What the trader decided about a webhook signal: what the webhook's 202 says. */
export interface SignalDecision {
  /** accepted: the intent is past its guards (placed, filled, or failed at the venue afterwards). */
  status: "accepted" | "duplicate" | "blocked";
  intentId: string | null;
  /** The guard's code when blocked. */
  reasonCode: string | null;
}

/** A webhook signal handed to this process's trader. */
export interface SignalHandover {
  /**
   * Resolves once the trader has decided about the signal (after the commit that decided it), with
   * undefined when it stored the row in its inbox without deciding; rejects when the trader failed
   * on it (the row may or may not be stored).
   */
  decided: Promise<SignalDecision | undefined>;
}
