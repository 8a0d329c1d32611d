/**
 * A coin's candlestick chart (lightweight-charts): candles and EMA10/MA50/MA200 from
 * GET /api/candles/{symbol}, BUY/SELL markers, and the open position's entry, SL and TP as price
 * lines. Reloads when the symbol changes and, at most every 5 s, after live events.
 */
import {
  type AutoscaleInfo,
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  LineSeries,
  LineStyle,
} from "lightweight-charts";
import { useEffect, useRef, useState } from "react";
import { api, describeError } from "../api/client.js";
import type { ApiCandleSeries, ApiPosition } from "../api/types.js";
import { chartDataOf } from "../state/chart-data.js";
import { useDashboard } from "../state/dashboard.js";

const LINE_COLORS = { ema10: "#f59e0b", ma50: "#3b82f6", ma200: "#a855f7" } as const;

export function CandleChart({ symbol, position }: { symbol: string; position: ApiPosition | null }) {
  const box = useRef<HTMLDivElement>(null);
  const { eventCount } = useDashboard();
  const [series, setSeries] = useState<ApiCandleSeries | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadedAt = useRef(0);
  const loadedSymbol = useRef("");

  const shown = useRef(symbol);
  shown.current = symbol;
  // biome-ignore lint/correctness/useExhaustiveDependencies: eventCount triggers a (throttled) reload
  useEffect(() => {
    const now = Date.now();
    if (loadedSymbol.current === symbol && now - loadedAt.current < 5_000) return;
    loadedSymbol.current = symbol;
    loadedAt.current = now;
    // a read in flight is never dropped (a throttled re-run starts none); only an answer for another
    // symbol than the one shown is ignored
    api.candles(symbol, "1m", 200).then(
      (s) => {
        if (shown.current !== symbol) return;
        setSeries(s);
        setError(null);
      },
      (e: unknown) => shown.current === symbol && setError(describeError(e)),
    );
  }, [symbol, eventCount]);

  useEffect(() => {
    if (!box.current || !series || series.symbol !== symbol) return;
    const chart: IChartApi = createChart(box.current, {
      autoSize: true,
      layout: { background: { color: "#0f172a" }, textColor: "#cbd5e1" },
      grid: { vertLines: { color: "#1e293b" }, horzLines: { color: "#1e293b" } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    const data = chartDataOf(series);
    const levels: [string | null | undefined, string, string][] = [
      [position?.entry_price, "Entry", "#e2e8f0"],
      [position?.sl_price, "SL", "#dc2626"],
      [position?.tp_price, "TP", "#16a34a"],
    ];
    const prices = levels.flatMap(([p]) => (p ? [Number(p)] : []));
    // the price scale also covers the entry, SL and TP lines (they may lie outside the candles' range)
    const candles = chart.addSeries(CandlestickSeries, {
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (!info?.priceRange || prices.length === 0) return info;
        const { minValue, maxValue } = info.priceRange;
        return {
          ...info,
          priceRange: { minValue: Math.min(minValue, ...prices), maxValue: Math.max(maxValue, ...prices) },
        };
      },
    });
    candles.setData(data.bars);
    for (const line of data.lines) {
      const s = chart.addSeries(LineSeries, {
        color: LINE_COLORS[line.name],
        lineWidth: 1,
        title: line.name.toUpperCase(),
        priceLineVisible: false,
        lastValueVisible: false,
      });
      s.setData(line.data);
    }
    createSeriesMarkers(candles, data.markers);
    for (const [price, title, color] of levels)
      if (price)
        candles.createPriceLine({
          price: Number(price),
          title,
          color,
          lineStyle: LineStyle.Dashed,
          lineWidth: 1,
          axisLabelVisible: true,
        });
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [series, symbol, position?.entry_price, position?.sl_price, position?.tp_price]);

  return (
    <div className="chart-wrap" data-testid="chart">
      <div className="chart-head">
        <strong>{symbol}</strong> <span className="muted small">{series?.timeframe ?? ""} candles</span>
        {series && (
          <span className="muted small" data-testid="chart-info">
            {" "}
            · {series.candles.length} candles · {series.markers.length} markers
          </span>
        )}
        {error && <span className="error"> {error}</span>}
      </div>
      <div className="chart" ref={box} />
    </div>
  );
}
