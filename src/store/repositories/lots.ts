/**
 * Lots: one per filled entry (a position is the open lots of a symbol), with its protection state,
 * which is persisted before and after every protection step so a restart resumes it.
 * `update` is compare-and-set on the lot status when `expectStatus` is given.
 */
import type { Selectable } from "kysely";
import { intOutOpt, moneyIn, moneyInOpt, moneyOut, moneyOutReq, optOut } from "../codec.js";
import type { RepoContext } from "../context.js";
import type { LotsTable } from "../db.js";
import { given, ShapeFamily } from "../prepared.js";
import type { Lot, LotPatch, LotsRepo, NewLot } from "../types.js";
import {
  LOT_EXIT_REASONS,
  LOT_PROTECTIONS,
  LOT_STATUSES,
  parseMember,
  TRADING_MODES,
} from "../vocabulary.js";

/** Positive lists (`in (…)` uses the lots_open index; `<>` / `not in` scan every lot ever stored). */
const OPEN_LOT_STATUSES = LOT_STATUSES.filter((st) => st !== "CLOSED");
const UNPROTECTED_LOT_PROTECTIONS = LOT_PROTECTIONS.filter((p) => p !== "PROTECTED" && p !== "NOT_NEEDED");

type Row = Selectable<LotsTable>;

/** Open lots and lots closed since `since` (each side of the OR has its index); compiled once per filter set. */
const OPEN_AND_CLOSED = new ShapeFamily<Row>("lots.openAndClosedSince", (db, p, f) => {
  let q = db
    .selectFrom("lots")
    .selectAll()
    .where((w) => w.or([w("status", "in", OPEN_LOT_STATUSES), w("closed_at", ">=", p("since"))]));
  if (Object.hasOwn(f, "mode")) q = q.where("mode", "=", p("mode"));
  return q;
});

function fromRow(r: Row): Lot {
  return {
    id: r.id,
    symbol: r.symbol,
    mode: parseMember(TRADING_MODES, r.mode, "lots.mode"),
    status: parseMember(LOT_STATUSES, r.status, "lots.status"),
    protection: parseMember(LOT_PROTECTIONS, r.protection, "lots.protection"),
    entryOrderId: optOut(r.entry_order_id),
    entryPrice: moneyOut(r.entry_price, "lots.entry_price"),
    quantity: moneyOutReq(r.quantity, "lots.quantity"),
    openQuantity: moneyOutReq(r.open_quantity, "lots.open_quantity"),
    slPrice: moneyOut(r.sl_price, "lots.sl_price"),
    tpPrice: moneyOut(r.tp_price, "lots.tp_price"),
    ocoListId: optOut(r.oco_list_id),
    protectDeadline: intOutOpt(r.protect_deadline, "lots.protect_deadline"),
    exitReason:
      r.exit_reason === null ? undefined : parseMember(LOT_EXIT_REASONS, r.exit_reason, "lots.exit_reason"),
    realisedPnl: moneyOutReq(r.realised_pnl, "lots.realised_pnl"),
    fees: moneyOutReq(r.fees, "lots.fees"),
    openedAt: r.opened_at,
    closedAt: intOutOpt(r.closed_at, "lots.closed_at"),
  };
}

function patchRow(p: LotPatch): Partial<Row> {
  const set: Partial<Row> = {};
  if (p.status !== undefined) set.status = p.status;
  if (p.protection !== undefined) set.protection = p.protection;
  if (p.entryOrderId !== undefined) set.entry_order_id = p.entryOrderId;
  if (p.entryPrice !== undefined) set.entry_price = moneyInOpt(p.entryPrice);
  if (p.quantity !== undefined) set.quantity = moneyIn(p.quantity);
  if (p.openQuantity !== undefined) set.open_quantity = moneyIn(p.openQuantity);
  if (p.slPrice !== undefined) set.sl_price = moneyInOpt(p.slPrice);
  if (p.tpPrice !== undefined) set.tp_price = moneyInOpt(p.tpPrice);
  if (p.ocoListId !== undefined) set.oco_list_id = p.ocoListId;
  if (p.protectDeadline !== undefined) set.protect_deadline = p.protectDeadline;
  if (p.exitReason !== undefined) set.exit_reason = p.exitReason;
  if (p.realisedPnl !== undefined) set.realised_pnl = moneyIn(p.realisedPnl);
  if (p.fees !== undefined) set.fees = moneyIn(p.fees);
  if (p.closedAt !== undefined) set.closed_at = p.closedAt;
  return set;
}

