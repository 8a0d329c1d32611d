/** Diagnosis reports: the doctor's verdicts (an auth incident stores the one it ran for it). */
import type { Selectable } from "kysely";
import { jsonIn, jsonOut, optOut } from "../codec.js";
import { limitOf, type RepoContext } from "../context.js";
import type { DiagnosisReportsTable } from "../db.js";
import type { DiagnosisReportRecord, ReportsRepo } from "../types.js";

function fromRow(r: Selectable<DiagnosisReportsTable>): DiagnosisReportRecord {
  return {
    id: r.id,
    createdAt: r.created_at,
    trigger: r.trigger,
    context: jsonOut(r.context, "diagnosis_reports.context"),
    verdict: r.verdict,
    topCause: optOut(r.top_cause),
    report: jsonOut(r.report, "diagnosis_reports.report"),
  };
}

export function reportsRepo(ctx: RepoContext): ReportsRepo {
  return {
    async insert(input) {
      const row = {
        id: input.id ?? ctx.newId(),
        created_at: input.createdAt ?? ctx.now(),
        trigger: input.trigger,
        context: jsonIn(input.context),
        verdict: input.verdict,
        top_cause: input.topCause ?? null,
        report: jsonIn(input.report),
      };
      await ctx.db.insertInto("diagnosis_reports").values(row).execute();
      return fromRow(row);
    },
    async get(id) {
      const r = await ctx.db
        .selectFrom("diagnosis_reports")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return r && fromRow(r);
    },
    async list(limit) {
      const rows = await ctx.db
        .selectFrom("diagnosis_reports")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limitOf(limit, 50))
        .execute();
      return rows.map(fromRow);
    },
  };
}
