/**
 * `atp positions [--open] [--json] [--symbol S]`: the positions (lots): open ones first, oldest
 * first, then closed ones, each with its protection (take-profit and stop-loss legs) and realised
 * P&L, read through the trading services. Read-only: no leader lock, works while an engine runs.
 *
 * Invariants:
 * - Money is printed as the exact decimal text the store holds; every row names its mode.
 * - No positions prints "no positions yet" and exits 0; a store that cannot be opened exits 2.
 */
import { TradingServices } from "../../trading/services/index.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { alignedTable, decText, utcText, withReadStore } from "./orders.js";

const options = {
  open: option.flag("only positions not closed"),
  symbol: option.string("only this instrument, e.g. BTC_USD", { value: "SYMBOL" }),
  json: option.flag("print the positions as JSON (money as decimal strings)"),
};

export const command = defineCommand({
  name: "positions",
  summary: "List positions (lots) with their mode, quantity, entry, protection and realised P&L",
  notes:
    "Read-only; works while an engine runs. Exit codes: 0 ok (also when there are none), 2 usage error or store unavailable.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  return withReadStore("positions", async (store) => {
    const services = new TradingServices({ store });
    const positions = await services.listPositions({
      open: values.open,
      ...(values.symbol !== undefined ? { symbol: values.symbol } : {}),
    });
    if (values.json) {
      const out = positions.map((p) => ({
        ...p.lot,
        take_profit_order: p.takeProfit ?? null,
        stop_loss_order: p.stopLoss ?? null,
        orders: p.orders.map((o) => ({
          id: o.id,
          role: o.role,
          status: o.status,
          client_oid: o.clientOid ?? null,
        })),
      }));
      process.stdout.write(`${JSON.stringify({ positions: out }, null, 2)}\n`);
      return 0;
    }
    if (positions.length === 0) {
      const what = `${values.open ? "open " : ""}positions${values.symbol !== undefined ? ` for ${values.symbol}` : ""}`;
      process.stdout.write(`no ${what} yet (store: ${store.location})\n`);
      return 0;
    }
    const header = ["OPENED (UTC)", "MODE", "SYMBOL", "STATUS", "PROTECTION", "QUANTITY", "OPEN QTY"];
    header.push("ENTRY", "TP", "SL", "TP ORDER", "SL ORDER", "REALISED P&L", "FEES", "EXIT", "CLOSED (UTC)");
    const rows = positions.map(({ lot, takeProfit, stopLoss }) => [
      utcText(lot.openedAt),
      lot.mode,
      lot.symbol,
      lot.status,
      lot.protection,
      decText(lot.quantity),
      decText(lot.openQuantity),
      decText(lot.entryPrice),
      decText(lot.tpPrice),
      decText(lot.slPrice),
      takeProfit?.status ?? "-",
      stopLoss?.status ?? "-",
      decText(lot.realisedPnl),
      decText(lot.fees),
      lot.exitReason ?? "-",
      utcText(lot.closedAt),
    ]);
    process.stdout.write(`${alignedTable(header, rows)}\n`);
    return 0;
  });
}
