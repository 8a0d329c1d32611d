/**
 * The backtest loop: historical candles → the same SymbolEvaluator, strategy and throttle as live →
 * simulated fills (fill-model.ts) → trades, equity curve and statistics.
 *
 * Deterministic: no clock, no randomness, no Map-order dependence; the same candles and options give
 * the same result byte for byte (`fingerprint` hashes the trade list).
 */
import type { Candle } from "../domain/market.js";
import type { Side } from "../domain/orders.js";
import { periodMs, type Timeframe } from "../market/timeframe.js";
import { SymbolEvaluator } from "../strategy/evaluator.js";
import { admitDecision } from "../strategy/signals.js";
import { MemoryThrottleStore, Throttle } from "../strategy/throttle.js";
import type { Decision, Strategy } from "../strategy/types.js";
import { type ExitReason, type FillModel, protectionHit } from "./fill-model.js";
import { fingerprintTrades } from "./fingerprint.js";
import { computeStats, type Stats } from "./metrics.js";
import { Replayer } from "./replay.js";

export interface BacktestOptions {
  symbol: string;
  timeframe: Timeframe;
  strategy: Strategy;
  fill: FillModel;
  /** Throttle settings, as live: time gate, price gate and the coin's configuration hash. */
  minIntervalMs: number;
  minPriceChangePct: number;
  configHash: string;
}

export interface Trade {
  entryTime: number;
  entryPrice: number;
  quantity: number;
  entryFee: number;
  /** Signal that opened it (candle start of the evaluated candle). */
  signalTime: number;
  stopLoss: number;
  takeProfit: number;
  exitTime: number;
  exitPrice: number;
  exitFee: number;
  exitReason: ExitReason;
  /** Net of both fees, in quote. */
  pnl: number;
  /** pnl ÷ (entry notional + entry fee), in %. */
  returnPct: number;
}

/** A point on the price chart where something happened. */
export interface Marker {
  t: number;
  price: number;
  kind: Side | "STOP_LOSS" | "TAKE_PROFIT" | "END_OF_DATA";
}

export interface BacktestResult {
  symbol: string;
  timeframe: Timeframe;
  strategy: string;
  fill: FillModel;
  from: number;
  /** End of the last candle. */
  to: number;
  candles: number;
  /** Signals emitted (after the throttle), by side, and how many the throttle suppressed. */
  signals: { buy: number; sell: number; throttled: number; ignored: number };
  trades: Trade[];
  stats: Stats;
  /** Equity at each candle close (quote). */
  equity: number[];
  markers: Marker[];
  /** The fully explained decision behind every order (entry or exit signal), in order. */
  emitted: Decision[];
  /** sha256 of the trade list: equal results have equal fingerprints. */
  fingerprint: string;
}

interface Position {
  entryTime: number;
  entryPrice: number;
  quantity: number;
  entryFee: number;
  cost: number;
  signalTime: number;
  sl: number;
  tp: number;
}

interface Pending {
  side: Side;
  decision: Decision;
}

export async function runBacktest(
  candles: readonly Candle[],
  opts: BacktestOptions,
): Promise<BacktestResult> {
  if (candles.length === 0) throw new RangeError("no candles to backtest");
  const period = periodMs(opts.timeframe);
  const evaluator = new SymbolEvaluator(opts.symbol, opts.timeframe, [opts.strategy]);
  const replayer = new Replayer(evaluator, false);
  const throttle = await Throttle.open(new MemoryThrottleStore(), opts.minIntervalMs);
  const { feeRate, slippage, tradeAmount } = opts.fill;
  let cash = opts.fill.initialCash;
  let pos: Position | undefined;
  let pending: Pending | undefined;
  const trades: Trade[] = [];
  const markers: Marker[] = [];
  const equity: number[] = new Array(candles.length);
  const signals = { buy: 0, sell: 0, throttled: 0, ignored: 0 };
  /** The fully explained decision of every emitted signal. */
  const explained: Decision[] = [];

  const close = (p: Position, time: number, rawPrice: number, reason: ExitReason, market: boolean) => {
    const price = market ? rawPrice * (1 - slippage) : rawPrice;
    const proceeds = p.quantity * price;
    const fee = proceeds * feeRate;
    cash += proceeds - fee;
    const pnl = proceeds - fee - p.cost - p.entryFee;
    trades.push({
      entryTime: p.entryTime,
      entryPrice: p.entryPrice,
      quantity: p.quantity,
      entryFee: p.entryFee,
      signalTime: p.signalTime,
      stopLoss: p.sl,
      takeProfit: p.tp,
      exitTime: time,
      exitPrice: price,
      exitFee: fee,
      exitReason: reason,
      pnl,
      returnPct: (pnl / (p.cost + p.entryFee)) * 100,
    });
    markers.push({ t: time, price, kind: reason === "SIGNAL" ? "SELL" : reason });
  };

  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!;
    // 1. orders from the previous close fill at this open
    if (pending) {
      if (pending.side === "BUY" && !pos) {
        const price = c.o * (1 + slippage);
        const cost = Math.min(tradeAmount, cash / (1 + feeRate));
        const risk = pending.decision.risk!;
        if (cost > 0) {
          const fee = cost * feeRate;
          cash -= cost + fee;
          pos = {
            entryTime: c.t,
            entryPrice: price,
            quantity: cost / price,
            entryFee: fee,
            cost,
            signalTime: pending.decision.candleTime,
            sl: price * (1 - risk.slFraction),
            tp: price * (1 + risk.tpFraction),
          };
          markers.push({ t: c.t, price, kind: "BUY" });
        }
      } else if (pending.side === "SELL" && pos) {
        close(pos, c.t, c.o, "SIGNAL", true);
        pos = undefined;
      }
      pending = undefined;
    }
    // 2. protection inside this candle (worst case first)
    if (pos) {
      const hit = protectionHit(c.o, c.h, c.l, pos.sl, pos.tp);
      if (hit) {
        close(pos, c.t + period, hit.price, hit.reason, hit.reason === "STOP_LOSS");
        pos = undefined;
      }
    }
    // 3. the strategy at this close, through the throttle as live
    const d = replayer.step(c)[0]!;
    if (d.action !== "WAIT") {
      const a = admitDecision(throttle, d, {
        configHash: opts.configHash,
        minPriceChangePct: opts.minPriceChangePct,
      });
      await a.saved;
      if (!a.signal) signals.throttled++;
      else {
        if (a.signal.side === "BUY") signals.buy++;
        else signals.sell++;
        const actionable = a.signal.side === "BUY" ? !pos : pos !== undefined;
        if (actionable && i + 1 < candles.length) {
          pending = { side: a.signal.side, decision: d };
          explained.push(replayer.explain()[0]!);
        } else signals.ignored++;
      }
    }
    equity[i] = cash + (pos ? pos.quantity * c.c : 0);
  }
  const last = candles[candles.length - 1]!;
  if (pos) {
    close(pos, last.t + period, last.c, "END_OF_DATA", true);
    equity[candles.length - 1] = cash;
  }
  const from = candles[0]!.t;
  const to = last.t + period;
  return {
    symbol: opts.symbol,
    timeframe: opts.timeframe,
    strategy: opts.strategy.key,
    fill: { ...opts.fill },
    from,
    to,
    candles: candles.length,
    signals,
    trades,
    stats: computeStats(trades, equity, opts.fill.initialCash, from, to),
    equity,
    markers,
    emitted: explained,
    fingerprint: fingerprintTrades(trades),
  };
}
