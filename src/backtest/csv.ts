/**
 * Candle CSV: header `t,o,h,l,c,v` (t = candle start in ms since the epoch, UTC), one candle per
 * line, ascending. Every problem is reported with its line number; nothing is repaired silently.
 */
import { AtpError, type Disposition } from "../domain/errors.js";
import { type Candle, candleProblem } from "../domain/market.js";
import { isEpochAligned, periodMs, type Timeframe } from "../market/timeframe.js";

export const CSV_HEADER = "t,o,h,l,c,v";

export class CandleCsvError extends AtpError {
  get errorCode(): string {
    return "backtest.candle_csv";
  }
  get disposition(): Disposition {
    return "fatal";
  }

  constructor(readonly problems: string[]) {
    super(
      problems.slice(0, 10).join("\n") + (problems.length > 10 ? `\n… and ${problems.length - 10} more` : ""),
    );
    this.name = "CandleCsvError";
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Candles of the file, ascending; throws CandleCsvError listing every bad line. Gaps are allowed. */
export function parseCandleCsv(text: string, timeframe: Timeframe): Candle[] {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  const header = (lines[0] ?? "").trim().replace(/^\uFEFF/, "");
  if (header.replace(/\s+/g, "") !== CSV_HEADER) {
    throw new CandleCsvError([`line 1: expected the header "${CSV_HEADER}", got "${header}"`]);
  }
  const period = periodMs(timeframe);
  const aligned = isEpochAligned(timeframe);
  const candles: Candle[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const cells = line.split(",").map((s) => s.trim());
    const n = i + 1;
    if (cells.length !== 6) {
      problems.push(`line ${n}: expected 6 values (t,o,h,l,c,v), got ${cells.length}`);
      continue;
    }
    const bad = cells.findIndex((c) => !NUMBER.test(c));
    if (bad >= 0) {
      problems.push(`line ${n}: ${"tohlcv"[bad]} is not a number: "${cells[bad]}"`);
      continue;
    }
    const [t, o, h, l, c, v] = cells.map(Number) as [number, number, number, number, number, number];
    const candle: Candle = { t, o, h, l, c, v };
    const problem = candleProblem(candle);
    if (problem) {
      problems.push(`line ${n}: ${problem}`);
      continue;
    }
    if (aligned && t % period !== 0) {
      problems.push(
        `line ${n}: t=${t} is not the start of a ${timeframe} candle (a multiple of ${period} ms)`,
      );
      continue;
    }
    const prev = candles[candles.length - 1];
    if (prev && t <= prev.t) {
      problems.push(
        `line ${n}: t=${t} is not after the previous candle (${prev.t}); sort the file ascending by t`,
      );
      continue;
    }
    candles.push(candle);
  }
  if (problems.length > 0) throw new CandleCsvError(problems);
  return candles;
}

/** Writes candles as CSV with the header above (numbers in their shortest exact form). */
export function formatCandleCsv(candles: readonly Candle[]): string {
  return `${CSV_HEADER}\n${candles.map((c) => `${c.t},${c.o},${c.h},${c.l},${c.c},${c.v}`).join("\n")}\n`;
}
