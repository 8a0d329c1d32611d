/**
 * The watchlist: `GET /api/watchlist`, `POST /api/watchlist`, `PATCH` and `DELETE
 * /api/watchlist/{symbol}` — through `deps.services` (audited, with an event) as `operator:api`.
 *
 * Invariants:
 * - A symbol is accepted only when the venue lists it (any accepted form, resolved to the instrument
 *   name); an unknown one is a 400 naming the closest instruments.
 * - A change of what produces signals (preset, SL %, TP %) resets the symbol's signal throttle in the
 *   store (watchlist-throttle.ts); the market source is told to follow or drop the symbol.
 * - Decimals are read from their text (`"25.50"`), never through a JS number.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { WatchlistInput } from "../../store/types.js";
import { dec } from "../../util/decimal.js";
import { symbolViewOf } from "../dashboard-state.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import { apiWatchlistItemOf } from "../mappers/market.js";
import { apiWatchlistItemSchema } from "../mappers/schemas.js";
import { resetSymbolThrottle, resolveInstrument, signalSettingsChanged } from "../mappers/watchlist-input.js";
import { defineRoute } from "../route.js";
import type { ApiInternals } from "../server.js";

const positive = z
  .string()
  .regex(/^\d{1,20}(\.\d{1,18})?$/, "a positive decimal as text, e.g. 25.50")
  .refine((s) => dec(s).gt(0), "must be greater than zero");
const pct = positive.refine((s) => dec(s).lt(100), "must be below 100");
const settings = {
  amount_usd: positive.nullable().optional(),
  sl_pct: pct.nullable().optional(),
  tp_pct: pct.nullable().optional(),
  trade_enabled: z.boolean().optional(),
  alerts_enabled: z.boolean().optional(),
  preset: z.string().min(1).max(64).nullable().optional(),
};
const inputSchema = z.strictObject({ symbol: z.string().min(1).max(64), ...settings });
const patchSchema = z.strictObject(settings);
const symbolParams = z.object({ symbol: z.string().min(1).max(64) });

type Settings = z.output<typeof patchSchema>;

/** Known preset names from the strategies source (undefined: it cannot say, nothing is refused). */
function presetNames(deps: ApiDeps): Set<string> | undefined {
  try {
    const file = deps.strategies.get();
    if (!file || typeof file !== "object" || !Object.hasOwn(file, "presets")) return undefined;
    const presets = (file as { presets: unknown }).presets;
    if (!presets || typeof presets !== "object") return undefined;
    return new Set(Object.keys(presets));
  } catch {
    return undefined;
  }
}

function toInput(deps: ApiDeps, symbol: string, s: Settings): WatchlistInput {
  if (s.preset !== undefined && s.preset !== null && s.preset !== "external") {
    const known = presetNames(deps);
    if (known && !known.has(s.preset))
      throw new ApiHttpError(400, "validation", `unknown preset ${JSON.stringify(s.preset)}`, {
        details: [
          { field: "preset", problem: `not a preset (known: ${[...known].sort().join(", ")}, or external)` },
        ],
      });
  }
  const d = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : dec(v));
  const input: WatchlistInput = { symbol };
  if (s.amount_usd !== undefined) input.amountUsd = d(s.amount_usd);
  if (s.sl_pct !== undefined) input.slPct = d(s.sl_pct);
  if (s.tp_pct !== undefined) input.tpPct = d(s.tp_pct);
  if (s.trade_enabled !== undefined) input.tradeEnabled = s.trade_enabled;
  if (s.alerts_enabled !== undefined) input.alertsEnabled = s.alerts_enabled;
  if (s.preset !== undefined) input.preset = s.preset;
  return input;
}

async function watched(deps: ApiDeps, symbol: string): Promise<string> {
  if (await deps.store.watchlist.get(symbol)) return symbol;
  const upper = symbol.toUpperCase();
  if (await deps.store.watchlist.get(upper)) return upper;
  throw new ApiHttpError(404, "not_found", `${symbol} is not in the watchlist`);
}

async function follow(deps: ApiDeps, symbol: string, on: boolean): Promise<void> {
  try {
    await (on ? deps.market.watch(symbol) : deps.market.unwatch(symbol));
  } catch (e) {
    deps.logger.warn(
      { symbol, err: e instanceof Error ? e.message : String(e) },
      "api: market watch change failed",
    );
  }
}

export async function registerWatchlistRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  internals: Pick<ApiInternals, "freshness">,
): Promise<void> {
  const { store, services } = deps;
  const answer = (item: Parameters<typeof apiWatchlistItemOf>[0]) => {
    const row = apiWatchlistItemOf(item, symbolViewOf(deps, item.symbol));
    row.data_state = internals.freshness.symbolState(
      row.symbol,
      row.data_fresh,
      item.createdAt,
      deps.time.now(),
    );
    return row;
  };

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/watchlist",
      auth: "read",
      response: z.array(apiWatchlistItemSchema),
      summary: "The watchlist with prices, indicators and decisions",
      tags: ["watchlist"],
    },
    async () => (await store.watchlist.list()).map(answer),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/watchlist",
      auth: "write",
      body: inputSchema,
      response: apiWatchlistItemSchema,
      status: 201,
      summary: "Adds a coin (BTC_USD, BTCUSD, BTC/USD …); unknown symbols are refused with the closest names",
      tags: ["watchlist"],
    },
    async ({ body, actor }) => {
      const symbol = await resolveInstrument(deps, body.symbol);
      if (await store.watchlist.get(symbol))
        throw new ApiHttpError(409, "conflict", `${symbol} is already in the watchlist (PATCH changes it)`);
      const item = await services.upsertWatchlist(toInput(deps, symbol, body), actor);
      await follow(deps, symbol, true);
      return answer(item);
    },
  );

  defineRoute(
    app,
    {
      method: "PATCH",
      url: "/api/watchlist/:symbol",
      auth: "write",
      params: symbolParams,
      body: patchSchema,
      response: apiWatchlistItemSchema,
      summary: "Changes a coin's settings (a change of preset, SL % or TP % resets its signal throttle)",
      tags: ["watchlist"],
    },
    async ({ params, body, actor }) => {
      const symbol = await watched(deps, params.symbol);
      const before = await store.watchlist.get(symbol);
      const item = await services.upsertWatchlist(toInput(deps, symbol, body), actor);
      if (before && signalSettingsChanged(before, item))
        await resetSymbolThrottle(store, symbol, deps.time.now());
      await follow(deps, symbol, true);
      return answer(item);
    },
  );

  defineRoute(
    app,
    {
      method: "DELETE",
      url: "/api/watchlist/:symbol",
      auth: "write",
      params: symbolParams,
      response: z.object({ symbol: z.string(), removed: z.literal(true) }),
      summary: "Removes a coin (its open positions stay and stay protected)",
      tags: ["watchlist"],
    },
    async ({ params, actor }) => {
      const symbol = await watched(deps, params.symbol);
      await services.removeWatchlist(symbol, actor);
      await follow(deps, symbol, false);
      return { symbol, removed: true as const };
    },
  );
}