export function lotsRepo(ctx: RepoContext): LotsRepo {
  const get = async (c: RepoContext, id: string, lock = false) => {
    let q = c.db.selectFrom("lots").selectAll().where("id", "=", id);
    if (lock && c.dialect === "postgres") q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r && fromRow(r);
  };
  return {
    async create(input: NewLot) {
      const row: Row = {
        id: input.id ?? ctx.newId(),
        symbol: input.symbol,
        mode: input.mode,
        status: input.status ?? "OPENING",
        protection: input.protection ?? "NONE",
        entry_order_id: input.entryOrderId ?? null,
        entry_price: moneyInOpt(input.entryPrice),
        quantity: moneyIn(input.quantity),
        open_quantity: moneyIn(input.openQuantity ?? input.quantity),
        sl_price: moneyInOpt(input.slPrice),
        tp_price: moneyInOpt(input.tpPrice),
        oco_list_id: null,
        protect_deadline: input.protectDeadline ?? null,
        exit_reason: null,
        realised_pnl: "0",
        fees: "0",
        opened_at: input.openedAt ?? ctx.now(),
        closed_at: null,
      };
      await ctx.db.insertInto("lots").values(row).execute();
      return fromRow(row);
    },
    get: (id) => get(ctx, id),
    update(id, patch, expectStatus) {
      return ctx.run(async (_tx, c) => {
        const cur = await get(c, id, true);
        if (!cur || (expectStatus && !expectStatus.includes(cur.status))) return undefined;
        const set = patchRow(patch);
        if (Object.keys(set).length > 0)
          await c.db.updateTable("lots").set(set).where("id", "=", id).execute();
        return get(c, id);
      });
    },
    async listOpen(filter = {}) {
      let q = ctx.db
        .selectFrom("lots")
        .selectAll()
        .where("status", "in", OPEN_LOT_STATUSES)
        .orderBy("opened_at")
        .orderBy("id");
      if (filter.symbol !== undefined) q = q.where("symbol", "=", filter.symbol);
      if (filter.mode !== undefined) q = q.where("mode", "=", filter.mode);
      return (await q.execute()).map(fromRow);
    },
    async listUnprotected(filter = {}) {
      let q = ctx.db
        .selectFrom("lots")
        .selectAll()
        .where("status", "in", OPEN_LOT_STATUSES)
        .where("protection", "in", UNPROTECTED_LOT_PROTECTIONS)
        .orderBy("opened_at")
        .orderBy("id");
      if (filter.mode !== undefined) q = q.where("mode", "=", filter.mode);
      return (await q.execute()).map(fromRow);
    },
    async closedSince(since, filter = {}) {
      let q = ctx.db
        .selectFrom("lots")
        .selectAll()
        // closed_at alone in SQL (the lots_closed index: the window's rows only); the planner would
        // take lots_open for `status = 'CLOSED'` and walk every lot ever closed. Status checked below.
        .where("closed_at", ">=", since)
        .orderBy("closed_at")
        .orderBy("id");
      if (filter.symbol !== undefined) q = q.where("symbol", "=", filter.symbol);
      if (filter.mode !== undefined) q = q.where("mode", "=", filter.mode);
      if (filter.exitReason !== undefined) q = q.where("exit_reason", "=", filter.exitReason);
      return (await q.execute()).filter((r) => r.status === "CLOSED").map(fromRow);
    },
    async openAndClosedSince(since, filter = {}) {
      const values = { since, ...given({ mode: filter.mode }) };
      const open: Lot[] = [];
      const closed: Lot[] = [];
      for (const r of (await OPEN_AND_CLOSED.run(ctx.db, ctx.dialect, values)).rows) {
        if (r.status !== "CLOSED") open.push(fromRow(r));
        else if (r.closed_at !== null && r.closed_at >= since) closed.push(fromRow(r));
      }
      const by = (a: number, b: number, x: string, y: string) => a - b || (x < y ? -1 : x > y ? 1 : 0);
      open.sort((a, b) => by(a.openedAt, b.openedAt, a.id, b.id));
      closed.sort((a, b) => by(a.closedAt ?? 0, b.closedAt ?? 0, a.id, b.id));
      return { open, closed };
    },
  };
}
