/**
 * `atp start`'s platform, assembled on the runtime: the outbound IP logged once, the doctor run once
 * (report stored, trigger "startup"), then market data and live signals, the engine (trading and
 * reconciliation), the exchange status, and every source the HTTP API is built from (`ApiDeps`).
 *
 * Invariants:
 * - Nothing at start waits on the network: the IP echo, the doctor and each symbol's backfill run
 *   in the background, so the engine runs (and the API answers) however slow or absent the exchange.
 * - No exchange answer rejects startPlatform or escapes as an unhandled rejection: failures become
 *   the status source's reason and recover by themselves.
 * - The demo (venue "emulator") gets DemoControls; any other venue has none.
 * - Key hygiene (key-hygiene-gate.ts) is checked once the client exists, in the background, and
 *   again when the demo's key changes; with ATP_REFUSE_WITHDRAW_KEYS=true the engine opens no live
 *   intent until it says the key cannot withdraw (or cannot tell).
 */
import type { ApiAuthOptions, ApiDeps } from "../../api/deps.js";
import type { EmulatorAdmin, KeyInput } from "../../emulator/index.js";
import { logOutboundIp } from "../../log/logger.js";
import type { Store } from "../../store/types.js";
import type { LiveSignals } from "../../strategy/live-signals.js";
import type { TradeRequest, TradeResult } from "../../trading/requests.js";
import { TradingServices } from "../../trading/services/index.js";
import type { Engine } from "../engine.js";
import type { EngineWiring } from "../engine-wiring.js";
import { checkWithdrawKeyAtStart, proxyTargetOf } from "../key-hygiene.js";
import type { Runtime } from "../runtime.js";
import { CallHealth } from "./call-health.js";
import { EmulatorDemoControls } from "./demo-fault.js";
import { PlatformDiagnostics } from "./diagnostics-source.js";
import { PlatformEngineStatus } from "./engine-status.js";
import { PlatformExchangeStatus } from "./exchange-status.js";
import { KeyHygieneGate } from "./key-hygiene-gate.js";
import { PlatformMarket } from "./market-source.js";
import { priceEvents } from "./price-events.js";
import { handOverSignal } from "./signal-handover.js";
import { PlatformStrategies } from "./strategies.js";

export interface PlatformOptions {
  runtime: Runtime;
  store: Store;
  dataDir: string;
  version: string;
  /** The engine's timings and hooks (start.ts's options). */
  engine: Omit<EngineWiring, "signals">;
  /** Evaluate strategies (false: `--no-signals`). */
  signals: boolean;
  /** Demo only: the healthy demo key (for restoring it) and the market speed (chart times). */
  demo?: { key: KeyInput; speed: number; fault?: string | undefined } | undefined;
}

export interface Platform {
  engine: Engine;
  signals: LiveSignals | undefined;
  status: PlatformExchangeStatus;
  diagnostics: PlatformDiagnostics;
  demo: EmulatorDemoControls | undefined;
  /** Resolves when the startup doctor run ended (tests, the printed summary). */
  startupDiagnosis: Promise<void>;
  keyHygiene: KeyHygieneGate;
  deps(auth: ApiAuthOptions, extra?: Pick<ApiDeps, "webRoot" | "defaultWebhookSecret">): ApiDeps;
}

