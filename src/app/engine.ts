/**
 * Composition root, trading part: the engine assembled from the store, leadership, the venues, the
 * trader and reconciliation, started and stopped in order.
 *
 * Invariants:
 * - Only the leader trades. A *term* (trader, reconcilers, breaker, dry-run broker) is built and
 *   started each time this process becomes leader; its `isLeader()` reads true only while that
 *   term leads. Leadership's `onLost` runs first and synchronously (store/leader.ts) and ends the
 *   term at once: from that instant every side effect of the trader, the reconcilers and the breaker
 *   sees `isLeader() === false`; the term's parts are then stopped. A new term resumes open work
 *   (probes, protection, exits) before anything new.
 * - The live venue exists only with credentials: the exchange client behind the auth circuit
 *   breaker, with the user stream's updates. The dry-run venue always exists: its broker takes public
 *   market data from the same client and never makes a private call.
 * - Strategy signals reach the trader through the store's inbox (`signals`), written by the leader:
 *   `trader.acceptSignal` commits the row with its intent in one transaction (or stores it PENDING
 *   while the symbol is busy), so a signal that was acted on survives a crash.
 * - Each venue reads its ticker and balance through a read cache (trading/venue-cache.ts) fed by
 *   the market stream's tickers (`tickers`) and the venue's account updates; stale values go to REST.
 * - A second engine on one SQLite file fails at start with StoreLockedError (the CLI exits 2).
 * - stop(): no new signals → the trader finishes in-flight placements and protection → reconcilers
 *   → breaker → user stream → broker → leadership released. The store and the client are runtime
 *   components, closed after the engine.
 */
import { hostname } from "node:os";
import type { DecTicker } from "../domain/market.js";
import type { TradingMode } from "../domain/trading.js";
import type { ExchangeClient, OrderUpdateSource } from "../exchange/types.js";
import type { Logger } from "../log/logger.js";
import { acquireLeadership, type Leadership, type LeadershipOptions } from "../store/leader.js";
import type { Store } from "../store/types.js";
import type { Signal } from "../strategy/signals.js";
import { AuthBreaker, type AuthDiagnose } from "../trading/breaker/index.js";
import type { TradingContext, Venue } from "../trading/context.js";
import { DryRunBroker } from "../trading/dry-run/broker.js";
import { restoreDryRun } from "../trading/dry-run/restore.js";
import { Reconciler } from "../trading/reconcile/index.js";
import { Trader, type TraderOptions } from "../trading/trader.js";
import { useVenueReads, VenueReadCache } from "../trading/venue-cache.js";
import type { TimerHandle, TimeSource } from "../util/clock.js";
import { signalRow } from "./signal-row.js";

/** The account's order updates as the engine drives them (the user stream). */
export type StartableUpdates = OrderUpdateSource & { start(): void; stop(): Promise<void> };

export interface EngineDeps {
  store: Store;
  time: TimeSource;
  logger: Logger;
  /** Public market data and, with `live`, the account: the exchange client. */
  client: ExchangeClient;
  /** Present with credentials: the account's updates, the live mode (LIVE or DEMO) and the doctor. */
  live?: { updates: StartableUpdates; mode: TradingMode; diagnose: AuthDiagnose } | undefined;
  /** The environment allows live orders (LIVE_TRADING=true, or the demo). */
  envLiveTrading: boolean;
  /** Why no live order may be sent now (key hygiene, read at every decision); undefined: they may. */
  liveRefusal?: (() => string | undefined) | undefined;
  /** Strategy signals (live evaluation), when the engine trades them. */
  signals?: { onSignal(listener: (s: Signal) => void): () => void } | undefined;
  /** The market stream's tickers, feeding the venues' read caches (without it they refresh by REST). */
  tickers?: { on(listener: (t: DecTicker) => void): () => void } | undefined;
  instanceId?: string;
  /** Period of the inbox and the trader's duties (default 1000 ms). */
  tickMs?: number;
  reconcileMs?: number;
  trader?: TraderOptions;
  dryBalances?: Record<string, string>;
  /** Called when this process becomes leader and when it stops leading. */
  onLeadership?: (leading: boolean) => void;
  /** Leadership timings (PostgreSQL); each left out takes store/leader.ts's default (retry 5 s, …). */
  leadership?: Pick<
    LeadershipOptions,
    "retryMs" | "keepAliveMs" | "keepAliveTimeoutMs" | "idleSessionTimeoutMs"
  >;
}

