/** Backtest statistics from the trade list and the equity curve. */
import type { Trade } from "./run.js";

export interface Stats {
  trades: number;
  wins: number;
  losses: number;
  /** wins ÷ trades in % (0 without trades). */
  winRatePct: number;
  /** Net P&L after fees (quote). */
  netPnl: number;
  /** P&L before fees. */
  grossPnl: number;
  fees: number;
  finalEquity: number;
  returnPct: number;
  /** Largest peak-to-trough fall of the equity curve (quote and % of the peak). */
  maxDrawdown: number;
  maxDrawdownPct: number;
  /** Share of the backtest's time with a position open, in %. */
  exposurePct: number;
  /** Mean net return per trade in %. */
  avgTradePct: number;
  /** Trades by exit reason. */
  exits: Record<Trade["exitReason"], number>;
}

export function computeStats(
  trades: readonly Trade[],
  equity: readonly number[],
  initialCash: number,
  from: number,
  to: number,
): Stats {
  let wins = 0;
  let netPnl = 0;
  let fees = 0;
  let held = 0;
  let sumRet = 0;
  const exits: Stats["exits"] = { SIGNAL: 0, STOP_LOSS: 0, TAKE_PROFIT: 0, END_OF_DATA: 0 };
  for (const t of trades) {
    if (t.pnl > 0) wins++;
    netPnl += t.pnl;
    fees += t.entryFee + t.exitFee;
    held += t.exitTime - t.entryTime;
    sumRet += t.returnPct;
    exits[t.exitReason]++;
  }
  let peak = initialCash;
  let maxDd = 0;
  let maxDdPct = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    const dd = peak - e;
    if (dd > maxDd) maxDd = dd;
    const ddPct = peak > 0 ? (dd / peak) * 100 : 0;
    if (ddPct > maxDdPct) maxDdPct = ddPct;
  }
  const finalEquity = equity.length > 0 ? equity[equity.length - 1]! : initialCash;
  return {
    trades: trades.length,
    wins,
    losses: trades.length - wins,
    winRatePct: trades.length > 0 ? (wins / trades.length) * 100 : 0,
    netPnl,
    grossPnl: netPnl + fees,
    fees,
    finalEquity,
    returnPct: ((finalEquity - initialCash) / initialCash) * 100,
    maxDrawdown: maxDd,
    maxDrawdownPct: maxDdPct,
    exposurePct: to > from ? (held / (to - from)) * 100 : 0,
    avgTradePct: trades.length > 0 ? sumRet / trades.length : 0,
    exits,
  };
}
