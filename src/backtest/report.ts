/**
 * Backtest output: a JSON summary (`--json`, result.json) and a self-contained HTML report (inline
 * SVG price chart with BUY/SELL markers, equity curve, statistics, trades, and the decision trace
 * behind every order). No scripts, fonts or links: the file opens offline and is byte-for-byte the
 * same for the same backtest (nothing time- or machine-dependent is written).
 */
import type { Candle } from "../domain/market.js";
import type { Decision } from "../strategy/types.js";
import type { BacktestResult, Marker, Trade } from "./run.js";

export interface ReportMeta {
  /** Where the candles came from, e.g. "csv data/btc.csv", "rest https://…", "emulator seed 1". */
  source: string;
  /** Missing candles in the input (counted, not filled). */
  gaps: number;
}

const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");
const r2 = (x: number) => Math.round(x * 100) / 100;
/** Price-like numbers with up to 8 significant digits, exactly reproducible. */
const px = (x: number) => String(Number(x.toPrecision(8)));

export function summaryJson(r: BacktestResult, meta: ReportMeta): Record<string, unknown> {
  return {
    symbol: r.symbol,
    timeframe: r.timeframe,
    strategy: r.strategy,
    source: meta.source,
    from: iso(r.from),
    to: iso(r.to),
    candles: r.candles,
    gaps: meta.gaps,
    fill: r.fill,
    signals: r.signals,
    stats: {
      ...r.stats,
      winRatePct: r2(r.stats.winRatePct),
      netPnl: r2(r.stats.netPnl),
      grossPnl: r2(r.stats.grossPnl),
      fees: r2(r.stats.fees),
      finalEquity: r2(r.stats.finalEquity),
      returnPct: r2(r.stats.returnPct),
      maxDrawdown: r2(r.stats.maxDrawdown),
      maxDrawdownPct: r2(r.stats.maxDrawdownPct),
      exposurePct: r2(r.stats.exposurePct),
      avgTradePct: r2(r.stats.avgTradePct),
    },
    fingerprint: r.fingerprint,
    trades: r.trades.map((t) => ({
      entryTime: iso(t.entryTime),
      entryPrice: px(t.entryPrice),
      quantity: px(t.quantity),
      stopLoss: px(t.stopLoss),
      takeProfit: px(t.takeProfit),
      exitTime: iso(t.exitTime),
      exitPrice: px(t.exitPrice),
      exitReason: t.exitReason,
      fees: r2(t.entryFee + t.exitFee),
      pnl: r2(t.pnl),
      returnPct: r2(t.returnPct),
    })),
  };
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface Frame {
  w: number;
  h: number;
  pad: number;
  /** Left margin, wide enough for the y-axis labels (prices up to 9 digits). */
  left: number;
  x: (t: number) => number;
  y: (v: number) => number;
}

function frame(
  t0: number,
  t1: number,
  lo: number,
  hi: number,
  w = 1000,
  h = 300,
  pad = 40,
  left = 90,
): Frame {
  const span = hi - lo || Math.abs(hi) || 1;
  return {
    w,
    h,
    pad,
    left,
    x: (t) => left + ((t - t0) / (t1 - t0 || 1)) * (w - left - pad),
    y: (v) => h - pad - ((v - lo) / span) * (h - 2 * pad),
  };
}

/** At most `n` points: the last value of each of `n` equal slices of the series. */
function sample(values: readonly number[], times: readonly number[], n: number): [number, number][] {
  const out: [number, number][] = [];
  const step = Math.max(1, Math.ceil(values.length / n));
  for (let i = step - 1; i < values.length; i += step) out.push([times[i]!, values[i]!]);
  if (values.length > 0 && out.at(-1)?.[0] !== times.at(-1)) out.push([times.at(-1)!, values.at(-1)!]);
  return out;
}

function axes(f: Frame, lo: number, hi: number, t0: number, t1: number): string {
  const lines: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    const y = f.y(v).toFixed(1);
    lines.push(`<line x1="${f.left}" y1="${y}" x2="${f.w - f.pad}" y2="${y}" class="grid"/>`);
    lines.push(`<text x="${f.left - 6}" y="${y}" class="ylab">${esc(px(v))}</text>`);
  }
  lines.push(`<text x="${f.left}" y="${f.h - 8}" class="xlab">${iso(t0)}</text>`);
  lines.push(`<text x="${f.w - f.pad}" y="${f.h - 8}" class="xlab end">${iso(t1)}</text>`);
  return lines.join("");
}

