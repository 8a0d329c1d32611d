/**
 * Per-symbol strategy evaluator: the indicator sets of every timeframe the symbol's strategies read,
 * fed from candles, and the strategies evaluated on the latest base-timeframe candle. The live signal
 * service and the backtester both drive this class, so they compute the same decisions.
 *
 * Feeding rules: `onCandle(tf, candle, true)` commits a closed candle; `onCandle(tf, candle, false)`
 * previews the unclosed one (committed state untouched). Evaluation reads the preview of a timeframe
 * when one is active: for the higher timeframes that is the candle in progress (what the exchange
 * shows at that moment), for the base timeframe it makes the decision a `preview`.
 */

import type { Candle } from "../domain/market.js";
import { IndicatorSet, type Reading, specKey, specWarmup } from "../indicators/index.js";
import type { Timeframe } from "../market/timeframe.js";
import { applyGates } from "./decision.js";
import type {
  ConditionResult,
  Decision,
  ExternalSignal,
  IndicatorNeed,
  IndicatorView,
  Strategy,
  StrategyInput,
} from "./types.js";

export class SymbolEvaluator implements IndicatorView {
  private readonly sets = new Map<Timeframe, IndicatorSet>();
  /** Bindings by need object (strategies declare theirs once) and by "tf:spec" for ad-hoc reads. */
  private readonly slots = new Map<IndicatorNeed, { set: IndicatorSet; slot: number }>();
  private readonly slotsByKey = new Map<string, { set: IndicatorSet; slot: number }>();
  private readonly strategies: Strategy[] = [];
  private last: Candle | undefined;
  private pending: ExternalSignal[] = [];
  /** External signals handed to the evaluations at `batchAt`. */
  private batch: ExternalSignal[] = [];
  private batchAt = Number.NaN;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    strategies: readonly Strategy[] = [],
  ) {
    this.setFor(timeframe);
    for (const s of strategies) this.addStrategy(s);
  }

  private setFor(tf: Timeframe): IndicatorSet {
    let set = this.sets.get(tf);
    if (!set) {
      set = new IndicatorSet();
      this.sets.set(tf, set);
    }
    return set;
  }

  addStrategy(s: Strategy): void {
    this.strategies.push(s);
    for (const need of s.needs) this.slots.set(need, this.bind(need));
  }

  get strategyKeys(): string[] {
    return this.strategies.map((s) => s.key);
  }

  private bind(need: IndicatorNeed): { set: IndicatorSet; slot: number } {
    const known = this.slots.get(need);
    if (known) return known;
    const tf = need.timeframe === "base" ? this.timeframe : need.timeframe;
    const key = `${tf}:${specKey(need.spec)}`;
    let b = this.slotsByKey.get(key);
    if (!b) {
      const set = this.setFor(tf);
      b = { set, slot: set.slot(need.spec) };
      this.slotsByKey.set(key, b);
    }
    return b;
  }

  /** Timeframes this symbol needs candles for, base first. */
  timeframes(): Timeframe[] {
    return [...this.sets.keys()];
  }

  /** Closed candles to load on `tf` so every indicator there has a converged value (see specWarmup). */
  warmup(tf: Timeframe): number {
    const set = this.sets.get(tf);
    if (!set) return 0;
    let n = 0;
    for (const spec of set.specs) n = Math.max(n, specWarmup(spec));
    return n;
  }

  onCandle(tf: Timeframe, candle: Candle, closed: boolean): void {
    const set = this.sets.get(tf);
    if (set) {
      if (closed) set.commit(candle);
      else set.preview(candle);
    }
    if (tf === this.timeframe) this.last = candle;
  }

  read(need: IndicatorNeed): Reading {
    const b = this.bind(need);
    const r = b.set.reading(b.slot);
    if (r.missing && need.timeframe !== "base" && need.timeframe !== this.timeframe) {
      r.missing = `${r.missing} (${need.timeframe} candles)`;
    }
    return r;
  }

  value(need: IndicatorNeed): number {
    const b = this.bind(need);
    return b.set.value(b.slot);
  }

  previous(need: IndicatorNeed): number {
    const b = this.bind(need);
    return b.set.previous(b.slot);
  }

  /** Queues an external signal for the next closed-candle evaluation. */
  pushExternal(signal: ExternalSignal): void {
    this.pending.push(signal);
  }

  /** The latest base candle fed (closed or live), if any. */
  get lastCandle(): Candle | undefined {
    return this.last;
  }

  /** Whether the latest base candle is an unclosed preview. */
  get previewing(): boolean {
    return this.sets.get(this.timeframe)!.isPreviewing;
  }

  /**
   * Evaluates every strategy on the latest base candle. `gates` (e.g. market data freshness) are
   * prepended to each trace and force WAIT when one fails. Closed-candle evaluations take the queued
   * external signals received up to `now`; evaluating again at the same `now` sees the same ones, so
   * a repeated evaluation (e.g. to explain a decision) gives the same decision. `explain: false`
   * skips trace texts (see StrategyInput.explain).
   */
  evaluate(now: number, gates: readonly ConditionResult[] = [], explain = true): Decision[] {
    const candle = this.last;
    if (!candle) return [];
    const preview = this.previewing;
    let external: ExternalSignal[] = [];
    if (!preview) {
      if (now !== this.batchAt) {
        this.batch = [];
        this.batchAt = now;
      }
      if (this.pending.length > 0) {
        this.batch = this.batch.concat(this.pending.filter((s) => s.receivedAt <= now));
        this.pending = this.pending.filter((s) => s.receivedAt > now);
      }
      external = this.batch;
    }
    const input: StrategyInput = {
      symbol: this.symbol,
      timeframe: this.timeframe,
      candle,
      preview,
      now,
      indicators: this,
      external,
      explain,
    };
    const out: Decision[] = [];
    for (const s of this.strategies) out.push(applyGates(s.evaluate(input), gates));
    return out;
  }
}