interface Term {
  leading: boolean;
  trader: Trader;
  reconcilers: Reconciler[];
  breaker: AuthBreaker | undefined;
  broker: DryRunBroker;
  timer: TimerHandle | undefined;
  ticking: Promise<void> | undefined;
  /** The inbox pass in progress, if any. */
  inbox?: Promise<void> | undefined;
  off: (() => void)[];
  caches: VenueReadCache[];
}

/** The dry run's virtual account at its first start (the broker's own default). */
const DEFAULT_DRY_BALANCES: Readonly<Record<string, string>> = { USD: "10000" };

export class Engine {
  private leadership: Leadership | undefined;
  private term: Term | undefined;
  private stopping = false;
  /** Mirrors the leadership handle: true from acquired to lost. */
  private leading = false;
  private beginning: Promise<void> | undefined;

  constructor(private readonly deps: EngineDeps) {}

  get isLeader(): boolean {
    return this.term?.leading === true && !this.stopping;
  }

  /** The current term's trader (undefined while not leading). */
  get trader(): Trader | undefined {
    return this.isLeader ? this.term?.trader : undefined;
  }

  /** Acquires leadership (SQLite: throws StoreLockedError when another process holds the file) and starts a term when leading. */
  async start(): Promise<void> {
    const d = this.deps;
    this.leadership = await acquireLeadership(d.store, {
      ...d.leadership,
      instanceId: d.instanceId ?? `${hostname()}:${process.pid}`,
      onLost: (reason, detail) => {
        this.leading = false;
        const term = this.term;
        if (term) term.leading = false;
        d.onLeadership?.(false);
        d.logger.error({ reason, detail }, "engine: leadership lost; trading stopped");
        if (term) void this.endTerm(term);
      },
      onAcquired: () => {
        if (this.leading) return;
        this.leading = true;
        d.logger.info("engine: leadership acquired; resuming open work");
        this.ensureTerm();
      },
    });
    if (this.leadership.isLeader) {
      this.leading = true;
      this.ensureTerm();
    } else {
      d.logger.info("engine: another instance leads; this one serves reads and waits to take over");
    }
    await this.beginning;
  }

  /** Starts a term when leading and none runs or is starting (idempotent). */
  private ensureTerm(): void {
    if (this.stopping || !this.leading || this.beginning || this.term?.leading) return;
    this.beginning = this.beginTerm().finally(() => {
      this.beginning = undefined;
    });
  }

  private build(dryBalances: Record<string, string>): Term {
    const d = this.deps;
    const broker = new DryRunBroker({
      market: d.client,
      time: d.time,
      logger: d.logger,
      balances: dryBalances,
    });
    const dry: Venue = { client: broker, updates: broker.updates, mode: "DRY_RUN" };
    let live: Venue | undefined;
    let breaker: AuthBreaker | undefined;
    if (d.live) {
      breaker = new AuthBreaker({
        inner: d.client,
        store: d.store,
        time: d.time,
        logger: d.logger,
        diagnose: d.live.diagnose,
        mode: d.live.mode,
      });
      live = { client: breaker, updates: d.live.updates, mode: d.live.mode };
    }
    const term: Term = {
      leading: true,
      broker,
      breaker,
      reconcilers: [],
      timer: undefined,
      ticking: undefined,
      off: [],
      caches: [],
      trader: undefined as unknown as Trader,
    };
    const ctx: TradingContext = {
      store: d.store,
      venues: { live, dry },
      time: d.time,
      logger: d.logger,
      envLiveTrading: d.envLiveTrading,
      liveRefusal: d.liveRefusal,
      // while stopping, the trader's own stop decides what still runs (in-flight work finishes)
      isLeader: () => term.leading,
    };
    const trader = new Trader(ctx, d.trader);
    term.trader = trader;
    const hooks = {
      protect: (lotId: string) => trader.protectLot(lotId),
      applyUpdate: (o: Parameters<Trader["onVenueUpdate"]>[0], mode: TradingMode) =>
        trader.onVenueUpdate(o, mode),
    };
    for (const venue of [live, dry]) {
      if (!venue) continue;
      term.reconcilers.push(
        new Reconciler({
          ctx,
          venue,
          hooks,
          ...(d.reconcileMs !== undefined ? { intervalMs: d.reconcileMs } : {}),
          ourPrefixes: venue === dry ? ["dry-"] : ["atp-"],
        }),
      );
    }
    if (breaker) {
      term.off.push(
        breaker.onRecovered(async () => {
          for (const lot of await d.store.lots.listUnprotected({ mode: d.live?.mode ?? "LIVE" }))
            await trader.protectLot(lot.id);
          for (const r of term.reconcilers) r.requestPass();
        }),
      );
    }
    if (d.live) {
      const onReady = () => {
        for (const r of term.reconcilers) r.requestPass();
      };
      d.live.updates.on("ready", onReady);
      term.off.push(() => d.live?.updates.off("ready", onReady));
    }
    for (const venue of [live, dry]) {
      if (!venue) continue;
      const cache = new VenueReadCache(venue.client, d.time);
      useVenueReads(venue, cache);
      term.caches.push(cache);
      term.off.push(cache.attach(venue.updates), () => useVenueReads(venue, undefined));
      if (d.tickers) term.off.push(d.tickers.on((t) => cache.putTicker(t)));
    }
    if (d.signals) {
      term.off.push(
        d.signals.onSignal((s) => {
          if (!ctx.isLeader()) return;
          void trader
            .acceptSignal(signalRow(s))
            .catch((e) => d.logger.error({ err: e }, "engine: a strategy signal could not be stored"));
        }),
      );
    }
    return term;
  }

