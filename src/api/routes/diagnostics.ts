/** The diagnostics routes (P1; in progress). */
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../deps.js";

export async function registerDiagnosticsRoutes(_app: FastifyInstance, _deps: ApiDeps): Promise<void> {}
