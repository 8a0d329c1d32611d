/**
 * The composition root: `createRuntime(report, options)` is the one place that builds concrete
 * objects from the configuration (logger, exchange client, emulator, candle sources, market feed,
 * live signals) and starts and stops them. Every `atp` command gets what it needs from here.
 *
 * Invariants:
 * - Lazy: each object is built on first use, so a command builds only what it needs
 *   (`check-config` no client, the doctor a client but no feed). Built once, then shared.
 * - Everything built that holds a resource is a named component of one `Lifecycle`: added when it
 *   is built, after what it was built from, so `start()` runs in dependency order and `stop()` in
 *   reverse, each stop bounded by a timeout, failures collected, never thrown (lifecycle.ts).
 *   The intended order, with the components of the next issues, is in docs/architecture.md:
 *   store → emulator → exchange client → market feed → live signals → trading engine →
 *   reconciliation → API → notifier.
 * - Below src/app nothing reads configuration or constructs a concrete client; libraries take
 *   what they use (a `CandleSource`, an `ExchangeClient`) from here (test/architecture.test.ts).
 * - The logger knows every configured secret (and the emulator key's) before anything logs.
 */
import type { AppConfig, ConfigReport } from "../config/load.js";
import type { EmulatorConfig, EmulatorConfigInput, EmulatorHandle } from "../emulator/index.js";
import { CryptoComCandleSource } from "../exchange/cryptocom/candle-source.js";
import {
  CryptoComClient,
  type CryptoComClientOptions,
  type ExchangeCallOutcome,
} from "../exchange/cryptocom/client.js";
import { createLogger, type Logger } from "../log/logger.js";
import type { SecretValue } from "../log/redact.js";
import { MarketFeed } from "../market/feed.js";
import { DEFAULT_HEALTH_LIMITS } from "../market/health.js";
import type { CandleSource } from "../market/source.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/types.js";
import type { StrategyConfig } from "../strategy/config.js";
import { LiveSignals } from "../strategy/live-signals.js";
import { MemoryThrottleStore, Throttle, type ThrottleStore } from "../strategy/throttle.js";
import { systemTime, type TimeSource } from "../util/clock.js";
import { Engine } from "./engine.js";
import { type EngineWiring, engineDeps } from "./engine-wiring.js";
import { clientOptionsFrom, marketStreamUrl, userStreamUrl } from "./exchange.js";
import { type Component, Lifecycle, type StopMode, type StopOutcome } from "./lifecycle.js";
import { emulatorDoctorReport } from "./platform/venue-report.js";

/** Which exchange the runtime talks to. */
export type ExchangeTarget =
  /** The exchange the configuration names: base URL, credentials, local address, signing proxy. */
  | { kind: "configured" }
  /** An emulator this process starts (the demo, `atp emulator`); the client signs with `credentials`. */
  | {
      kind: "emulator";
      config?: EmulatorConfigInput | EmulatorConfig;
      host?: string;
      /** Default 0: a free port. */
      port?: number;
      /** When given and `port` is taken, the emulator listens on a free port instead (after calling this). */
      onPortBusy?: (port: number) => void;
      /** One of the emulator's keys, for the exchange client; `label` names the secret in redacted logs. */
      credentials?: { apiKey: string; apiSecret: string; label?: string };
    };

export interface RuntimeOptions {
  /** Name in every log record ("demo", "doctor"). */
  name?: string;
  venue?: ExchangeTarget;
  /** Where logs go (tests); default stderr. */
  logDestination?: NodeJS.WritableStream;
  /** Longest wait for one component's stop (default lifecycle.ts DEFAULT_STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
  /**
   * How long the exchange accepts a request after its nonce (default the client's: Crypto.com's
   * 60 s). Only an emulator with a shorter window warrants less (`atp start --attempt-stale-ms`).
   */
  exchangeRequestWindowMs?: number;
  /** The clock and timers of everything the runtime builds that stamps or waits (tests: ManualTime). */
  time?: TimeSource;
  /** Overrides ATP_DATA_DIR (the demo keeps its own store under ./data/demo). */
  dataDir?: string;
}

