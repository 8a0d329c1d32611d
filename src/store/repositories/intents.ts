/**
 * Order intents: what atp means to do, persisted with a UNIQUE idempotency key before any exchange
 * call. `create` never makes two intents for one key: it inserts with ON CONFLICT DO NOTHING and
 * returns the row that holds the key (ours or the existing one), so a retried or duplicated signal
 * finds the first intent. Status moves are compare-and-set inside one transaction, and final
 * statuses never change.
 */
import type { Selectable, Updateable } from "kysely";
import { jsonIn, jsonOut, moneyInOpt, moneyOut, optOut } from "../codec.js";
import type { RepoContext } from "../context.js";
import type { IntentsTable } from "../db.js";
import { given, placeholders, Shape, ShapeFamily } from "../prepared.js";
import type { Intent, IntentsRepo, NewIntent } from "../types.js";
import {
  FINAL_INTENT_STATUSES,
  INTENT_KINDS,
  INTENT_STATUSES,
  type IntentStatus,
  parseMember,
  SIDES,
  TRADING_MODES,
} from "../vocabulary.js";

/** The open statuses as a positive list: `status in (…)` uses the intents_status index, `not in` scans. */
const OPEN_INTENT_STATUSES = INTENT_STATUSES.filter((st) => !FINAL_INTENT_STATUSES.includes(st));

/** Allowed moves (a status may also be set to itself while not final, to update the trace). */
export const INTENT_NEXT: Readonly<Record<IntentStatus, readonly IntentStatus[]>> = {
  NEW: ["READY", "BLOCKED", "FAILED", "DONE"],
  READY: ["SUBMITTING", "BLOCKED", "FAILED", "DONE"],
  SUBMITTING: ["PLACED", "READY", "FAILED", "DONE"],
  PLACED: ["SUBMITTING", "DONE", "FAILED"],
  BLOCKED: [],
  DONE: [],
  FAILED: [],
};

/** `create`'s insert, compiled once (prepared.ts): a row back when inserted, none on a known key. */
const CREATE = new Shape<{ id: string }>("intents.create", (db, p, row) =>
  db
    .insertInto("intents")
    .values(placeholders(row, p) as never)
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id"),
);

/** The open intents, by the filters given; compiled once per filter set (prepared.ts). */
const LIST_OPEN = new ShapeFamily<Selectable<IntentsTable>>("intents.listOpen", (db, p, f) => {
  let q = db
    .selectFrom("intents")
    .selectAll()
    .where("status", "in", OPEN_INTENT_STATUSES)
    .orderBy("created_at")
    .orderBy("id");
  if (Object.hasOwn(f, "symbol")) q = q.where("symbol", "=", p("symbol"));
  if (Object.hasOwn(f, "mode")) q = q.where("mode", "=", p("mode"));
  return q;
});

function fromRow(r: Selectable<IntentsTable>): Intent {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    kind: parseMember(INTENT_KINDS, r.kind, "intents.kind"),
    symbol: r.symbol,
    side: parseMember(SIDES, r.side, "intents.side"),
    mode: parseMember(TRADING_MODES, r.mode, "intents.mode"),
    amountUsd: moneyOut(r.amount_usd, "intents.amount_usd"),
    quantity: moneyOut(r.quantity, "intents.quantity"),
    status: parseMember(INTENT_STATUSES, r.status, "intents.status"),
    reasonCode: optOut(r.reason_code),
    attempt: r.attempt,
    lotId: optOut(r.lot_id),
    signalId: optOut(r.signal_id),
    guardTrace: jsonOut(r.guard_trace, "intents.guard_trace"),
    actor: r.actor,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function intentsRepo(ctx: RepoContext): IntentsRepo {
  const byId = async (c: RepoContext, id: string, lock = false) => {
    let q = c.db.selectFrom("intents").selectAll().where("id", "=", id);
    if (lock && c.dialect === "postgres") q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r && fromRow(r);
  };
  const byKey = async (c: RepoContext, key: string) => {
    const r = await c.db
      .selectFrom("intents")
      .selectAll()
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    return r && fromRow(r);
  };
  return {
    async create(input: NewIntent) {
      const now = ctx.now();
      const id = input.id ?? ctx.newId();
      const values = {
        id,
        idempotency_key: input.idempotencyKey,
        kind: input.kind,
        symbol: input.symbol,
        side: input.side,
        mode: input.mode,
        amount_usd: moneyInOpt(input.amountUsd),
        quantity: moneyInOpt(input.quantity),
        status: input.status ?? "NEW",
        reason_code: input.reasonCode ?? null,
        attempt: input.attempt ?? 0,
        lot_id: input.lotId ?? null,
        signal_id: input.signalId ?? null,
        guard_trace: jsonIn(input.guardTrace),
        actor: input.actor,
        created_at: now,
        updated_at: now,
      };
      const inserted = (await CREATE.run(ctx.db, ctx.dialect, values)).rows[0];
      // the row is what was written: read back from the values, not from the database
      if (inserted) return { created: true, intent: fromRow(values) };
      const row = await byKey(ctx, input.idempotencyKey);
      if (!row) throw new Error(`intent ${input.idempotencyKey} vanished after insert`);
      return row.id === id ? { created: true, intent: row } : { created: false, existing: row };
    },
    get: (id) => byId(ctx, id),
    findByKey: (key) => byKey(ctx, key),
    transition(id, t) {
      return ctx.run(async (_tx, c) => {
        const cur = await byId(c, id, true);
        if (!cur) return { ok: false, current: undefined };
        if (t.from && !t.from.includes(cur.status)) return { ok: false, current: cur };
        const allowed =
          t.to === cur.status ? INTENT_NEXT[cur.status].length > 0 : INTENT_NEXT[cur.status].includes(t.to);
        if (!allowed) return { ok: false, current: cur };
        const set: Updateable<IntentsTable> = {
          status: t.to,
          updated_at: c.now(),
        };
        if (t.reasonCode !== undefined) set.reason_code = t.reasonCode;
        if (t.guardTrace !== undefined) set.guard_trace = jsonIn(t.guardTrace);
        if (t.lotId !== undefined) set.lot_id = t.lotId;
        const row = await c.db
          .updateTable("intents")
          .set(set)
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        return row ? { ok: true, intent: fromRow(row) } : { ok: false, current: undefined };
      });
    },
    async nextAttempt(id) {
      const r = await ctx.db
        .updateTable("intents")
        .set((eb) => ({ attempt: eb("attempt", "+", 1), updated_at: ctx.now() }))
        .where("id", "=", id)
        .returning("attempt")
        .executeTakeFirst();
      if (!r) throw new Error(`no intent ${id}`);
      return r.attempt;
    },
    async listOpen(filter = {}) {
      const values = given({ symbol: filter.symbol, mode: filter.mode });
      return (await LIST_OPEN.run(ctx.db, ctx.dialect, values)).rows.map(fromRow);
    },
  };
}