  private async beginTerm(): Promise<void> {
    const d = this.deps;
    // the simulated account of an earlier run is gone: bring the store's DRY_RUN work back in line
    const dryBalances = await restoreDryRun(d.store, d.dryBalances ?? DEFAULT_DRY_BALANCES);
    // leadership may have been lost (or a stop asked for) while the store was read
    if (!this.leading || this.stopping) return;
    const term = this.build(dryBalances);
    this.term = term;
    d.onLeadership?.(true);
    d.live?.updates.start();
    await term.broker.start();
    await term.breaker?.start();
    await term.trader.start();
    for (const r of term.reconcilers) r.start();
    this.schedule(term);
  }

  private schedule(term: Term): void {
    if (!term.leading || this.stopping) return;
    term.timer = this.deps.time.setTimeout(() => {
      term.timer = undefined;
      term.ticking = this.tick(term).finally(() => {
        term.ticking = undefined;
        this.schedule(term);
      });
    }, this.deps.tickMs ?? 1000);
  }

  /** One round of periodic duties: the inbox, then the trader's deadlines and retries. */
  private async tick(term: Term): Promise<void> {
    if (!term.leading || this.stopping) return;
    for (const c of term.caches) c.maintain();
    // the inbox runs beside the duties (a submit waits for its confirmation): deadlines and
    // retries never wait behind an order in flight; one inbox pass at a time
    term.inbox ??= term.trader
      .processInbox()
      .then(() => undefined)
      .catch((e) => this.deps.logger.error({ err: e }, "engine: the inbox failed; retrying next tick"))
      .finally(() => {
        term.inbox = undefined;
      });
    try {
      await term.trader.tick();
    } catch (e) {
      this.deps.logger.error({ err: e }, "engine: a periodic duty failed; retrying next tick");
    }
  }

  /** Probes the account's auth circuit at once (after a cause was fixed); no-op when it is closed. */
  probeAuthNow(): void {
    this.term?.breaker?.probeNow();
  }

  /** Runs the periodic duties now (tests, `atp order` waiting for its result). */
  async runDuties(): Promise<void> {
    const term = this.term;
    if (term) await this.tick(term);
  }

  private async endTerm(term: Term): Promise<void> {
    term.leading = false;
    if (term.timer !== undefined) this.deps.time.clearTimeout(term.timer);
    term.timer = undefined;
    for (const off of term.off.splice(0)) off();
    await term.ticking;
    await term.trader.stop();
    await term.inbox;
    for (const r of term.reconcilers) await r.stop();
    await term.breaker?.stop();
    await this.deps.live?.updates.stop();
    await term.broker.close();
    if (this.term === term) this.term = undefined;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.beginning?.catch(() => undefined);
    const term = this.term;
    if (term) await this.endTerm(term);
    await this.leadership?.release();
  }
}
