/**
 * `atp orders [--open] [--json] [--symbol S] [--limit N]`: the stored orders, newest first, read
 * through the trading services. Read-only: it opens the store (SQLite in ATP_DATA_DIR, or
 * DATABASE_URL) without taking the leader lock, so it works while an engine runs.
 *
 * Invariants:
 * - Money is printed as the exact decimal text the store holds (never through a JS number).
 * - Every row names its mode (LIVE / DRY_RUN / DEMO).
 * - An empty store prints "no orders yet" and exits 0; a store that cannot be opened exits 2.
 */
import { createRuntime } from "../../app/runtime.js";
import { loadConfig } from "../../config/load.js";
import { isTriggerType } from "../../domain/orders.js";
import type { Store } from "../../store/types.js";
import { TradingServices } from "../../trading/services/index.js";
import type { Dec } from "../../util/decimal.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

const options = {
  open: option.flag("only orders not in a final state (not FILLED, CANCELED, REJECTED, EXPIRED)"),
  symbol: option.string("only this instrument, e.g. BTC_USD", { value: "SYMBOL" }),
  limit: option.int("how many orders (newest first)", { min: 1, max: 500 }, { default: 50 }),
  json: option.flag("print the orders as JSON (money as decimal strings)"),
};

export const command = defineCommand({
  name: "orders",
  summary: "List stored orders (newest first) with their mode, role, status, quantities and prices",
  notes:
    "Read-only; works while an engine runs. Exit codes: 0 ok (also when there are none), 2 usage error or store unavailable.",
  options,
  run,
});

/** A decimal as its exact text, "-" when absent. */
export function decText(d: Dec | undefined): string {
  return d === undefined ? "-" : d.toFixed();
}

/** An instant as `YYYY-MM-DD HH:MM:SS` UTC. */
export function utcText(ms: number | undefined): string {
  return ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Rows as an aligned table: header first, columns padded to their widest cell. */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** Opens the runtime's store, runs `fn`, stops the runtime; a store that cannot be opened → exit 2. */
export async function withReadStore(name: string, fn: (store: Store) => Promise<number>): Promise<number> {
  const runtime = createRuntime(loadConfig(), { name });
  try {
    let store: Store;
    try {
      store = await runtime.store();
    } catch (e) {
      process.stderr.write(
        `atp ${name}: cannot open the store: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      return 2;
    }
    return await fn(store);
  } finally {
    await runtime.stop();
  }
}

async function run(values: OptionValues<typeof options>): Promise<number> {
  return withReadStore("orders", async (store) => {
    const services = new TradingServices({ store });
    const page = await services.listOrders({
      open: values.open,
      limit: values.limit,
      ...(values.symbol !== undefined ? { symbol: values.symbol } : {}),
    });
    if (values.json) {
      const out = { orders: page.items, next_cursor: page.nextCursor ?? null };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    if (page.items.length === 0) {
      const what = `${values.open ? "open " : ""}orders${values.symbol !== undefined ? ` for ${values.symbol}` : ""}`;
      process.stdout.write(`no ${what} yet (store: ${store.location})\n`);
      return 0;
    }
    const header = ["CREATED (UTC)", "MODE", "SYMBOL", "SIDE", "TYPE", "ROLE", "STATUS"];
    header.push(
      "QUANTITY",
      "NOTIONAL",
      "PRICE",
      "TRIGGER",
      "FILLED",
      "AVG PRICE",
      "FEE",
      "CLIENT OID",
      "REASON",
    );
    const rows = page.items.map((o) => [
      utcText(o.createdAt),
      o.mode,
      o.symbol,
      o.side,
      o.type,
      o.role,
      o.status,
      decText(o.quantity),
      decText(o.notional),
      decText(o.price ?? o.refPrice),
      isTriggerType(o.type) ? decText(o.refPrice) : "-",
      decText(o.filledQuantity),
      decText(o.avgPrice),
      o.fee.isZero() ? "0" : `${decText(o.fee)}${o.feeCurrency ? ` ${o.feeCurrency}` : ""}`,
      o.clientOid ?? (o.external ? "(external)" : "-"),
      o.reason ?? "",
    ]);
    const more = page.nextCursor
      ? `(more orders: showing the newest ${page.items.length}; raise --limit)\n`
      : "";
    process.stdout.write(`${alignedTable(header, rows)}\n${more}`);
    return 0;
  });
}
