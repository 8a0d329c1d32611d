/**
 * Signals and charts: `GET /api/signals` (recent signals, all sources), `GET /api/signals/{symbol}`
 * (the decision trace per condition of each preset, and the symbol's recent signals), `GET
 * /api/candles/{symbol}?timeframe=&count=` (candles with indicators and BUY/SELL markers).
 *
 * Invariants: names from outside are checked against closed lists (timeframes) or resolved against
 * the venue's instruments, never looked up on plain objects; the market source failing is a 503
 * (retryable) naming why, never a 500.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { TIMEFRAMES } from "../../exchange/timeframe.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import { apiSignalOf } from "../mappers/market.js";
import { apiCandleSeriesSchema, apiSignalSchema, signalDetailSchema } from "../mappers/schemas.js";
import { resolveInstrument } from "../mappers/watchlist-input.js";
import { defineRoute } from "../route.js";

const symbolParams = z.object({ symbol: z.string().min(1).max(64) });

function unavailable(what: string, e: unknown): ApiHttpError {
  return new ApiHttpError(
    503,
    "market_data_unavailable",
    `${what}: ${e instanceof Error ? e.message : String(e)}`,
    {
      retryable: true,
    },
  );
}

export async function registerSignalRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { store } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/signals",
      auth: "read",
      query: z.object({
        symbol: z.string().min(1).max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: z.array(apiSignalSchema),
      summary: "Recent signals (strategies, webhooks, manual), newest first, with what became of each",
      tags: ["signals"],
    },
    async ({ query }) =>
      (
        await store.signals.list({ limit: query.limit, ...(query.symbol ? { symbol: query.symbol } : {}) })
      ).map(apiSignalOf),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/signals/:symbol",
      auth: "read",
      params: symbolParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
      response: signalDetailSchema,
      summary: "A symbol's current decision per preset with the trace per condition, and its recent signals",
      tags: ["signals"],
    },
    async ({ params, query }) => {
      const symbol = (await store.watchlist.get(params.symbol))
        ? params.symbol
        : await resolveInstrument(deps, params.symbol);
      let decisions: ReturnType<ApiDeps["market"]["decisions"]>;
      try {
        decisions = deps.market.decisions(symbol);
      } catch (e) {
        throw unavailable("decisions not available", e);
      }
      const recent = (await store.signals.list({ symbol, limit: query.limit })).map(apiSignalOf);
      return { symbol, decisions, recent };
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/candles/:symbol",
      auth: "read",
      params: symbolParams,
      query: z.object({
        timeframe: z.enum(TIMEFRAMES).default("1h"),
        count: z.coerce.number().int().min(1).max(1000).default(200),
      }),
      response: apiCandleSeriesSchema,
      summary: "Candles with EMA10, MA50, MA200, RSI and the BUY/SELL markers, for the charts",
      tags: ["signals"],
    },
    async ({ params, query }) => {
      const symbol = (await store.watchlist.get(params.symbol))
        ? params.symbol
        : await resolveInstrument(deps, params.symbol);
      try {
        return await deps.market.candles(symbol, query.timeframe, query.count);
      } catch (e) {
        throw unavailable("candles not available", e);
      }
    },
  );
}