/** What the runtime serves the HTTP API with (src/api's ApiServer has this shape). */
export interface ListeningServer {
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export interface RuntimeSignalOptions {
  /** Where throttle state lives (in memory until the store exists). */
  throttleStore?: ThrottleStore;
}

export class Runtime {
  private readonly lifecycle: Lifecycle;
  private readonly built = new Map<string, unknown>();
  private readonly venue: ExchangeTarget;
  private emulatorHandle: EmulatorHandle | undefined;
  private readonly callObservers = new Set<(c: ExchangeCallOutcome) => void>();
  private apiUrl: string | undefined;

  constructor(
    readonly report: ConfigReport,
    private readonly opts: RuntimeOptions = {},
  ) {
    this.lifecycle = new Lifecycle(
      opts.stopTimeoutMs !== undefined ? { stopTimeoutMs: opts.stopTimeoutMs } : {},
    );
    this.venue = opts.venue ?? { kind: "configured" };
    const venue = this.venue;
    if (venue.kind === "emulator") {
      this.lifecycle.add({
        name: "emulator",
        start: async () => {
          // loaded only for an emulator venue: a runtime on a real exchange never holds its code
          const { startEmulatorListening } = await import("./emulator.js");
          this.emulatorHandle = await startEmulatorListening(venue);
        },
        stop: () => this.emulatorHandle?.close(),
      });
    }
  }

  get time(): TimeSource {
    return this.opts.time ?? systemTime;
  }

  get config(): AppConfig {
    return this.report.config;
  }

  /**
   * Builds `name` once with `build` and, when `lifecycle` is given, adds it as a component (after
   * everything built before it). Adding a component to the runtime is one call of this.
   */
  private provide<T>(name: string, build: () => T, lifecycle?: (value: T) => Omit<Component, "name">): T {
    if (this.built.has(name)) return this.built.get(name) as T;
    if (lifecycle && this.lifecycle.stopRequested)
      throw new Error(`cannot build ${name}: the runtime is stopping`);
    const value = build();
    this.built.set(name, value);
    if (lifecycle) this.lifecycle.add({ name, ...lifecycle(value) });
    return value;
  }

  get logger(): Logger {
    return this.provide("logger", () => {
      const secrets: SecretValue[] = [...this.report.secrets];
      const creds = this.venue.kind === "emulator" ? this.venue.credentials : undefined;
      if (creds)
        secrets.push({ value: creds.apiSecret, kind: "secret", label: creds.label ?? "emulator secret" });
      return createLogger({
        secrets,
        ...(this.opts.name ? { name: this.opts.name } : {}),
        ...(this.opts.logDestination ? { destination: this.opts.logDestination } : {}),
      });
    });
  }

  /** The emulator this runtime started (venue "emulator", after `start()`). */
  get emulator(): EmulatorHandle {
    if (this.venue.kind !== "emulator") throw new Error("this runtime's venue is not an emulator");
    if (!this.emulatorHandle)
      throw new Error("the emulator is not listening yet: await runtime.start() first");
    return this.emulatorHandle;
  }

  /** The exchange client for the venue: closed (or, with stop("abort"), destroyed) on stop. */
  get exchange(): CryptoComClient {
    return this.provide(
      "exchange client",
      () => new CryptoComClient(this.clientOptions()),
      (client) => ({ stop: (mode: StopMode) => (mode === "abort" ? client.destroy() : client.close()) }),
    );
  }

  private clientOptions(): CryptoComClientOptions {
    const onCall = (c: ExchangeCallOutcome) => {
      for (const l of this.callObservers) l(c);
    };
    const window = this.opts.exchangeRequestWindowMs;
    const nonce = window !== undefined ? { nonceWindowMs: window } : {};
    if (this.venue.kind === "configured")
      return { ...clientOptionsFrom(this.config, this.logger), onCall, ...nonce };
    const creds = this.venue.credentials;
    return {
      ...nonce,
      baseUrl: this.emulator.baseUrl,
      ...(creds ? { apiKey: creds.apiKey, apiSecret: creds.apiSecret } : {}),
      logger: this.logger,
      onCall,
    };
  }

