/** The watchlist: one row per symbol with its alert/trade switches, amount, SL/TP % and preset. */
import type { Selectable } from "kysely";
import { boolIn, boolOut, jsonIn, jsonObjectOut, moneyInOpt, moneyOut, optOut } from "../codec.js";
import type { RepoContext } from "../context.js";
import type { WatchlistTable } from "../db.js";
import { Shape } from "../prepared.js";
import type { WatchlistInput, WatchlistItem, WatchlistRepo } from "../types.js";

/** One row by symbol, compiled once (prepared.ts): each entry decision reads it. */
const GET = new Shape<Selectable<WatchlistTable>>("watchlist.get", (db, p) =>
  db.selectFrom("watchlist").selectAll().where("symbol", "=", p("symbol")),
);

function fromRow(r: Selectable<WatchlistTable>): WatchlistItem {
  return {
    symbol: r.symbol,
    alertsEnabled: boolOut(r.alerts_enabled, "watchlist.alerts_enabled"),
    tradeEnabled: boolOut(r.trade_enabled, "watchlist.trade_enabled"),
    amountUsd: moneyOut(r.amount_usd, "watchlist.amount_usd"),
    slPct: moneyOut(r.sl_pct, "watchlist.sl_pct"),
    tpPct: moneyOut(r.tp_pct, "watchlist.tp_pct"),
    preset: optOut(r.preset),
    overrides: jsonObjectOut(r.overrides, "watchlist.overrides"),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** `next` when given (null clears), else `current`. */
function pick<T>(next: T | null | undefined, current: T | undefined): T | undefined {
  return next === undefined ? current : next === null ? undefined : next;
}

export function watchlistRepo(ctx: RepoContext): WatchlistRepo {
  async function get(c: RepoContext, symbol: string): Promise<WatchlistItem | undefined> {
    const r = (await GET.run(c.db, c.dialect, { symbol })).rows[0];
    return r && fromRow(r);
  }
  return {
    get: (symbol) => get(ctx, symbol),
    async list() {
      const rows = await ctx.db.selectFrom("watchlist").selectAll().orderBy("symbol").execute();
      return rows.map(fromRow);
    },
    upsert(input: WatchlistInput) {
      return ctx.run(async (_tx, c) => {
        const cur = await get(c, input.symbol);
        const now = c.now();
        const item: WatchlistItem = {
          symbol: input.symbol,
          alertsEnabled: input.alertsEnabled ?? cur?.alertsEnabled ?? false,
          tradeEnabled: input.tradeEnabled ?? cur?.tradeEnabled ?? false,
          amountUsd: pick(input.amountUsd, cur?.amountUsd),
          slPct: pick(input.slPct, cur?.slPct),
          tpPct: pick(input.tpPct, cur?.tpPct),
          preset: pick(input.preset, cur?.preset),
          overrides: input.overrides ?? cur?.overrides ?? {},
          createdAt: cur?.createdAt ?? now,
          updatedAt: now,
        };
        const row = {
          alerts_enabled: boolIn(item.alertsEnabled),
          trade_enabled: boolIn(item.tradeEnabled),
          amount_usd: moneyInOpt(item.amountUsd),
          sl_pct: moneyInOpt(item.slPct),
          tp_pct: moneyInOpt(item.tpPct),
          preset: item.preset ?? null,
          overrides: jsonIn(item.overrides),
          updated_at: now,
        };
        if (cur) await c.db.updateTable("watchlist").set(row).where("symbol", "=", item.symbol).execute();
        else
          await c.db
            .insertInto("watchlist")
            .values({ ...row, symbol: item.symbol, created_at: now })
            .execute();
        return item;
      });
    },
    async remove(symbol) {
      const r = await ctx.db.deleteFrom("watchlist").where("symbol", "=", symbol).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
