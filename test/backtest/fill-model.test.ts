/** The fill model on hand-made candles with a scripted strategy (any Strategy runs in the backtester). */
import { describe, expect, it } from "vitest";
import type { FillModel } from "../../src/backtest/fill-model.js";
import { runBacktest } from "../../src/backtest/run.js";
import type { Candle } from "../../src/domain/market.js";
import type { Side } from "../../src/domain/orders.js";
import { buildDecision } from "../../src/strategy/decision.js";
import type { ConditionResult, Decision, Strategy, StrategyInput } from "../../src/strategy/types.js";

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);
const c = (i: number, o: number, h: number, l: number, cl: number): Candle => ({
  t: T0 + i * H,
  o,
  h,
  l,
  c: cl,
  v: 1,
});

/** Emits the scripted side at the close of candle `i` (by candle start), with fixed 10 % / 20 % SL/TP. */
class Scripted implements Strategy {
  readonly key = "scripted";
  readonly needs = [];
  constructor(private readonly script: Record<number, Side>) {}
  evaluate(input: StrategyInput): Decision {
    const side = this.script[(input.candle.t - T0) / H];
    const cond = (s: Side): ConditionResult => ({
      id: `${s}.script`,
      side: s,
      label: "scripted",
      status: side === s ? "pass" : "fail",
      value: null,
      threshold: null,
      detail: "",
    });
    const p = input.candle.c;
    const risk = {
      basis: "pct" as const,
      slFraction: 0.1,
      tpFraction: 0.2,
      slPrice: p * 0.9,
      tpPrice: p * 1.2,
      detail: "",
    };
    return buildDecision(this.key, input, {
      buy: [cond("BUY")],
      sell: [cond("SELL")],
      risk: { BUY: risk, SELL: risk },
    });
  }
}

const FILL: FillModel = { feeRate: 0.001, slippage: 0.01, initialCash: 1000, tradeAmount: 500 };
const run = (candles: Candle[], script: Record<number, Side>) =>
  runBacktest(candles, {
    symbol: "TEST_USD",
    timeframe: "1h",
    strategy: new Scripted(script),
    fill: FILL,
    minIntervalMs: 0,
    minPriceChangePct: 0,
    configHash: "x",
  });

describe("fill model", () => {
  it("fills a signal at the next open with slippage and fees, and exits on a SELL signal the same way", async () => {
    const candles = [
      c(0, 100, 101, 99, 100),
      c(1, 110, 111, 105, 108),
      c(2, 108, 115, 107, 112),
      c(3, 120, 121, 119, 120),
    ];
    const r = await run(candles, { 0: "BUY", 2: "SELL" });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t.entryTime).toBe(T0 + H);
    expect(t.entryPrice).toBeCloseTo(110 * 1.01, 10);
    expect(t.quantity).toBeCloseTo(500 / (110 * 1.01), 10);
    expect(t.entryFee).toBeCloseTo(0.5, 10);
    expect(t.exitTime).toBe(T0 + 3 * H);
    expect(t.exitReason).toBe("SIGNAL");
    expect(t.exitPrice).toBeCloseTo(120 * 0.99, 10);
    const proceeds = t.quantity * 120 * 0.99;
    expect(t.exitFee).toBeCloseTo(proceeds * 0.001, 10);
    expect(t.pnl).toBeCloseTo(proceeds * 0.999 - 500.5, 10);
    expect(r.stats.finalEquity).toBeCloseTo(1000 + t.pnl, 10);
    expect(r.markers.map((m) => m.kind)).toEqual(["BUY", "SELL"]);
    expect(r.stats.exposurePct).toBeCloseTo(50, 10); // held 2 of 4 hours
  });

  it("when one candle reaches both the stop and the target, the stop is taken (worst case)", async () => {
    const candles = [c(0, 100, 100, 100, 100), c(1, 100, 130, 85, 100), c(2, 100, 100, 100, 100)];
    const r = await run(candles, { 0: "BUY" });
    const t = r.trades[0]!;
    expect(t.exitReason).toBe("STOP_LOSS");
    expect(t.stopLoss).toBeCloseTo(101 * 0.9, 10);
    expect(t.exitPrice).toBeCloseTo(101 * 0.9 * 0.99, 10); // stop fills with slippage
    expect(t.exitTime).toBe(T0 + 2 * H);
  });

  it("a gap through the stop fills at the open; the take-profit fills at its price", async () => {
    const gap = await run([c(0, 100, 100, 100, 100), c(1, 100, 101, 99, 100), c(2, 80, 82, 79, 81)], {
      0: "BUY",
    });
    expect(gap.trades[0]).toMatchObject({ exitReason: "STOP_LOSS" });
    expect(gap.trades[0]!.exitPrice).toBeCloseTo(80 * 0.99, 10);
    const tp = await run([c(0, 100, 100, 100, 100), c(1, 100, 101, 99, 100), c(2, 100, 130, 99, 125)], {
      0: "BUY",
    });
    expect(tp.trades[0]).toMatchObject({ exitReason: "TAKE_PROFIT" });
    expect(tp.trades[0]!.exitPrice).toBeCloseTo(101 * 1.2, 10);
    expect(tp.stats.winRatePct).toBe(100);
  });

  it("closes an open position at the last close, ignores BUY while long and SELL while flat", async () => {
    const candles = [0, 1, 2, 3, 4].map((i) => c(i, 100 + i, 101 + i, 99 + i, 100 + i));
    const r = await run(candles, { 0: "SELL", 1: "BUY", 2: "BUY", 4: "BUY" });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({
      entryTime: T0 + 2 * H,
      exitReason: "END_OF_DATA",
      exitTime: T0 + 5 * H,
    });
    expect(r.signals).toEqual({ buy: 3, sell: 1, throttled: 0, ignored: 3 });
    expect(r.emitted.map((d) => [d.action, d.candleTime])).toEqual([["BUY", T0 + H]]);
  });

  it("measures the maximum drawdown on the equity curve", async () => {
    const candles = [
      c(0, 100, 100, 100, 100),
      c(1, 100, 100, 100, 100),
      c(2, 100, 100, 95, 95),
      c(3, 95, 100, 95, 100),
    ];
    const r = await run(candles, { 0: "BUY" });
    const qty = 500 / 101;
    // peak after entry: 1000 − 0.5 − 500 + qty × 100; trough: same with 95
    expect(r.stats.maxDrawdown).toBeCloseTo(qty * 5 + (1000 - (1000 - 0.5 - 500 + qty * 100)), 6);
  });
});
