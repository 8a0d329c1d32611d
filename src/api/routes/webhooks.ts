/**
 * Stub (P1): the webhooks routes are P2's; this file only keeps the build whole until they land.
 */
import type { FastifyInstance } from "fastify";
import type { ApiDeps } from "../deps.js";

export async function registerWebhookRoutes(_app: FastifyInstance, _deps: ApiDeps): Promise<void> {}
