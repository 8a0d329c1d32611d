/**
 * Where a backtest's candles come from: a CSV file, an exchange's candle history through an
 * injected `CandleSource` (the composition root builds it: the Crypto.com REST API, so the
 * emulator's base URL works too), or the emulator's market process. Only closed candles are used;
 * the range is [from, to) by candle start. This module constructs no client.
 */
import { readFileSync } from "node:fs";
import type { Candle } from "../domain/market.js";
import { fetchCandleRange } from "../market/backfill.js";
import type { CandleSource } from "../market/source.js";
import { periodMs, type Timeframe } from "../market/timeframe.js";
import { parseCandleCsv } from "./csv.js";
import { generateCandles } from "./generated-candles.js";

export type CandleInput =
  | { kind: "csv"; file: string }
  /** `label` names the source in reports, e.g. "rest https://api.crypto.com/exchange/v1". */
  | { kind: "rest"; source: CandleSource; label: string }
  | { kind: "emulator"; seed: number };

export interface LoadedCandles {
  candles: Candle[];
  gaps: number;
  /** Human description for reports, e.g. "csv data/btc.csv". */
  source: string;
}

export interface CandleRequest {
  symbol: string;
  timeframe: Timeframe;
  /** Inclusive start / exclusive end of candle starts (ms); undefined = the whole file (CSV only). */
  from?: number;
  to?: number;
  /** Wall clock, to drop a candle still in progress from REST (tests inject it). */
  now?: () => number;
}

/** Missing candles between consecutive ones (periods without a candle): counted, never filled. */
function countGaps(candles: readonly Candle[], period: number): number {
  let gaps = 0;
  for (let i = 1; i < candles.length; i++)
    gaps += Math.max(0, (candles[i]!.t - candles[i - 1]!.t) / period - 1);
  return Math.round(gaps);
}

export async function loadCandles(input: CandleInput, req: CandleRequest): Promise<LoadedCandles> {
  const period = periodMs(req.timeframe);
  const inRange = (c: Candle) =>
    (req.from === undefined || c.t >= req.from) && (req.to === undefined || c.t < req.to);
  if (input.kind === "csv") {
    const candles = parseCandleCsv(readFileSync(input.file, "utf8"), req.timeframe).filter(inRange);
    return { candles, gaps: countGaps(candles, period), source: `csv ${input.file}` };
  }
  if (req.from === undefined || req.to === undefined)
    throw new RangeError("a time range is needed for this source");
  if (input.kind === "emulator") {
    const candles = generateCandles({
      symbol: req.symbol,
      timeframe: req.timeframe,
      from: req.from,
      to: req.to,
      seed: input.seed,
    });
    return { candles, gaps: 0, source: `emulator market process, seed ${input.seed}` };
  }
  const now = (req.now ?? Date.now)();
  const all = await fetchCandleRange(
    input.source,
    req.symbol,
    req.timeframe,
    req.from,
    Math.min(req.to, now) - 1,
  );
  const candles = all.filter((c) => inRange(c) && c.t + period <= now);
  return { candles, gaps: countGaps(candles, period), source: input.label };
}
