/**
 * `GET/POST /api/demo/fault`: the demo's injected fault (one of the doctor's causes the emulator
 * can produce, or none). Registered only in the demo (deps.demo); elsewhere the routes do not exist
 * (404).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ApiDeps } from "../deps.js";
import { validationError } from "../errors.js";
import { defineRoute } from "../route.js";

const stateSchema = z.object({ cause: z.string().nullable(), available: z.array(z.string()) });

export async function registerDemoRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const demo = deps.demo;
  if (!demo) return;
  const state = () => ({ cause: demo.current(), available: [...demo.available] });
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/demo/fault",
      auth: "read",
      response: stateSchema,
      summary: "The demo's injected fault",
      tags: ["demo"],
    },
    state,
  );
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/demo/fault",
      auth: "write",
      body: z.strictObject({ cause: z.string().nullable() }),
      response: stateSchema,
      summary: "Injects one of the available causes into the demo's emulator (null clears it)",
      tags: ["demo"],
    },
    async ({ body }) => {
      if (body.cause !== null && !demo.available.includes(body.cause)) {
        throw validationError("body", [
          { field: "cause", problem: `one of ${demo.available.join(", ")}, or null` },
        ]);
      }
      await demo.set(body.cause);
      return state();
    },
  );
}
