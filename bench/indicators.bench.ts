/**
 * Indicators and the watchlist cycle.
 * - Updates per second of each incremental indicator, and of the standard set a symbol keeps (7
 *   indicators per candle), against the floor of merely reading the same candles.
 * - A 500-symbol watchlist evaluation cycle: one new closed candle per symbol, every preset's
 *   indicators updated and all six presets evaluated with full traces (as live).
 * Targets (issue 5): ≥ 5,000,000 indicator updates/s on one core; the 500-symbol cycle under 10 ms.
 */
import { generateCandles } from "../src/backtest/generated-candles.js";
import { Replayer } from "../src/backtest/replay.js";
import type { Candle } from "../src/domain/market.js";
import { Atr, Ema, IndicatorSet, Rsi, Sma, VolumeRatio } from "../src/indicators/index.js";
import { loadStrategyConfig } from "../src/strategy/config.js";
import { SymbolEvaluator } from "../src/strategy/evaluator.js";
import { type BenchSection, fmt, type Measurement, measure, table } from "./lib.js";

const N = 200_000;
const candles: Candle[] = generateCandles({
  symbol: "BTC_USD",
  timeframe: "1m",
  from: 0,
  to: N * 60_000,
  seed: 1,
});

function overCandles(name: string, perCandle: number, make: () => (c: Candle) => void): Measurement {
  return measure(name, () => {
    const step = make();
    for (let i = 0; i < candles.length; i++) step(candles[i]!);
    return candles.length * perCandle;
  });
}

export async function run(): Promise<BenchSection> {
  let sink = 0;
  const floor = overCandles("floor: read each candle (no indicator)", 1, () => (c) => {
    sink += c.c + c.v;
  });
  const single: Measurement[] = [
    overCandles("SMA(50)", 1, () => {
      const x = new Sma(50);
      return (c) => {
        sink += x.update(c.c);
      };
    }),
    overCandles("EMA(10)", 1, () => {
      const x = new Ema(10);
      return (c) => {
        sink += x.update(c.c);
      };
    }),
    overCandles("RSI(14) Wilder", 1, () => {
      const x = new Rsi(14);
      return (c) => {
        sink += x.update(c.c);
      };
    }),
    overCandles("ATR(14)", 1, () => {
      const x = new Atr(14);
      return (c) => {
        sink += x.update(c);
      };
    }),
    overCandles("volume ratio(5)", 1, () => {
      const x = new VolumeRatio(5);
      return (c) => {
        sink += x.update(c.v);
      };
    }),
  ];
  const specs = [
    { kind: "ema", period: 10 },
    { kind: "sma", period: 50 },
    { kind: "sma", period: 200 },
    { kind: "rsi", period: 14 },
    { kind: "atr", period: 14 },
    { kind: "volume_ratio", period: 5 },
    { kind: "sma", period: 70 },
  ] as const;
  const set = overCandles(`standard set (${specs.length} indicators per candle)`, specs.length, () => {
    const s = new IndicatorSet(specs.map((x) => ({ ...x })));
    return (c) => s.commit(c);
  });
  const preview = overCandles(
    `preview of the unclosed candle (${specs.length} indicators)`,
    specs.length,
    () => {
      const s = new IndicatorSet(specs.map((x) => ({ ...x })));
      for (let i = 0; i < 300; i++) s.commit(candles[i]!);
      return (c) => s.preview(c);
    },
  );

  // 500-symbol watchlist on 1h candles (daily candles for MA10w built alongside, as live), warmed up
  // with 400 candles. Each cycle feeds one new closed candle per symbol.
  const config = loadStrategyConfig();
  const hourly = generateCandles({
    symbol: "ETH_USD",
    timeframe: "1h",
    from: 0,
    to: 3_000 * 3_600_000,
    seed: 2,
  });
  const SYMBOLS = 500;
  /** Candle j of an endless hourly series: the generated ones repeat, time keeps moving forward. */
  const HOUR = 3_600_000;
  const at = (j: number) => {
    const c = hourly[j % hourly.length]!;
    return { ...c, t: c.t + Math.floor(j / hourly.length) * hourly.length * HOUR };
  };
  const watchlist = (explainAll: boolean, presets: string[]) => {
    const replayers = Array.from({ length: SYMBOLS }, (_, k) => {
      const r = new Replayer(
        new SymbolEvaluator(
          `C${k}_USD`,
          "1h",
          presets.map((p) => config.presetStrategy(p)),
        ),
        explainAll,
      );
      for (let i = 0; i < 400; i++) r.step(hourly[i + k]!);
      return r;
    });
    let cursor = 400;
    return () => {
      const i = cursor++;
      for (let k = 0; k < SYMBOLS; k++) {
        const r = replayers[k]!;
        for (const d of r.step(at(i + k))) sink += d.conditions.length;
      }
      return 1;
    };
  };
  const all = config.presetNames;
  const cycle = measure(
    `${SYMBOLS} symbols × 6 presets: 1 candle each, every condition's status, value and threshold`,
    watchlist(false, all),
    2_000,
  );
  const cycleLive = measure(
    `${SYMBOLS} symbols × 1 preset each (live): full trace of every decision`,
    watchlist(true, ["swing-conservative"]),
    2_000,
  );
  const cycleFull = measure(
    `${SYMBOLS} symbols × 6 presets: full trace of every decision`,
    watchlist(true, all),
    2_000,
  );
  if (sink === 42) process.stderr.write("");

  const setUpdates = set.opsPerSec;
  const cycleMs = cycle.nsPerOp / 1e6;
  const ms = (m: Measurement) => fmt(m.nsPerOp / 1e6, 2);
  const targetsMet = setUpdates >= 5_000_000 && cycleMs < 10;
  const markdown = [
    table([floor, ...single, set, preview]),
    "",
    `Time per update relative to reading one candle (the floor): ${[...single, set]
      .map((m) => `${m.name} ${fmt(floor.nsPerOp === 0 ? 0 : m.nsPerOp / floor.nsPerOp, 1)}×`)
      .join("; ")}.`,
    "",
    `- Indicator updates per second through the standard set: **${fmt(setUpdates)}** (target ≥ 5,000,000): ${setUpdates >= 5_000_000 ? "met" : "NOT met"}.`,
    `- ${cycle.name}: **${ms(cycle)} ms** per cycle (target < 10 ms): ${cycleMs < 10 ? "met" : "NOT met"}; ${fmt(cycle.nsPerOp / SYMBOLS / 1000, 1)} µs per symbol.`,
    `- ${cycleLive.name}: ${ms(cycleLive)} ms per cycle.`,
    `- ${cycleFull.name}: ${ms(cycleFull)} ms per cycle.`,
    "",
    "The trace text (numbers formatted into each condition's detail) is the expensive part; the",
    "live service formats it for each symbol's one configured strategy at every close, the backtester",
    "only for the decisions it turns into orders (strategies are pure, so re-evaluating with",
    "`explain` gives the same decision).",
  ].join("\n");
  return { title: "Indicators and the watchlist cycle", markdown, targetsMet };
}
