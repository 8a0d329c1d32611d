/**
 * Stub (P1): the signals routes are P2's; this file only keeps the build whole until they land.
 */
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../deps.js";

export async function registerSignalRoutes(_app: FastifyInstance, _deps: ApiDeps): Promise<void> {}
