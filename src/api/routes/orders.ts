/**
 * Orders and positions: `GET /api/orders` (filters status, symbol, role; cursor pagination),
 * `GET /api/orders/{id}`, `POST /api/orders` (a manual order through the Trader and its guards),
 * `POST /api/orders/{id}/cancel`, `GET /api/positions`.
 *
 * Invariants:
 * - Ids and decimals leave as strings (the mappers); a manual order's amount is read from its text.
 * - Order pages are the store's listings (the listed columns, money as exact text; the same order,
 *   filters and cursors as `orders.page`).
 * - A manual order's idempotency key is the client's `Idempotency-Key` header (`api:<key>`) or a new
 *   `api:<uuid>`: the same header twice is one intent and at most one order.
 * - Cancel (order-cancel.ts): only our own open orders; a protective leg only with `confirm`.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { StoreInputError } from "../../store/errors.js";
import type { StoredOrderFilter } from "../../store/types.js";
import { NON_FINAL_ORDER_STATUSES, ORDER_ROLES, STORED_ORDER_STATUSES } from "../../store/vocabulary.js";
import type { TradeRequest } from "../../trading/requests.js";
import { dec } from "../../util/decimal.js";
import { symbolViewOf } from "../dashboard-state.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import { apiOrderOf, apiOrderOfListing, apiPositionOf } from "../mappers/orders.js";
import {
  apiOrderPageSchema,
  apiOrderSchema,
  apiPositionSchema,
  manualOrderResultSchema,
} from "../mappers/schemas.js";
import { manualOrderResultOf } from "../mappers/trade-result.js";
import { resolveInstrument } from "../mappers/watchlist-input.js";
import { defineRoute } from "../route.js";
import { registerOrderCancelRoute } from "./order-cancel.js";

const listQuery = z.object({
  status: z.enum([...STORED_ORDER_STATUSES, "open"]).optional(),
  symbol: z.string().min(1).max(64).optional(),
  role: z.enum(ORDER_ROLES).optional(),
  mode: z.enum(["LIVE", "DRY_RUN", "DEMO"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(200).optional(),
});
const manualBody = z.strictObject({
  symbol: z.string().min(1).max(64),
  side: z.enum(["BUY", "SELL"]),
  amount_usd: z
    .string()
    .regex(/^\d{1,20}(\.\d{1,18})?$/, "a positive decimal as text, e.g. 25.50")
    .refine((s) => dec(s).gt(0), "must be greater than zero")
    .optional(),
});
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function markOf(deps: ApiDeps, symbol: string): string | null {
  const v = symbolViewOf(deps, symbol);
  return typeof v === "string" ? null : v.price;
}

export async function registerOrderRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store, services } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/orders",
      auth: "read",
      query: listQuery,
      response: apiOrderPageSchema,
      summary:
        "Orders, newest first; `status=open` for orders not final; pass `next_cursor` as `cursor` for the next page",
      tags: ["orders"],
    },
    async ({ query }) => {
      const filter: StoredOrderFilter & { cursor?: string; limit?: number } = { limit: query.limit };
      if (query.status) filter.status = query.status === "open" ? NON_FINAL_ORDER_STATUSES : query.status;
      if (query.symbol) filter.symbol = query.symbol;
      if (query.role) filter.role = query.role;
      if (query.mode) filter.mode = query.mode;
      if (query.cursor) filter.cursor = query.cursor;
      try {
        const page = await store.orders.listingPage(filter);
        return { items: page.items.map(apiOrderOfListing), next_cursor: page.nextCursor ?? null };
      } catch (e) {
        if (e instanceof StoreInputError)
          throw new ApiHttpError(400, "validation", "invalid query: cursor", {
            details: [{ field: "cursor", problem: "not a cursor this server issued" }],
          });
        throw e;
      }
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/orders/:id",
      auth: "read",
      params: z.object({ id: z.string().min(1).max(128) }),
      response: apiOrderSchema,
      summary: "One order by its id (also found by exchange order id or client order id)",
      tags: ["orders"],
    },
    async ({ params }) => {
      const o =
        (await store.orders.get(params.id)) ??
        (await store.orders.findByExchangeId(params.id)) ??
        (await store.orders.findByClientOid(params.id));
      if (!o) throw new ApiHttpError(404, "not_found", `no order ${params.id}`);
      return apiOrderOf(o);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/orders",
      auth: "write",
      body: manualBody,
      response: manualOrderResultSchema,
      summary:
        "A manual order through the pipeline and its guards (header Idempotency-Key: the same key is one order)",
      description:
        "BUY spends `amount_usd` (default: the watchlist's amount); SELL closes the symbol's open lots.",
      tags: ["orders"],
    },
    async ({ body, request, actor }) => {
      if (!services.canSubmit)
        throw new ApiHttpError(503, "not_ready", "manual orders need the trading engine in this process", {
          retryable: true,
        });
      const header = request.headers["idempotency-key"];
      if (header !== undefined && (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)))
        throw new ApiHttpError(400, "validation", "invalid header: Idempotency-Key", {
          details: [{ field: "Idempotency-Key", problem: "1 to 128 printable characters without spaces" }],
        });
      const symbol = await resolveInstrument(deps, body.symbol);
      const req: TradeRequest = {
        symbol,
        side: body.side,
        source: "api",
        actor,
        idempotencyKey: `api:${header ?? randomUUID()}`,
        ...(body.amount_usd !== undefined ? { amountUsd: dec(body.amount_usd) } : {}),
      };
      const result = await services.submitManualOrder(req);
      return manualOrderResultOf(result, markOf(deps, symbol));
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/positions",
      auth: "read",
      query: z.object({
        open: z.enum(["true", "false"]).default("true"),
        symbol: z.string().min(1).max(64).optional(),
      }),
      response: z.array(apiPositionSchema),
      summary:
        "Positions (lots) with protection state, mark price and unrealised P&L; `open=false` adds closed ones",
      tags: ["orders"],
    },
    async ({ query }) => {
      const views = await services.listPositions({
        open: query.open === "true",
        ...(query.symbol ? { symbol: query.symbol } : {}),
      });
      return views.map((v) => apiPositionOf(v, markOf(deps, v.lot.symbol)));
    },
  );

  registerOrderCancelRoute(app, deps);
}