  /** Observes every request of the venue's exchange client (status, metrics); returns the unsubscribe. */
  onExchangeCall(listener: (c: ExchangeCallOutcome) => void): () => void {
    this.callObservers.add(listener);
    return () => this.callObservers.delete(listener);
  }

  /**
   * The configuration the doctor diagnoses: the loaded one, or for an emulator venue the same with
   * the emulator's base URL, its key, its IP echo and no proxy (after `start()`).
   */
  get doctorReport(): ConfigReport {
    if (this.venue.kind === "configured") return this.report;
    return emulatorDoctorReport(this.report, this.emulator, this.venue.credentials);
  }

  /** The OUTBOUND_IP_URL of the venue: the configured echo, or the emulator's. */
  get outboundIpUrl(): string {
    return this.venue.kind === "emulator" ? this.emulator.ipEchoUrl : this.config.exchange.outboundIpUrl;
  }

  /**
   * Serves `server` (the HTTP API) on host:port as the runtime's last component ("API"): it listens
   * when the runtime starts and closes first when it stops. `apiListeningUrl` is its URL once started.
   */
  serveApi(server: ListeningServer, host: string, port: number): void {
    this.provide(
      "API",
      () => server,
      (s) => ({
        start: async () => {
          this.apiUrl = await s.listen(host, port);
        },
        stop: () => s.close(),
      }),
    );
  }

  /** The API's URL once it listens (serveApi + start). */
  get apiListeningUrl(): string | undefined {
    return this.apiUrl;
  }

  /** The market WebSocket of the venue. */
  get wsMarketUrl(): string {
    return this.venue.kind === "emulator"
      ? this.emulator.wsMarketUrl
      : marketStreamUrl(this.config.exchange.baseUrl);
  }

  /** The user (private) WebSocket of the venue. */
  get wsUserUrl(): string {
    return this.venue.kind === "emulator"
      ? this.emulator.wsUserUrl
      : userStreamUrl(this.config.exchange.baseUrl);
  }

  /** The account's key and secret when the venue has them (the emulator's demo key, or the configured ones). */
  get accountCredentials(): { apiKey: string; apiSecret: string } | undefined {
    if (this.venue.kind === "emulator") return this.venue.credentials;
    const ex = this.config.exchange;
    return ex.apiKey && ex.apiSecret ? { apiKey: ex.apiKey, apiSecret: ex.apiSecret } : undefined;
  }

  /** The mode of orders sent to this venue: DEMO on an emulator this process runs, else LIVE. */
  get liveMode(): "LIVE" | "DEMO" {
    return this.venue.kind === "emulator" ? "DEMO" : "LIVE";
  }

  /**
   * The trading engine (leadership, venues, trader, reconciliation) on the store: built once,
   * started with the runtime, stopped before the store and the exchange client.
   */
  async engine(wiring: EngineWiring = {}): Promise<Engine> {
    if (!this.built.has("trading engine")) {
      const store = await this.store();
      this.provide(
        "trading engine",
        () => new Engine(engineDeps(this, store, wiring)),
        (engine) => ({ start: () => engine.start(), stop: () => engine.stop() }),
      );
    }
    return this.built.get("trading engine") as Engine;
  }

  /** Market time: the emulator's market clock (it may run faster than real time), else the wall clock. */
  get marketNow(): () => number {
    if (this.venue.kind !== "emulator") return Date.now;
    const emulator = this.emulator;
    return () => emulator.exchange.marketNow();
  }

  /** REST and live candles from the venue, through the exchange client and its market stream. */
  get candleSource(): CandleSource {
    return this.provide(
      "candle source",
      () =>
        new CryptoComCandleSource({
          client: this.exchange,
          wsMarketUrl: this.wsMarketUrl,
          logger: this.logger,
        }),
    );
  }

  /**
   * Public REST candles from `baseUrl` without credentials, logger or proxy (the backtester's
   * `--source rest`): a client of its own, closed on stop. `baseUrl` comes back as the client
   * uses it (trailing slashes removed), for the report.
   */
  restCandleSource(baseUrl: string): { source: CandleSource; baseUrl: string } {
    const client = this.provide(
      `public client ${baseUrl}`,
      () => new CryptoComClient({ baseUrl }),
      (c) => ({ stop: (mode: StopMode) => (mode === "abort" ? c.destroy() : c.close()) }),
    );
    return { source: new CryptoComCandleSource({ client, wsMarketUrl: "" }), baseUrl: client.baseUrl };
  }

