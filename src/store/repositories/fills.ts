/** Fills (trades): stored once per trade id, however often the stream, the gap-fill or a pass reports it. */
import type { Selectable } from "kysely";
import type { Fill as ExchangeFill } from "../../exchange/types.js";
import { moneyIn, moneyOutReq, optOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { FillsTable } from "../db.js";
import type { FillRecord, FillsRepo } from "../types.js";
import { LIQUIDITIES, parseMember, SIDES, TRADING_MODES, type TradingMode } from "../vocabulary.js";

function fromRow(r: Selectable<FillsTable>): FillRecord {
  return {
    tradeId: r.trade_id,
    orderId: r.order_id,
    clientOid: optOut(r.client_oid),
    symbol: r.symbol,
    side: parseMember(SIDES, r.side, "fills.side"),
    price: moneyOutReq(r.price, "fills.price"),
    quantity: moneyOutReq(r.quantity, "fills.quantity"),
    fee: moneyOutReq(r.fee, "fills.fee"),
    feeCurrency: optOut(r.fee_currency),
    liquidity: r.liquidity === null ? undefined : parseMember(LIQUIDITIES, r.liquidity, "fills.liquidity"),
    time: r.time,
    mode: parseMember(TRADING_MODES, r.mode, "fills.mode"),
  };
}

export function fillsRepo(ctx: RepoContext): FillsRepo {
  const get = async (tradeId: string) => {
    const r = await ctx.db.selectFrom("fills").selectAll().where("trade_id", "=", tradeId).executeTakeFirst();
    return r && fromRow(r);
  };
  return {
    async insert(fill: ExchangeFill, mode: TradingMode) {
      const r = await ctx.db
        .insertInto("fills")
        .values({
          trade_id: fill.tradeId,
          order_id: fill.orderId,
          client_oid: fill.clientOid === undefined || fill.clientOid === "" ? null : fill.clientOid,
          symbol: fill.symbol,
          side: parseMember(SIDES, fill.side, "exchange fill side"),
          price: moneyIn(fill.price),
          quantity: moneyIn(fill.quantity),
          fee: moneyIn(fill.fee),
          fee_currency: fill.feeCurrency ?? null,
          liquidity: fill.liquidity ?? null,
          time: fill.time,
          mode,
        })
        .onConflict((oc) => oc.column("trade_id").doNothing())
        .executeTakeFirst();
      const stored = await get(fill.tradeId);
      if (!stored) throw new Error(`fill ${fill.tradeId} vanished after insert`);
      return { inserted: (r.numInsertedOrUpdatedRows ?? 0n) > 0n, fill: stored };
    },
    get,
    async listByOrder(exchangeOrderId) {
      const rows = await ctx.db
        .selectFrom("fills")
        .selectAll()
        .where("order_id", "=", exchangeOrderId)
        .orderBy("time")
        .orderBy("trade_id")
        .execute();
      return rows.map(fromRow);
    },
    async list(filter = {}) {
      let q = ctx.db
        .selectFrom("fills")
        .selectAll()
        .orderBy("time")
        .orderBy("trade_id")
        .limit(limitOf(filter.limit, 1000, 10_000));
      if (filter.symbol !== undefined) q = q.where("symbol", "=", filter.symbol);
      if (filter.since !== undefined) q = q.where("time", ">=", filter.since);
      return (await q.execute()).map(fromRow);
    },
  };
}
