/**
 * Events: the append-only stream of what happened (dashboard, notifier). An event is appended in the
 * transaction of the state change it reports, and every `onEvent` subscriber runs inside that
 * transaction (the notifier writes its outbox rows there), so the event, the state change and the
 * outbox rows commit or roll back together. Outside a transaction, `append` opens one.
 */
import type { Selectable } from "kysely";
import { intOut, jsonIn, jsonOut, optOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { EventsTable } from "../db.js";
import { placeholders, Shape } from "../prepared.js";
import type { EventRecord, EventsRepo } from "../types.js";

/** An event row as one statement compiled once (prepared.ts): most state changes append one. */
const APPEND = new Shape<{ seq: number }>("events.append", (db, p, row) =>
  db
    .insertInto("events")
    .values(placeholders(row, p) as never)
    .returning("seq"),
);

function fromRow(r: Selectable<EventsTable>): EventRecord {
  return {
    seq: intOut(r.seq, "events.seq"),
    at: r.at,
    kind: r.kind,
    symbol: optOut(r.symbol),
    payload: jsonOut(r.payload, "events.payload"),
  };
}

export function eventsRepo(ctx: RepoContext): EventsRepo {
  return {
    append(event) {
      return ctx.run(async (tx, c) => {
        const row = {
          at: event.at ?? c.now(),
          kind: event.kind,
          symbol: event.symbol ?? null,
          payload: jsonIn(event.payload),
        };
        const r = (await APPEND.run(c.db, c.dialect, row)).rows[0];
        if (!r) throw new Error("events.append: no seq returned");
        const record = fromRow({ ...row, seq: r.seq });
        for (const subscriber of c.subscribers()) await subscriber(tx, record);
        return record;
      });
    },
    async after(seq, limit) {
      const rows = await ctx.db
        .selectFrom("events")
        .selectAll()
        .where("seq", ">", seq)
        .orderBy("seq")
        .limit(limitOf(limit, 100))
        .execute();
      return rows.map(fromRow);
    },
    async lastSeq() {
      const r = await ctx.db
        .selectFrom("events")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirst();
      return r?.seq === null || r?.seq === undefined ? 0 : intOut(r.seq, "events.seq");
    },
  };
}
