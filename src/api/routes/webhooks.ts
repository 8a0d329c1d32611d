/**
 * Webhooks: `POST /api/webhooks {name}` (the secret, once), `GET /api/webhooks`, `DELETE
 * /api/webhooks/{name}`, and the TradingView endpoint `POST /api/signals/webhook/{name}`.
 *
 * Invariants:
 * - Secrets are stored as their SHA-256 only and compared in constant time (timingSafeEqual of the
 *   digests, webhook-secrets.ts: held in memory, current with this process's writes; on PostgreSQL at
 *   most 1 s old for another atp's); an unknown name and a wrong secret are the same 401, and nothing
 *   logs the body.
 * - ATP_WEBHOOK_SECRET (deps.defaultWebhookSecret) is the webhook `default`: its hash is put in the
 *   store when listed and at its first use; it cannot be created, replaced or deleted through the API.
 * - A signal reaches its order with one commit (webhook-intake.ts): handed to this process's trader
 *   (`deps.acceptSignal`) or, without one, the inbox row and the webhook's use in one transaction.
 *   `last_used_at` of a signal handed to the trader is written later (webhook-usage.ts); the list
 *   shows the newest use either way.
 * - The signal endpoint parses its body itself (domain/json-text.ts, in an encapsulated context with its
 *   own JSON and text/plain parsers: TradingView sends text/plain for some alerts) so numbers keep
 *   their exact text; the server's JSON.parse never sees it. Body ≤ 64 KiB, nesting ≤ 64.
 */

import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isJsonObject, type JsonValue, parseJsonBody } from "../../domain/json-text.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError, validationError } from "../errors.js";
import { webhookAcceptedSchema, webhookCreatedSchema, webhookInfoSchema } from "../mappers/schemas.js";
import { venueInstruments } from "../mappers/watchlist-input.js";
import { defineRoute } from "../route.js";
import type { ApiInternals } from "../server.js";
import { readWebhookSignal } from "../webhook-input.js";
import { intakeWebhookSignal, sha256Hex, type WebhookIntake } from "../webhook-intake.js";
import { WebhookSecrets } from "../webhook-secrets.js";
import { WebhookUsage } from "../webhook-usage.js";

export const DEFAULT_WEBHOOK = "default";
const NAME = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1 to 64 letters, digits, _ or -");
const MAX_WEBHOOK_BYTES = 64 * 1024;

const infoOf = (w: { name: string; createdAt: number; lastUsedAt: number | undefined }, pending?: number) => {
  const used = Math.max(w.lastUsedAt ?? Number.NEGATIVE_INFINITY, pending ?? Number.NEGATIVE_INFINITY);
  return { name: w.name, created_at: w.createdAt, last_used_at: Number.isFinite(used) ? used : null };
};

