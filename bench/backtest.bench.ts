/**
 * Backtest throughput on one-minute candles from the emulator's market process, per preset, with
 * the floor measured in the same run: merely iterating the same candles (reading every field).
 * Target (issue 5): ≥ 300,000 one-minute candles per second for a preset strategy on one core
 * (Jesse publishes 183k/s for its step simulator).
 */
import { DEFAULT_FILL_MODEL } from "../src/backtest/fill-model.js";
import { generateCandles } from "../src/backtest/generated-candles.js";
import { runBacktest } from "../src/backtest/run.js";
import type { Candle } from "../src/domain/market.js";
import { loadStrategyConfig } from "../src/strategy/config.js";
import { type BenchSection, fmt, type Measurement, measure } from "./lib.js";

const N = 500_000;
const TARGET = 300_000;

async function timeAsync(
  name: string,
  ops: number,
  fn: () => Promise<unknown>,
  reps = 3,
): Promise<Measurement> {
  await fn(); // warm-up
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { name, ops, seconds: best, opsPerSec: ops / best, nsPerOp: (best * 1e9) / ops };
}

export async function run(): Promise<BenchSection> {
  const candles: Candle[] = generateCandles({
    symbol: "BTC_USD",
    timeframe: "1m",
    from: Date.UTC(2025, 0, 1),
    to: Date.UTC(2025, 0, 1) + N * 60_000,
    seed: 1,
  });
  let sink = 0;
  const floor = measure("floor: iterate the candles", () => {
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i]!;
      sink += c.t + c.o + c.h + c.l + c.c + c.v;
    }
    return candles.length;
  });
  const config = loadStrategyConfig();
  const rows: { m: Measurement; trades: number }[] = [];
  for (const preset of config.presetNames) {
    let trades = 0;
    const m = await timeAsync(preset, candles.length, async () => {
      const r = await runBacktest(candles, {
        symbol: "BTC_USD",
        timeframe: "1m",
        strategy: config.presetStrategy(preset),
        fill: DEFAULT_FILL_MODEL,
        minIntervalMs: config.minIntervalMs,
        minPriceChangePct: config.preset(preset)!.minPriceChangePct,
        configHash: "bench",
      });
      trades = r.trades.length;
    });
    rows.push({ m, trades });
  }
  if (sink === 42) process.stderr.write("");
  const lines = [
    `${fmt(N)} one-minute candles (${fmt(N / 1440, 0)} days) from the emulator's price process, seed 1; best of 3 runs.`,
    "",
    "| case | candles/s | ns/candle | × floor time | trades | target ≥ 300k/s |",
    "|---|---:|---:|---:|---:|---|",
    `| ${floor.name} | ${fmt(floor.opsPerSec)} | ${fmt(floor.nsPerOp, 1)} | 1.0 | | |`,
    ...rows.map(
      ({ m, trades }) =>
        `| ${m.name} | ${fmt(m.opsPerSec)} | ${fmt(m.nsPerOp, 1)} | ${fmt(m.nsPerOp / floor.nsPerOp, 0)} | ${trades} | ${m.opsPerSec >= TARGET ? "met" : "NOT met"} |`,
    ),
  ];
  const slowest = Math.min(...rows.map((r) => r.m.opsPerSec));
  lines.push("", `Slowest preset: **${fmt(slowest)} candles/s** (target ${fmt(TARGET)}).`);
  return { title: "Backtest throughput", markdown: lines.join("\n"), targetsMet: slowest >= TARGET };
}