export async function startPlatform(o: PlatformOptions): Promise<Platform> {
  const { runtime, store } = o;
  const log = runtime.logger;
  const time = runtime.time;
  const health = new CallHealth({ time });
  runtime.onExchangeCall((c) => health.record(c));
  const client = runtime.exchange;
  const diagnostics = new PlatformDiagnostics({ config: () => runtime.doctorReport, store, logger: log });
  const refuse = runtime.config.refuseWithdrawKeys;
  const keyHygiene = new KeyHygieneGate({
    refuse,
    applies: runtime.accountCredentials !== undefined || client.usesProxy,
    log,
    check: () =>
      checkWithdrawKeyAtStart(client, {
        proxy: client.usesProxy ? proxyTargetOf(runtime.report) : undefined,
        refuse,
        log,
      }),
  });
  const demoOpts = o.demo;
  let started = false;
  let engineRef: { probeAuthNow(): void } | undefined;
  const demo = demoOpts
    ? new EmulatorDemoControls({
        admin: (): EmulatorAdmin => runtime.emulator.admin,
        key: demoOpts.key,
        onChange: () => {
          if (!started) return;
          void diagnostics.runAs("demo-fault").catch(() => undefined);
          keyHygiene.run(); // the demo key's permissions may have changed
          // a cleared (or changed) fault: the breaker need not wait for its next interval
          engineRef?.probeAuthNow();
        },
      })
    : undefined;
  // the fault is in place before anything calls the exchange: the startup doctor finds it
  if (demo && demoOpts?.fault) await demo.set(demoOpts.fault);

  const strategies = new PlatformStrategies(runtime, store, o.dataDir);
  const signals = o.signals ? await strategies.start() : undefined;
  const feed = runtime.marketFeed;
  const status = new PlatformExchangeStatus({
    time,
    store,
    logger: log,
    health,
    readBalance: runtime.accountCredentials ? () => client.getBalance() : undefined,
    clockOffsetMs: () => client.clockOffset()?.offsetMs,
    marketProblem: () =>
      stalest(feed.trackedSymbols().map((s) => feed.health(s))) ??
      (feed.trackedSymbols().length > 0 && !feed.connected
        ? "market stream disconnected; polling REST"
        : null),
  });
  // the IP the exchange sees, once, through the exchange client's own network path
  void client.outboundIp(runtime.outboundIpUrl).then((r) => {
    status.outboundIp = r.ip ?? null;
    if (r.ip)
      logOutboundIp(
        log,
        r.ip,
        runtime.config.exchange.localAddress ? `bound to ${runtime.config.exchange.localAddress}` : "direct",
      );
    else
      log.warn(
        { status: r.status, failure: r.failure?.message },
        "outbound IP unknown: the IP echo did not answer with an address",
      );
  });
  // key hygiene once the client exists, off the ready path: the result arrives later
  keyHygiene.run();
  const startupDiagnosis = diagnostics.runAs("startup").then(
    (r) => {
      const top = r.causes[0];
      if (top) log.warn({ cause: top.id }, `doctor at startup: ${top.id}: ${top.summary}`);
      else log.info("doctor at startup: ok");
    },
    (err: unknown) => log.warn({ err }, "doctor at startup failed"),
  );

  const engine = await runtime.engine({
    ...o.engine,
    ...(signals ? { signals } : {}),
    liveRefusal: () => keyHygiene.liveRefusal(),
    // the market stream's tickers keep the venues' read caches fresh (no REST read on the order path)
    tickers: { on: (listener) => feed.on((e) => (e.type === "ticker" ? listener(e.ticker) : undefined)) },
  });
  engineRef = engine;
  runtime.add({ name: "exchange status", start: () => status.start(), stop: () => status.stop() });
  await runtime.start();

  started = true;
  const chartTime = demoOpts
    ? (wall: number) => runtime.marketNow() - (time.now() - wall) * demoOpts.speed
    : undefined;
  const market = new PlatformMarket({
    feed,
    signals: () => strategies.live,
    client,
    store,
    logger: log,
    ...(chartTime ? { chartTime } : {}),
    onWatch: (symbol, watch) => strategies.follow(symbol, watch),
  });
  const engineStatus = new PlatformEngineStatus({
    engine: () => engine,
    store,
    envLiveTrading: runtime.liveMode === "DEMO" || runtime.config.liveTrading,
    liveMode: runtime.accountCredentials ? runtime.liveMode : undefined,
    running: () => runtime.components.every((c) => c.running),
    keyHygiene,
  });
  const services = new TradingServices<TradeRequest, TradeResult>({
    store,
    submit: (req) => {
      const trader = engine.trader;
      return trader
        ? trader.submit(req)
        : Promise.reject(new Error("this process does not lead: no trading here"));
    },
  });
  return {
    engine,
    signals,
    status,
    diagnostics,
    demo,
    startupDiagnosis,
    keyHygiene,
    deps: (auth, extra = {}) => ({
      version: o.version,
      time,
      logger: log,
      store,
      services,
      auth,
      dataDir: o.dataDir,
      engine: engineStatus,
      exchange: status,
      market,
      strategies,
      diagnostics,
      liveEvents: priceEvents(feed, time),
      demo,
      // a webhook signal straight to the leader's trader (one commit: inbox row + intent); none: the inbox
      acceptSignal: (row) => handOverSignal(engine.trader, row),
      cancelOrder: (orderId, actor) => {
        const trader = engine.trader;
        return trader
          ? trader.cancelOrder(orderId, actor)
          : Promise.reject(new Error("this process does not lead: no trading here"));
      },
      ...extra,
    }),
  };
}

/** The reasons of the stale symbols, at most three named; null when all are fresh. */
function stalest(hs: { ok: boolean; reasons: string[] }[]): string | null {
  const bad = hs.filter((h) => !h.ok);
  if (bad.length === 0) return null;
  const named = bad.slice(0, 3).map((h) => h.reasons[0] ?? "stale");
  return `${named.join("; ")}${bad.length > 3 ? ` (and ${bad.length - 3} more symbols)` : ""}`;
}
