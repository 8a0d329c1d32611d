/**
 * Market data freshness. Trading on a symbol is blocked while any of its data is stale, with the
 * reasons spelled out:
 * - a candle series is still backfilling, or its backfill/repair failed;
 * - a series is repairing a gap (it closes no candle until the repair succeeds);
 * - no update for a series for longer than `stalePeriods` candle periods (default 2);
 * - the newest candle of a series started more than `stalePeriods` periods before the current one;
 * - no ticker yet, or none for longer than `tickerStaleMs` (default 90 s).
 */
import type { CandleSeries } from "./series.js";
import type { Timeframe } from "./timeframe.js";

export interface HealthLimits {
  stalePeriods: number;
  tickerStaleMs: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthLimits = { stalePeriods: 2, tickerStaleMs: 90_000 };

export interface DataHealth {
  symbol: string;
  /** False blocks trading on the symbol. */
  ok: boolean;
  /** Why not ok (empty when ok). */
  reasons: string[];
  /** Whether the live stream is connected (REST polling takes over when it is not). */
  streamConnected: boolean;
  checkedAt: number;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  return h % 24 === 0 ? `${h / 24} d` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function seriesProblems(
  s: CandleSeries,
  timeframe: Timeframe,
  now: number,
  limits: HealthLimits = DEFAULT_HEALTH_LIMITS,
): string[] {
  const name = `${s.symbol} ${timeframe}`;
  if (s.state === "backfilling") {
    return [s.lastError ? `${name}: backfill failed: ${s.lastError}` : `${name}: backfill in progress`];
  }
  const out: string[] = [];
  if (s.state === "repairing") {
    out.push(
      `${name}: repairing missed candles after ${new Date(s.newestStart ?? 0).toISOString()}${s.lastError ? ` (last attempt: ${s.lastError})` : ""}`,
    );
  }
  const limit = limits.stalePeriods * s.periodMs;
  const quiet = now - s.lastUpdateAt;
  if (Number.isNaN(quiet)) out.push(`${name}: no candles received yet`);
  else if (quiet > limit) {
    out.push(`${name}: no candle update for ${formatDuration(quiet)} (limit ${formatDuration(limit)})`);
  }
  const newest = s.newestStart;
  if (newest !== undefined && now - (newest + s.periodMs) > limit) {
    out.push(
      `${name}: newest candle started at ${new Date(newest).toISOString()}, more than ${limits.stalePeriods} periods ago`,
    );
  }
  return out;
}

export function tickerProblems(
  symbol: string,
  receivedAt: number | undefined,
  now: number,
  limits: HealthLimits = DEFAULT_HEALTH_LIMITS,
): string[] {
  if (receivedAt === undefined) return [`${symbol}: no ticker received yet`];
  const silent = now - receivedAt;
  if (silent > limits.tickerStaleMs) {
    return [
      `${symbol}: ticker silent for ${formatDuration(silent)} (limit ${formatDuration(limits.tickerStaleMs)})`,
    ];
  }
  return [];
}
