/**
 * The daily summary: balances (the last verified read), realised P&L since the local midnight of the
 * configured time zone, orders created since then, open positions. Money is summed as `Dec`.
 */
import type { TradingMode } from "../../domain/trading.js";
import type { Repositories } from "../../store/types.js";
import { dec } from "../../util/decimal.js";
import type { NotifierBalances } from "../deps.js";
import { b, code, escapeHtml, messageOf } from "../html.js";

export interface SummaryInput {
  mode: TradingMode;
  /** The local date summarised, "YYYY-MM-DD", and its time zone. */
  date: string;
  timeZone: string;
  /** The local midnight that starts `date` (ms). */
  since: number;
  balances: NotifierBalances;
  reads: Repositories;
}

export async function renderDailySummary(s: SummaryInput): Promise<string> {
  const closed = await s.reads.lots.closedSince(s.since);
  const pnl = closed.reduce((a, l) => a.plus(l.realisedPnl), dec("0"));
  const orders = await s.reads.orders.page({ since: s.since, limit: 500 });
  const open = await s.reads.lots.listOpen();
  const lines = [`${b("Balances")}${s.balances.verified ? "" : " (not verified)"}`];
  if (s.balances.balances.length === 0)
    lines.push(`• none known${s.balances.reason ? `: ${escapeHtml(s.balances.reason)}` : ""}`);
  for (const x of s.balances.balances.slice(0, 10))
    lines.push(
      `• ${escapeHtml(x.currency)} ${code(x.total)}${x.usd_value !== null ? ` ≈ ${code(x.usd_value)} USD` : ""}`,
    );
  if (s.balances.totalUsd !== null) lines.push(`Total ≈ ${code(s.balances.totalUsd)} USD`);
  lines.push(
    `${b("Realised P&L")}: ${code(pnl.toFixed())} (${closed.length} closed position${closed.length === 1 ? "" : "s"})`,
    `${b("Orders")}: ${orders.items.length}${orders.nextCursor ? "+" : ""}`,
    `${b("Open positions")}: ${open.length}`,
    ...open
      .slice(0, 10)
      .map(
        (l) =>
          `• ${code(l.symbol)} ${code(l.openQuantity.toFixed())} @ ${code(l.entryPrice?.toFixed() ?? "?")} (${escapeHtml(l.protection)})`,
      ),
  );
  const title = `📊 ${b("Daily summary")} · ${escapeHtml(s.date)} (${escapeHtml(s.timeZone)})`;
  return messageOf(s.mode, title, lines);
}
