/** Auth incidents: one per opening of the auth circuit breaker, closed when a probe succeeds. */
import type { Selectable } from "kysely";
import { intOutOpt, optOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { AuthIncidentsTable } from "../db.js";
import type { AuthIncident, IncidentsRepo } from "../types.js";

function fromRow(r: Selectable<AuthIncidentsTable>): AuthIncident {
  return {
    id: r.id,
    openedAt: r.opened_at,
    closedAt: intOutOpt(r.closed_at, "auth_incidents.closed_at"),
    method: r.method,
    code: intOutOpt(r.code, "auth_incidents.code"),
    category: r.category,
    diagnosisId: optOut(r.diagnosis_id),
    probes: r.probes,
    nextProbeAt: intOutOpt(r.next_probe_at, "auth_incidents.next_probe_at"),
  };
}

export function incidentsRepo(ctx: RepoContext): IncidentsRepo {
  const get = async (id: string) => {
    const r = await ctx.db.selectFrom("auth_incidents").selectAll().where("id", "=", id).executeTakeFirst();
    return r && fromRow(r);
  };
  return {
    async open(input) {
      const row = {
        id: input.id ?? ctx.newId(),
        opened_at: input.openedAt ?? ctx.now(),
        closed_at: null,
        method: input.method,
        code: input.code ?? null,
        category: input.category,
        diagnosis_id: input.diagnosisId ?? null,
        probes: 0,
        next_probe_at: input.nextProbeAt ?? null,
      };
      await ctx.db.insertInto("auth_incidents").values(row).execute();
      return fromRow(row);
    },
    get,
    async current() {
      const r = await ctx.db
        .selectFrom("auth_incidents")
        .selectAll()
        .where("closed_at", "is", null)
        .orderBy("opened_at", "desc")
        .orderBy("id", "desc")
        .executeTakeFirst();
      return r && fromRow(r);
    },
    async recordProbe(id, nextProbeAt) {
      await ctx.db
        .updateTable("auth_incidents")
        .set((eb) => ({ probes: eb("probes", "+", 1), next_probe_at: nextProbeAt ?? null }))
        .where("id", "=", id)
        .execute();
      return get(id);
    },
    async setDiagnosis(id, diagnosisId) {
      await ctx.db
        .updateTable("auth_incidents")
        .set({ diagnosis_id: diagnosisId })
        .where("id", "=", id)
        .execute();
      return get(id);
    },
    async close(id, closedAt) {
      await ctx.db
        .updateTable("auth_incidents")
        .set({ closed_at: closedAt ?? ctx.now(), next_probe_at: null })
        .where("id", "=", id)
        .where("closed_at", "is", null)
        .execute();
      return get(id);
    },
    async list(limit) {
      const rows = await ctx.db
        .selectFrom("auth_incidents")
        .selectAll()
        .orderBy("opened_at", "desc")
        .orderBy("id", "desc")
        .limit(limitOf(limit, 50))
        .execute();
      return rows.map(fromRow);
    },
  };
}