export async function registerWebhookRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: Pick<ApiInternals, "webhookUsage" | "watchlist">,
): Promise<void> {
  const { store } = deps;
  const envSecret = deps.defaultWebhookSecret ? deps.defaultWebhookSecret : undefined;
  const envHash = envSecret ? sha256Hex(envSecret) : undefined;
  let defaultSynced = false;
  async function syncDefault(): Promise<void> {
    if (!envHash) return;
    if ((await store.webhooks.get(DEFAULT_WEBHOOK))?.secretHash !== envHash)
      await store.webhooks.put({ name: DEFAULT_WEBHOOK, secretHash: envHash });
    defaultSynced = true;
  }
  const usage = new WebhookUsage(store, deps.logger);
  internals.webhookUsage = usage;
  app.addHook("onClose", async () => usage.close());
  const secrets = new WebhookSecrets(store, deps.time);
  const intake: WebhookIntake = {
    store,
    accept: deps.acceptSignal,
    watchlist: internals.watchlist,
    usage,
    inFlight: new Set(),
    now: () => deps.time.now(),
    logger: deps.logger,
  };

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/webhooks",
      auth: "write",
      body: z.strictObject({ name: NAME }),
      response: webhookCreatedSchema,
      status: 201,
      summary: "Creates a webhook; the answer holds its secret, shown this once",
      tags: ["webhooks"],
    },
    async ({ body }) => {
      if (body.name === DEFAULT_WEBHOOK && envSecret)
        throw new ApiHttpError(409, "conflict", "the webhook default is defined by ATP_WEBHOOK_SECRET");
      const secret = randomBytes(24).toString("base64url");
      const r = await store.webhooks.create({ name: body.name, secretHash: sha256Hex(secret) });
      if (!r.created)
        throw new ApiHttpError(409, "conflict", `a webhook named ${body.name} exists (delete it first)`);
      return { ...infoOf(r.webhook), secret, url_path: `/api/signals/webhook/${body.name}` };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/webhooks",
      auth: "read",
      response: z.array(webhookInfoSchema),
      summary: "The webhooks (names and use, never secrets)",
      tags: ["webhooks"],
    },
    async () => {
      await syncDefault();
      return (await store.webhooks.list()).map((w) => infoOf(w, usage.pendingUse(w.name)));
    },
  );

  defineRoute(
    app,
    {
      method: "DELETE",
      url: "/api/webhooks/:name",
      auth: "write",
      params: z.object({ name: NAME }),
      response: z.object({ name: z.string(), removed: z.literal(true) }),
      summary: "Deletes a webhook (its URL answers 401 from then on)",
      tags: ["webhooks"],
    },
    async ({ params }) => {
      if (params.name === DEFAULT_WEBHOOK && envSecret)
        throw new ApiHttpError(409, "conflict", "the webhook default is defined by ATP_WEBHOOK_SECRET");
      if (!(await store.webhooks.remove(params.name)))
        throw new ApiHttpError(404, "not_found", `no webhook ${params.name}`);
      return { name: params.name, removed: true as const };
    },
  );

  await app.register(async (sub) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser(
      ["application/json", "text/plain"],
      { parseAs: "string", bodyLimit: MAX_WEBHOOK_BYTES },
      (_req, text, done) => {
        try {
          done(null, parseJsonBody(String(text)));
        } catch {
          done(
            new ApiHttpError(400, "invalid_json", "the body is not valid JSON (or nested deeper than 64)"),
            undefined,
          );
        }
      },
    );
    defineRoute(
      sub,
      {
        method: "POST",
        url: "/api/signals/webhook/:name",
        auth: "public",
        params: z.object({ name: NAME }),
        response: webhookAcceptedSchema,
        status: 202,
        summary: "TradingView signal: {secret, symbol, side, amount_usd?, price?, signal_id?}",
        description:
          "The secret travels in the body (TradingView cannot set headers). symbol: BTC_USD, BTCUSD, BTC/USD or CRYPTO:BTCUSD; " +
          "side: buy/sell in any case; amount_usd and price: JSON numbers or decimal strings, read exactly from their text. " +
          "The same signal_id twice never makes a second order (status duplicate). Only watchlist symbols with trading on; " +
          "otherwise status blocked with the reason code. intent_id null with status accepted: queued, not yet taken by the engine.",
        tags: ["webhooks"],
      },
      async ({ params, request }) => {
        const body = (request.body ?? null) as JsonValue;
        // the default's row is put in place once (the environment does not change while running)
        if (!defaultSynced && params.name === DEFAULT_WEBHOOK) await syncDefault();
        const given = isJsonObject(body) && Object.hasOwn(body, "secret") ? body.secret : undefined;
        if (!(await secrets.check(params.name, typeof given === "string" ? given : undefined)))
          throw new ApiHttpError(401, "unauthorized", "unknown webhook or wrong secret");
        const r = readWebhookSignal(body, await venueInstruments(deps));
        if (!r.ok) throw validationError("body", r.problems);
        return intakeWebhookSignal(intake, params.name, r.signal);
      },
    );
  });
}
