/**
 * `GET /api/strategies` (the strategies file as JSON) and `PUT /api/strategies` (validated and
 * applied by the strategy source; problems — contradictory presets among them — are a 400 whose
 * details name each field).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ApiDeps } from "../deps.js";
import { type FieldProblem, validationError } from "../errors.js";
import { defineRoute } from "../route.js";

/** "presets.fast.rsi_max: must be …" → { field: "presets.fast.rsi_max", problem: "must be …" }. */
export function strategyProblemOf(text: string): FieldProblem {
  const m = /^([A-Za-z0-9_.[\]-]+):\s*(.+)$/s.exec(text);
  return m ? { field: m[1] ?? "", problem: m[2] ?? text } : { field: "body", problem: text };
}

const strategiesSchema = z.record(z.string(), z.unknown());

export async function registerStrategyRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/strategies",
      auth: "read",
      response: strategiesSchema,
      summary: "The strategies (presets) as configured",
      tags: ["strategies"],
    },
    () => deps.strategies.get() as Record<string, unknown>,
  );

  defineRoute(
    app,
    {
      method: "PUT",
      url: "/api/strategies",
      auth: "write",
      body: strategiesSchema,
      response: strategiesSchema,
      summary: "Replaces the strategies (validated; contradictory presets refused with the reason)",
      tags: ["strategies"],
    },
    async ({ body }) => {
      const r = await deps.strategies.put(body);
      if (!r.ok) throw validationError("body", r.problems.map(strategyProblemOf));
      return deps.strategies.get() as Record<string, unknown>;
    },
  );
}
