/**
 * Live signal service: market feed → per-symbol SymbolEvaluator (the same evaluator the backtester drives)
 * → data-freshness gate → throttle → signals.
 *
 * - Trading signals come only from closed candles, like the backtester. Catch-up candles (a REST
 *   repair after an outage) update the indicators but are not evaluated: no alert about the past.
 * - The freshness gate puts the feed's health first in every trace; stale data turns any action
 *   into WAIT with the reasons (ticker silent, candles missing, backfill failed, …).
 * - A signal is announced only after the throttle state was stored (a restart does not re-alert);
 *   when the store fails the signal is dropped and logged (fail closed).
 * - `preview()` evaluates the candle in progress for the dashboard; previews never become signals.
 * - `reconfigure()` rebuilds a symbol's evaluator from the feed's buffered candles; the new coin
 *   configuration hash lets exactly one signal through the throttle immediately.
 */
import { type Logger, silentLogger } from "../log/logger.js";
import type { FeedEvent, MarketFeed } from "../market/feed.js";
import type { DataHealth } from "../market/health.js";
import type { Timeframe } from "../market/timeframe.js";
import type { StrategyConfig } from "./config.js";
import { SymbolEvaluator } from "./evaluator.js";
import { admitDecision, type Signal } from "./signals.js";
import type { Throttle } from "./throttle.js";
import type { ConditionResult, Decision } from "./types.js";

export interface LiveSignalsOptions {
  feed: MarketFeed;
  config: StrategyConfig;
  throttle: Throttle;
  now?: () => number;
  logger?: Logger;
}

/** The freshness gate of a decision trace. */
export function dataGate(h: DataHealth): ConditionResult {
  return {
    id: "gate.data_fresh",
    side: "GATE",
    label: "market data fresh (candles and ticker)",
    status: h.ok ? "pass" : "fail",
    value: null,
    threshold: null,
    detail: h.ok
      ? h.streamConnected
        ? "fresh (live stream)"
        : "fresh (REST polling; stream down)"
      : h.reasons.join("; "),
  };
}

export class LiveSignals {
  private readonly evaluators = new Map<string, SymbolEvaluator>();
  private readonly latestDecisions = new Map<string, Decision[]>();
  private readonly signalListeners = new Set<(s: Signal) => void>();
  private readonly decisionListeners = new Set<(d: Decision) => void>();
  private readonly now: () => number;
  private readonly log: Logger;
  private config: StrategyConfig;
  private readonly off: () => void;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LiveSignalsOptions) {
    this.config = opts.config;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger();
    this.off = opts.feed.on((e) => this.onFeed(e));
  }

  onSignal(listener: (s: Signal) => void): () => void {
    this.signalListeners.add(listener);
    return () => this.signalListeners.delete(listener);
  }

  /** Every closed-candle decision (BUY, SELL or WAIT), e.g. for the dashboard's trace view. */
  onDecision(listener: (d: Decision) => void): () => void {
    this.decisionListeners.add(listener);
    return () => this.decisionListeners.delete(listener);
  }

  /** Starts watching a symbol with its configured strategy: tracks and backfills what it needs. */
  async watch(symbol: string): Promise<void> {
    await this.install(symbol);
  }

  async unwatch(symbol: string): Promise<void> {
    this.evaluators.delete(symbol);
    this.latestDecisions.delete(symbol);
    await this.opts.feed.untrack(symbol);
  }

  /** Applies a new configuration: every watched symbol's evaluator is rebuilt from buffered candles. */
  async reconfigure(config: StrategyConfig): Promise<void> {
    this.config = config;
    for (const symbol of [...this.evaluators.keys()]) await this.install(symbol);
  }

  /** The decisions at the last closed candle. */
  latest(symbol: string): Decision[] | undefined {
    return this.latestDecisions.get(symbol);
  }

  /** Decisions on the candle in progress (informational; never a signal). */
  preview(symbol: string): Decision[] {
    const evaluator = this.evaluators.get(symbol);
    if (!evaluator) return [];
    const now = this.now();
    return evaluator.evaluate(now, [dataGate(this.opts.feed.health(symbol, now))]);
  }

  /** Resolves when the signals of the events seen so far were handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.off();
  }

  /**
   * A fresh evaluator for the symbol's current configuration: timeframes the feed already holds are
   * replayed from its buffers now; new ones arrive through the feed's `backfilled` event.
   */
  private async install(symbol: string): Promise<void> {
    const coin = this.config.coin(symbol);
    const evaluator = new SymbolEvaluator(symbol, coin.timeframe, [this.config.strategyFor(symbol)]);
    const specs: { timeframe: Timeframe; warmup: number }[] = [];
    for (const tf of evaluator.timeframes()) {
      const s = this.opts.feed.series(symbol, tf);
      if (s && s.state !== "backfilling") {
        for (const c of s.closedCandles()) evaluator.onCandle(tf, c, true);
        if (s.live) evaluator.onCandle(tf, s.live, false);
      }
      specs.push({ timeframe: tf, warmup: evaluator.warmup(tf) });
    }
    this.evaluators.set(symbol, evaluator);
    await this.opts.feed.track(symbol, specs);
  }

  private onFeed(e: FeedEvent): void {
    if (e.type === "ticker" || e.type === "connection") return;
    const evaluator = this.evaluators.get(e.symbol);
    if (!evaluator?.timeframes().includes(e.timeframe)) return;
    if (e.type === "backfilled") {
      for (const c of e.candles) evaluator.onCandle(e.timeframe, c, true);
      if (e.live) evaluator.onCandle(e.timeframe, e.live, false);
      return;
    }
    if (e.type === "live") {
      evaluator.onCandle(e.timeframe, e.candle, false);
      return;
    }
    evaluator.onCandle(e.timeframe, e.candle, true);
    if (e.timeframe !== evaluator.timeframe || e.catchUp) return;
    const now = this.now();
    const decisions = evaluator.evaluate(now, [dataGate(this.opts.feed.health(e.symbol, now))]);
    this.latestDecisions.set(e.symbol, decisions);
    for (const d of decisions) for (const l of this.decisionListeners) l(d);
    const coin = this.config.coin(e.symbol);
    for (const d of decisions) {
      const a = admitDecision(this.opts.throttle, d, {
        configHash: coin.configHash,
        minPriceChangePct: coin.rules.minPriceChangePct,
      });
      if (a.verdict && !a.signal)
        this.log.debug({ symbol: d.symbol, throttle: a.verdict }, "signal throttled");
      const signal = a.signal;
      if (!signal) continue;
      this.queue = this.queue.then(() =>
        a.saved.then(
          () => {
            for (const l of this.signalListeners) l(signal);
          },
          (err: unknown) =>
            this.log.error(
              { err, symbol: d.symbol, side: signal.side },
              "throttle state not stored; signal dropped",
            ),
        ),
      );
    }
  }
}