const MARK: Record<Marker["kind"], { cls: string; shape: (x: number, y: number) => string; label: string }> =
  {
    BUY: { cls: "buy", label: "BUY", shape: (x, y) => `M${x} ${y + 4}l-5 9h10z` },
    SELL: { cls: "sell", label: "SELL (signal)", shape: (x, y) => `M${x} ${y - 4}l-5 -9h10z` },
    STOP_LOSS: { cls: "sl", label: "stop-loss", shape: (x, y) => `M${x - 4} ${y - 12}l8 8m0 -8l-8 8` },
    TAKE_PROFIT: { cls: "tp", label: "take-profit", shape: (x, y) => `M${x} ${y - 14}l5 5l-5 5l-5 -5z` },
    END_OF_DATA: { cls: "endm", label: "end of data", shape: (x, y) => `M${x - 4} ${y - 12}h8v8h-8z` },
  };

export function priceSvg(candles: readonly Candle[], markers: readonly Marker[]): string {
  const times = candles.map((c) => c.t);
  const closes = candles.map((c) => c.c);
  const pts = sample(closes, times, 1500);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const c of candles) {
    if (c.l < lo) lo = c.l;
    if (c.h > hi) hi = c.h;
  }
  const t0 = times[0]!;
  const t1 = times.at(-1)!;
  const f = frame(t0, t1, lo, hi, 1000, 340);
  const line = pts.map(([t, v], i) => `${i ? "L" : "M"}${f.x(t).toFixed(1)} ${f.y(v).toFixed(1)}`).join("");
  const marks = markers
    .map((m) => {
      const k = MARK[m.kind];
      const x = Number(f.x(Math.min(Math.max(m.t, t0), t1)).toFixed(1));
      const y = Number(f.y(m.price).toFixed(1));
      return `<path d="${k.shape(x, y)}" class="${k.cls}"><title>${k.label} ${iso(m.t)} @ ${px(m.price)}</title></path>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.w} ${f.h}" role="img" aria-label="price with BUY/SELL markers">${axes(f, lo, hi, t0, t1)}<path d="${line}" class="price"/>${marks}</svg>`;
}

export function equitySvg(equity: readonly number[], times: readonly number[], initial: number): string {
  const pts = sample(equity, times, 1500);
  let lo = initial;
  let hi = initial;
  for (const [, v] of pts) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const t0 = times[0]!;
  const t1 = times.at(-1)!;
  const f = frame(t0, t1, lo, hi, 1000, 220);
  const line = pts.map(([t, v], i) => `${i ? "L" : "M"}${f.x(t).toFixed(1)} ${f.y(v).toFixed(1)}`).join("");
  const y0 = f.y(initial).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.w} ${f.h}" role="img" aria-label="equity curve">${axes(f, lo, hi, t0, t1)}<line x1="${f.left}" y1="${y0}" x2="${f.w - f.pad}" y2="${y0}" class="base"/><path d="${line}" class="equity"/></svg>`;
}

function tradeRows(trades: readonly Trade[], limit: number): string {
  return trades
    .slice(0, limit)
    .map(
      (t, i) =>
        `<tr><td>${i + 1}</td><td>${iso(t.entryTime)}</td><td>${px(t.entryPrice)}</td><td>${iso(t.exitTime)}</td><td>${px(t.exitPrice)}</td><td>${t.exitReason}</td><td>${r2(t.entryFee + t.exitFee)}</td><td class="${t.pnl >= 0 ? "pos" : "neg"}">${r2(t.pnl)}</td><td>${r2(t.returnPct)} %</td></tr>`,
    )
    .join("");
}

