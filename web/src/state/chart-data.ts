/**
 * ApiCandleSeries → lightweight-charts data. The one place the dashboard turns decimal strings into
 * numbers, for drawing only (a chart needs coordinates); no number made here is ever displayed as a
 * value or sent back. Times: API milliseconds → chart seconds (UTCTimestamp).
 *
 * Invariants: bars ascending by time without duplicates; markers snapped to the bar that contains
 * them (the chart draws markers on bars), sorted; indicator lines skip nulls.
 */
import type { CandlestickData, LineData, SeriesMarker, UTCTimestamp } from "lightweight-charts";
import type { ApiCandleSeries } from "../api/types.js";

const sec = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

export interface ChartData {
  bars: CandlestickData<UTCTimestamp>[];
  lines: { name: "ema10" | "ma50" | "ma200"; data: LineData<UTCTimestamp>[] }[];
  markers: SeriesMarker<UTCTimestamp>[];
}

export function chartDataOf(series: ApiCandleSeries): ChartData {
  const bars: CandlestickData<UTCTimestamp>[] = [];
  const times: number[] = [];
  for (const c of series.candles) {
    const t = sec(c.t);
    if (times.length > 0 && t <= times[times.length - 1]!) continue;
    times.push(t);
    bars.push({ time: t, open: Number(c.o), high: Number(c.h), low: Number(c.l), close: Number(c.c) });
  }
  const lines = (["ema10", "ma50", "ma200"] as const).map((name) => ({
    name,
    data: series.indicators[name].flatMap((v, i): LineData<UTCTimestamp>[] => {
      const c = series.candles[i];
      return v === null || c === undefined ? [] : [{ time: sec(c.t), value: Number(v) }];
    }),
  }));
  const markers = series.markers
    .map((m): SeriesMarker<UTCTimestamp> | null => {
      const t = sec(m.t);
      let bar: number | undefined;
      for (const bt of times) if (bt <= t) bar = bt;
      if (bar === undefined) return null;
      const buy = m.side === "BUY";
      return {
        time: bar as UTCTimestamp,
        position: buy ? "belowBar" : "aboveBar",
        shape: buy ? "arrowUp" : "arrowDown",
        color: buy ? "#16a34a" : "#dc2626",
        text: `${m.side} ${m.price}`,
      };
    })
    .filter((m): m is SeriesMarker<UTCTimestamp> => m !== null)
    .sort((a, b) => a.time - b.time);
  return { bars, lines, markers };
}