  /** The market feed over `candleSource`: started with the runtime, stopped before the client. */
  get marketFeed(): MarketFeed {
    return this.provide(
      "market feed",
      () =>
        new MarketFeed(this.candleSource, {
          logger: this.logger,
          now: this.marketNow,
          // the feed measures in market time: on a sped-up emulator the ticker's 90 s limit is 90 s of real time
          ...(this.venue.kind === "emulator"
            ? { limits: { tickerStaleMs: DEFAULT_HEALTH_LIMITS.tickerStaleMs * this.emulator.config.speed } }
            : {}),
        }),
      (feed) => ({ start: () => feed.start(), stop: () => feed.stop() }),
    );
  }

  /**
   * Live strategy evaluation over the market feed (feed → indicators → presets → throttle), started
   * with the feed; stopped before it. Built once: a second call returns the first one's signals.
   */
  async liveSignals(config: StrategyConfig, o: RuntimeSignalOptions = {}): Promise<LiveSignals> {
    if (!this.built.has("live signals")) {
      const feed = this.marketFeed;
      const throttle = await Throttle.open(
        o.throttleStore ?? new MemoryThrottleStore(),
        config.minIntervalMs,
      );
      this.provide(
        "live signals",
        () => new LiveSignals({ feed, config, throttle, logger: this.logger, now: this.marketNow }),
        (live) => ({ stop: () => live.stop() }),
      );
    }
    await this.start();
    return this.built.get("live signals") as LiveSignals;
  }

  /**
   * The store (SQLite in ATP_DATA_DIR, or PostgreSQL with DATABASE_URL), opened and migrated on
   * first use; closed on stop after everything built on it (it is built before them). A schema
   * newer than this atp, or a store that cannot be opened, rejects with the store's typed error.
   */
  store(): Promise<Store> {
    return this.provideAsync(
      "store",
      () =>
        openStore({
          url: this.config.databaseUrl,
          dataDir: this.opts.dataDir ?? this.config.dataDir,
          logger: this.logger,
          now: () => this.time.now(),
        }),
      (store) => ({ stop: () => store.close() }),
    );
  }

  private provideAsync<T>(
    name: string,
    build: () => Promise<T>,
    lifecycle?: (value: T) => Omit<Component, "name">,
  ): Promise<T> {
    const key = `async:${name}`;
    if (this.built.has(key)) return this.built.get(key) as Promise<T>;
    if (this.lifecycle.stopRequested)
      return Promise.reject(new Error(`cannot build ${name}: the runtime is stopping`));
    const pending = build().then((value) => {
      this.built.set(name, value);
      if (lifecycle) this.lifecycle.add({ name, ...lifecycle(value) });
      return value;
    });
    // a failed build may be retried
    pending.catch(() => this.built.delete(key));
    this.built.set(key, pending);
    return pending;
  }

  /** Adds a component built elsewhere (after everything built so far); it starts with `start()`. */
  add<C extends Component>(component: C): C {
    return this.lifecycle.add(component);
  }

  /** Names of the components in start order, with whether each runs. */
  get components(): { name: string; running: boolean }[] {
    return this.lifecycle.components;
  }

  /** Starts every component built and not yet running, in order (again after more were built). */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /**
   * Stops everything in reverse order ("abort": fail requests in flight instead of waiting for
   * them). Never throws; a component that failed or timed out is logged and reported. Idempotent.
   */
  async stop(mode: StopMode = "drain"): Promise<StopOutcome[]> {
    const outcomes = await this.lifecycle.stop(mode);
    for (const o of outcomes) {
      if (o.result !== "stopped")
        this.logger.warn(
          { component: o.name, result: o.result, error: o.error },
          `stopping ${o.name}: ${o.result}`,
        );
    }
    return outcomes;
  }
}

export function createRuntime(report: ConfigReport, options: RuntimeOptions = {}): Runtime {
  return new Runtime(report, options);
}
