/**
 * The notification outbox: one message per dedup key, sent by the notifier's sender.
 *
 * Invariants: states move PENDING → SENDING (claim, before the request) → SENT | PENDING (retry) |
 * FAILED, and SENDING → UNKNOWN when a later sender finds a claim its predecessor never finished.
 * `claim` and `markUnknown` are compare-and-set on the state.
 */
import type { Selectable } from "kysely";
import { intOutOpt, jsonIn, jsonOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { OutboxTable } from "../db.js";
import type { OutboxRecord, OutboxRepo } from "../types.js";
import { OUTBOX_STATES, type OutboxState, parseMember } from "../vocabulary.js";

function fromRow(r: Selectable<OutboxTable>): OutboxRecord {
  return {
    id: r.id,
    dedupKey: r.dedup_key,
    channel: r.channel,
    payload: jsonOut(r.payload, "outbox.payload"),
    state: parseMember(OUTBOX_STATES, r.state, "outbox.state"),
    attempts: r.attempts,
    nextAt: r.next_at,
    sentAt: intOutOpt(r.sent_at, "outbox.sent_at"),
    createdAt: r.created_at,
  };
}

export function outboxRepo(ctx: RepoContext): OutboxRepo {
  const byKey = async (key: string) => {
    const r = await ctx.db.selectFrom("outbox").selectAll().where("dedup_key", "=", key).executeTakeFirst();
    return r && fromRow(r);
  };
  /** One message from state `from` to `to`; false when it was not in `from` (someone else moved it). */
  const move = async (id: number, from: OutboxState, to: OutboxState) => {
    const r = await ctx.db
      .updateTable("outbox")
      .set({ state: to })
      .where("id", "=", id)
      .where("state", "=", from)
      .executeTakeFirst();
    return (r.numUpdatedRows ?? 0n) > 0n;
  };
  const inState = async (state: OutboxState, limit?: number) => {
    const rows = await ctx.db
      .selectFrom("outbox")
      .selectAll()
      .where("state", "=", state)
      .orderBy("id")
      .limit(limitOf(limit, 100))
      .execute();
    return rows.map(fromRow);
  };
  return {
    async enqueue(input) {
      const now = ctx.now();
      const r = await ctx.db
        .insertInto("outbox")
        .values({
          dedup_key: input.dedupKey,
          channel: input.channel,
          payload: jsonIn(input.payload),
          state: "PENDING",
          attempts: 0,
          next_at: input.nextAt ?? now,
          sent_at: null,
          created_at: now,
        })
        .onConflict((oc) => oc.column("dedup_key").doNothing())
        .executeTakeFirst();
      const message = await byKey(input.dedupKey);
      if (!message) throw new Error(`outbox message ${input.dedupKey} vanished after insert`);
      return { created: (r.numInsertedOrUpdatedRows ?? 0n) > 0n, message };
    },
    async due(now, limit) {
      const rows = await ctx.db
        .selectFrom("outbox")
        .selectAll()
        .where("state", "=", "PENDING")
        .where("next_at", "<=", now)
        .orderBy("next_at")
        .orderBy("id")
        .limit(limitOf(limit, 100))
        .execute();
      return rows.map(fromRow);
    },
    async markSent(id, sentAt) {
      await ctx.db
        .updateTable("outbox")
        .set((eb) => ({ state: "SENT", sent_at: sentAt ?? ctx.now(), attempts: eb("attempts", "+", 1) }))
        .where("id", "=", id)
        .execute();
    },
    async markFailed(id, nextAt) {
      await ctx.db
        .updateTable("outbox")
        .set((eb) =>
          nextAt === undefined
            ? { state: "FAILED", attempts: eb("attempts", "+", 1) }
            : { state: "PENDING", next_at: nextAt, attempts: eb("attempts", "+", 1) },
        )
        .where("id", "=", id)
        .execute();
    },
    claim: (id) => move(id, "PENDING", "SENDING"),
    markUnknown: (id) => move(id, "SENDING", "UNKNOWN"),
    pending: (limit) => inState("PENDING", limit),
    inState,
    async get(id) {
      const r = await ctx.db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
      return r && fromRow(r);
    },
    async list(limit) {
      const rows = await ctx.db
        .selectFrom("outbox")
        .selectAll()
        .orderBy("id", "desc")
        .limit(limitOf(limit, 100))
        .execute();
      return rows.map(fromRow);
    },
  };
}
