/**
 * Signals with their decision traces; also the inbox. Whoever receives a signal inserts it PENDING;
 * the leader's engine claims PENDING signals in arrival order (received_at, then id, which is
 * time-ordered) and sets their status in the same transaction as the work they cause.
 */
import type { Selectable } from "kysely";
import { intOutOpt, jsonIn, jsonOut, moneyInOpt, moneyOut, optOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { SignalsTable } from "../db.js";
import { placeholders, Shape } from "../prepared.js";
import type { NewSignal, SignalRecord, SignalsRepo } from "../types.js";
import { parseMember, SIDES, SIGNAL_STATUSES } from "../vocabulary.js";

/** A signal row as one statement compiled once (prepared.ts): the trading path writes one per signal. */
const INSERT_SIGNAL = new Shape<never>("signals.insert", (db, p, row) =>
  db.insertInto("signals").values(placeholders(row, p) as never),
);

function fromRow(r: Selectable<SignalsTable>): SignalRecord {
  return {
    id: r.id,
    symbol: r.symbol,
    side: parseMember(SIDES, r.side, "signals.side"),
    source: r.source,
    strategy: r.strategy,
    price: moneyOut(r.price, "signals.price"),
    candleTime: intOutOpt(r.candle_time, "signals.candle_time"),
    receivedAt: r.received_at,
    trace: jsonOut(r.trace, "signals.trace"),
    status: parseMember(SIGNAL_STATUSES, r.status, "signals.status"),
    reasonCode: optOut(r.reason_code),
    intentId: optOut(r.intent_id),
  };
}

export function signalsRepo(ctx: RepoContext): SignalsRepo {
  const get = async (id: string) => {
    const r = await ctx.db.selectFrom("signals").selectAll().where("id", "=", id).executeTakeFirst();
    return r && fromRow(r);
  };
  return {
    async insert(input: NewSignal) {
      const row = {
        id: input.id ?? ctx.newId(),
        symbol: input.symbol,
        side: input.side,
        source: input.source,
        strategy: input.strategy,
        price: moneyInOpt(input.price),
        candle_time: input.candleTime ?? null,
        received_at: input.receivedAt ?? ctx.now(),
        trace: jsonIn(input.trace),
        status: input.status ?? "PENDING",
        reason_code: input.reasonCode ?? null,
        intent_id: input.intentId ?? null,
      };
      await INSERT_SIGNAL.run(ctx.db, ctx.dialect, row);
      return fromRow(row);
    },
    get,
    async claimPending(limit) {
      let q = ctx.db
        .selectFrom("signals")
        .selectAll()
        .where("status", "=", "PENDING")
        .orderBy("received_at")
        .orderBy("id")
        .limit(limitOf(limit, 100));
      if (ctx.dialect === "postgres" && ctx.inTransaction) q = q.forUpdate().skipLocked();
      return (await q.execute()).map(fromRow);
    },
    async updateStatus(id, update) {
      const set: { status: string; reason_code?: string | null; intent_id?: string | null } = {
        status: update.status,
      };
      if (update.reasonCode !== undefined) set.reason_code = update.reasonCode;
      if (update.intentId !== undefined) set.intent_id = update.intentId;
      const row = await ctx.db
        .updateTable("signals")
        .set(set)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },
    async list(filter = {}) {
      let q = ctx.db
        .selectFrom("signals")
        .selectAll()
        .orderBy("received_at", "desc")
        .orderBy("id", "desc")
        .limit(limitOf(filter.limit, 100));
      if (filter.symbol !== undefined) q = q.where("symbol", "=", filter.symbol);
      return (await q.execute()).map(fromRow);
    },
  };
}