function traceBlock(d: Decision): string {
  const rows = d.conditions
    .map(
      (c) =>
        `<tr class="${c.status}"><td>${esc(c.side)}</td><td>${esc(c.label)}</td><td>${c.status}</td><td>${esc(c.detail)}</td></tr>`,
    )
    .join("");
  const risk = d.risk ? `<p>${esc(d.risk.detail)}</p>` : "";
  return `<details><summary>${d.action} at the close of ${iso(d.candleTime)} (${px(d.price)})</summary><table><tr><th>side</th><th>condition</th><th>status</th><th>detail</th></tr>${rows}</table>${risk}</details>`;
}

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}
td:nth-child(2){text-align:left}svg{width:100%;max-width:1000px;height:auto;border:1px solid #eee}
.grid{stroke:#eee}.ylab{font-size:10px;text-anchor:end;dominant-baseline:middle;fill:#666}.xlab{font-size:10px;fill:#666}.end{text-anchor:end}
.price{fill:none;stroke:#345;stroke-width:1}.equity{fill:none;stroke:#2a7;stroke-width:1.5}.base{stroke:#999;stroke-dasharray:4 3}
.buy{fill:#1a9c3e}.sell{fill:#d33}.sl{stroke:#e80;stroke-width:2;fill:none}.tp{fill:#27c}.endm{fill:#888}
.pos{color:#1a7f37}.neg{color:#c22}tr.fail td{color:#c22}tr.insufficient td{color:#a60}details{margin:4px 0}`;

export function renderReportHtml(r: BacktestResult, candles: readonly Candle[], meta: ReportMeta): string {
  const s = r.stats;
  const title = `Backtest ${r.symbol} ${r.timeframe} ${r.strategy}`;
  const stat = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const TRADE_LIMIT = 1000;
  const TRACE_LIMIT = 200;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p>${esc(meta.source)} · ${iso(r.from)} → ${iso(r.to)} · ${r.candles} candles${meta.gaps ? ` (${meta.gaps} missing, not filled)` : ""}</p>
<h2>Price and orders</h2>
<p>▲ BUY fill · ▼ SELL fill on a signal · ✕ stop-loss · ◆ take-profit · ■ closed at the end of data</p>
${priceSvg(candles, r.markers)}
<h2>Equity</h2>
${equitySvg(
  r.equity,
  candles.map((c) => c.t),
  r.fill.initialCash,
)}
<h2>Results</h2>
<table>
${stat("trades", String(s.trades))}${stat("win rate", `${r2(s.winRatePct)} % (${s.wins} won, ${s.losses} lost)`)}
${stat("net P&L", `${r2(s.netPnl)} (${r2(s.returnPct)} % of the starting balance)`)}${stat("P&L before fees", String(r2(s.grossPnl)))}
${stat("fees", String(r2(s.fees)))}${stat("max drawdown", `${r2(s.maxDrawdown)} (${r2(s.maxDrawdownPct)} %)`)}
${stat("exposure time", `${r2(s.exposurePct)} %`)}${stat("average trade", `${r2(s.avgTradePct)} %`)}
${stat(
  "exits",
  Object.entries(s.exits)
    .map(([k, v]) => `${k} ${v}`)
    .join(", "),
)}
${stat("signals emitted", `BUY ${r.signals.buy}, SELL ${r.signals.sell}; throttled ${r.signals.throttled}; not actionable ${r.signals.ignored}`)}
${stat("fill model", `market at next open, slippage ${r.fill.slippage * 100} %, fee ${r.fill.feeRate * 100} %, ${r.fill.tradeAmount} per BUY from ${r.fill.initialCash}`)}
${stat("fingerprint (sha256 of the trades)", r.fingerprint)}
</table>
<h2>Trades</h2>
<table><tr><th>#</th><th>entry</th><th>price</th><th>exit</th><th>price</th><th>reason</th><th>fees</th><th>P&amp;L</th><th>return</th></tr>${tradeRows(r.trades, TRADE_LIMIT)}</table>
${r.trades.length > TRADE_LIMIT ? `<p>… ${r.trades.length - TRADE_LIMIT} more trades in result.json</p>` : ""}
<h2>Why each order was placed</h2>
${r.emitted.slice(0, TRACE_LIMIT).map(traceBlock).join("\n")}
${r.emitted.length > TRACE_LIMIT ? `<p>… ${r.emitted.length - TRACE_LIMIT} more</p>` : ""}
</body></html>
`;
}
