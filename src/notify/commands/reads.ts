/** Read-only commands: /balance, /portfolio, /positions, /watchlist, /signals, /orders. */
import { dec } from "../../util/decimal.js";
import { b, code, escapeHtml } from "../html.js";
import type { BotCommandSpec, CommandCall } from "./types.js";

function balanceLines(c: CommandCall): string[] {
  const bal = c.deps.exchange.balances();
  const lines = bal.balances
    .slice(0, 20)
    .map(
      (x) =>
        `• ${escapeHtml(x.currency)} ${code(x.total)} (available ${code(x.available)})${x.usd_value !== null ? ` ≈ ${code(x.usd_value)} USD` : ""}`,
    );
  if (lines.length === 0) lines.push(`No balances known${bal.reason ? `: ${escapeHtml(bal.reason)}` : ""}.`);
  if (bal.totalUsd !== null) lines.push(`Total ≈ ${code(bal.totalUsd)} USD`);
  if (!bal.verified) lines.push("(not verified by a fresh exchange read)");
  return lines;
}

export const balanceCommand: BotCommandSpec = {
  name: "balance",
  description: "Balances",
  run: async (c) => ({ title: b("Balances"), lines: balanceLines(c) }),
};

export const portfolioCommand: BotCommandSpec = {
  name: "portfolio",
  description: "Balances and open positions valued at market",
  run: async (c) => {
    const lines = balanceLines(c);
    const open = await c.deps.services.listPositions({ open: true });
    lines.push("", b(`Open positions (${open.length})`));
    for (const p of open.slice(0, 20)) {
      const price = c.deps.market.view(p.lot.symbol).price;
      const value = price ? p.lot.openQuantity.times(dec(price)).toFixed() : "?";
      lines.push(`• ${code(p.lot.symbol)} ${code(p.lot.openQuantity.toFixed())} ≈ ${code(value)}`);
    }
    return { title: b("Portfolio"), lines };
  },
};

export const positionsCommand: BotCommandSpec = {
  name: "positions",
  description: "Open positions with their protection",
  run: async (c) => {
    const open = await c.deps.services.listPositions({ open: true });
    const lines = open.slice(0, 20).map((p) => {
      const l = p.lot;
      const unreal = (() => {
        const price = c.deps.market.view(l.symbol).price;
        return price && l.entryPrice
          ? ` · P&amp;L ${code(dec(price).minus(l.entryPrice).times(l.openQuantity).toFixed())}`
          : "";
      })();
      return `• ${code(l.symbol)} ${code(l.openQuantity.toFixed())} @ ${code(l.entryPrice?.toFixed() ?? "?")} · TP ${code(l.tpPrice?.toFixed() ?? "-")} · SL ${code(l.slPrice?.toFixed() ?? "-")} · ${escapeHtml(l.protection)}${unreal}`;
    });
    if (lines.length === 0) lines.push("No open position.");
    return { title: b("Open positions"), lines };
  },
};

export const watchlistCommand: BotCommandSpec = {
  name: "watchlist",
  description: "Watched symbols and prices",
  run: async (c) => {
    const items = await c.deps.store.watchlist.list();
    const lines = items.map((w) => {
      const v = c.deps.market.view(w.symbol);
      return `• ${code(w.symbol)} ${code(v.price ?? "?")}${v.fresh ? "" : " (stale)"} · trading ${w.tradeEnabled ? "on" : "off"} · amount ${code(w.amountUsd?.toFixed() ?? "not set")} USD`;
    });
    if (lines.length === 0) lines.push("The watchlist is empty: /add SYMBOL");
    return { title: b("Watchlist"), lines };
  },
};

export const signalsCommand: BotCommandSpec = {
  name: "signals",
  description: "The latest signals",
  run: async (c) => {
    const rows = await c.deps.store.signals.list({ limit: 10 });
    const lines = rows.map(
      (s) =>
        `• ${escapeHtml(new Date(s.receivedAt).toISOString().slice(0, 16).replace("T", " "))} ${escapeHtml(s.side)} ${code(s.symbol)} ${code(s.price?.toFixed() ?? "?")} · ${escapeHtml(s.status)}${s.reasonCode ? ` ${code(s.reasonCode)}` : ""}`,
    );
    if (lines.length === 0) lines.push("No signal yet.");
    return { title: b("Latest signals"), lines };
  },
};

export const ordersCommand: BotCommandSpec = {
  name: "orders",
  description: "The latest orders",
  run: async (c) => {
    const page = await c.deps.services.listOrders({ limit: 10 });
    const lines = page.items.map(
      (o) =>
        `• ${code(o.symbol)} ${escapeHtml(o.side)} ${escapeHtml(o.role)} ${escapeHtml(o.type)} · ${escapeHtml(o.status)} · filled ${code(o.filledQuantity.toFixed())}${o.avgPrice ? ` @ ${code(o.avgPrice.toFixed())}` : ""}`,
    );
    if (lines.length === 0) lines.push("No order yet.");
    return { title: b("Latest orders"), lines };
  },
};
