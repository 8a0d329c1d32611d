/** The audit log: every operator action and every reconciliation correction, with before and after. */
import type { Selectable } from "kysely";
import { jsonIn, jsonOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { AuditLogTable } from "../db.js";
import type { AuditEntry, AuditRepo } from "../types.js";

function fromRow(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: jsonOut(r.before, "audit_log.before"),
    after: jsonOut(r.after, "audit_log.after"),
  };
}

export function auditRepo(ctx: RepoContext): AuditRepo {
  return {
    async append(input) {
      const row = {
        at: input.at ?? ctx.now(),
        actor: input.actor,
        action: input.action,
        entity: input.entity,
        entity_id: input.entityId,
        before: jsonIn(input.before),
        after: jsonIn(input.after),
      };
      const r = await ctx.db.insertInto("audit_log").values(row).returning("id").executeTakeFirstOrThrow();
      return fromRow({ ...row, id: r.id });
    },
    async list(filter = {}) {
      let q = ctx.db
        .selectFrom("audit_log")
        .selectAll()
        .orderBy("id", "desc")
        .limit(limitOf(filter.limit, 100));
      if (filter.entity !== undefined) q = q.where("entity", "=", filter.entity);
      if (filter.entityId !== undefined) q = q.where("entity_id", "=", filter.entityId);
      if (filter.actor !== undefined) q = q.where("actor", "=", filter.actor);
      return (await q.execute()).map(fromRow);
    },
  };
}
