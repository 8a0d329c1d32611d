/**
 * What the strategy engine knows of the market, for the API (`MarketSource`): the latest decisions
 * of LiveSignals with their per-condition trace, the market feed's freshness, candles with
 * indicators for the charts (from the feed's buffers, or over REST for a timeframe it does not
 * hold), BUY/SELL markers from the store's filled orders, and the venue's instruments.
 *
 * Invariants:
 * - Nothing here throws for an exchange failure: candles it cannot read come back empty, the
 *   instrument list as the last one read (or empty); a stale symbol says why.
 * - Symbols are looked up in Maps (the feed's, LiveSignals'), never on plain objects.
 */

import type { ApiCandleSeries, ApiDecision } from "../../api/contract/types.js";
import type { MarketSource, SymbolView } from "../../api/deps.js";
import { type Candle, toCandle } from "../../domain/market.js";
import type { ExchangeClient } from "../../exchange/types.js";
import type { Logger } from "../../log/logger.js";
import type { MarketFeed } from "../../market/feed.js";
import { isTimeframe, type Timeframe } from "../../market/timeframe.js";
import type { Store } from "../../store/types.js";
import type { LiveSignals } from "../../strategy/live-signals.js";
import type { Decision } from "../../strategy/types.js";
import { apiCandleOf, chartIndicators, chartNumberText, latestIndicators } from "./chart-series.js";

export interface PlatformMarketOptions {
  feed: MarketFeed;
  /** Absent when no symbol trades (no strategies run). */
  signals: () => LiveSignals | undefined;
  client: Pick<ExchangeClient, "getCandles" | "getInstruments">;
  store: Store;
  logger: Logger;
  /** Wall-clock time of a stored order → the chart's (market) time; identity off the demo. */
  chartTime?: (wallMs: number) => number;
  /** Called for watch/unwatch (the API's watchlist changes). */
  onWatch?: (symbol: string, watch: boolean) => Promise<void>;
}

export function apiDecisionOf(d: Decision): ApiDecision {
  return {
    action: d.action,
    strategy: d.strategy,
    timeframe: d.timeframe,
    candle_time: d.candleTime,
    evaluated_at: d.evaluatedAt,
    price: chartNumberText(d.price) ?? "0",
    buy_index: d.buyIndex,
    reasons: d.reasons,
    conditions: d.conditions.map((c) => ({
      name: c.id,
      pass: c.status === "pass",
      value: c.value === null ? null : chartNumberText(c.value),
      threshold: c.threshold === null ? null : chartNumberText(c.threshold),
    })),
  };
}

export class PlatformMarket implements MarketSource {
  private instrumentNames: string[] = [];

  constructor(private readonly o: PlatformMarketOptions) {}

  view(symbol: string): SymbolView {
    const feed = this.o.feed;
    const tracked = feed.trackedSymbols().includes(symbol);
    const ticker = feed.ticker(symbol);
    const decision = this.decisions(symbol)[0] ?? null;
    const health = tracked ? feed.health(symbol) : undefined;
    const tf = decision?.timeframe ?? "1h";
    const name = timeframeOf(tf);
    const series = name ? feed.series(symbol, name) : undefined;
    const candles = series ? this.withLive(series.closedCandles(), series.live) : [];
    return {
      price: ticker?.ticker.last?.toFixed() ?? null,
      decision,
      indicators: latestIndicators(candles),
      fresh: health?.ok ?? false,
      staleReason: health
        ? health.ok
          ? null
          : health.reasons.join("; ")
        : "not followed (trading off or no strategy)",
    };
  }

  decisions(symbol: string): ApiDecision[] {
    return (this.o.signals()?.latest(symbol) ?? []).map(apiDecisionOf);
  }

  async candles(symbol: string, timeframe: string, count: number): Promise<ApiCandleSeries> {
    const n = Math.max(1, Math.min(count, 1000));
    const tf = timeframeOf(timeframe);
    const s = tf ? this.o.feed.series(symbol, tf) : undefined;
    let candles: Candle[] = [];
    if (s) candles = this.withLive(s.closedCandles(), s.live).slice(-n);
    else if (tf) {
      try {
        const raw = await this.o.client.getCandles(symbol, tf, { count: n });
        candles = raw.map(toCandle).sort((a, b) => a.t - b.t);
      } catch (err) {
        this.o.logger.debug({ err, symbol, timeframe }, "chart candles could not be read");
      }
    }
    return {
      symbol,
      timeframe,
      candles: candles.map(apiCandleOf),
      indicators: chartIndicators(candles),
      markers: await this.markers(symbol),
    };
  }

  private withLive(closed: Candle[], live: Candle | undefined): Candle[] {
    return live ? [...closed, live] : closed;
  }

  private async markers(symbol: string): Promise<ApiCandleSeries["markers"]> {
    try {
      const page = await this.o.store.orders.page({ symbol, limit: 200 });
      const at = this.o.chartTime ?? ((w: number) => w);
      return page.items
        .filter((r) => r.avgPrice !== undefined && r.filledQuantity.gt(0))
        .map((r) => ({ t: at(r.updatedAt), side: r.side, price: r.avgPrice!.toFixed(), source: r.role }))
        .sort((a, b) => a.t - b.t);
    } catch {
      return [];
    }
  }

  async instruments(): Promise<string[]> {
    try {
      this.instrumentNames = (await this.o.client.getInstruments()).map((i) => i.symbol);
    } catch (err) {
      this.o.logger.debug({ err }, "instruments could not be read; the last list is used");
    }
    return this.instrumentNames;
  }

  async watch(symbol: string): Promise<void> {
    await this.o.onWatch?.(symbol, true);
  }

  async unwatch(symbol: string): Promise<void> {
    await this.o.onWatch?.(symbol, false);
  }
}

function timeframeOf(name: string): Timeframe | undefined {
  return isTimeframe(name) ? name : undefined;
}
