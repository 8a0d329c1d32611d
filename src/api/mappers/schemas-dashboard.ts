/**
 * zod schema of `GET /api/dashboard/state` (DashboardState), for the OpenAPI document, checked at
 * compile time against the contract like the others (schemas.ts).
 */
import { z } from "zod";
import type { DashboardState } from "../contract/types.js";
import {
  type Assert,
  apiDecimalText,
  apiOrderSchema,
  apiPositionSchema,
  apiWatchlistItemSchema,
  type Same,
} from "./schemas.js";

const dec = apiDecimalText;
const decN = apiDecimalText.nullable();
const ms = z.number().int();
const mode = z.enum(["LIVE", "DRY_RUN", "DEMO"]);

const balance = z.object({
  currency: z.string(),
  total: dec,
  available: dec,
  reserved: dec,
  usd_value: decN,
});
const exchangeState = z.object({
  sync_status: z.enum(["ok", "auth_failed", "degraded", "down"]),
  reason: z.string().nullable(),
  data_verified: z.boolean(),
  last_sync: ms.nullable(),
  last_error: z
    .object({
      code: z.number().nullable(),
      name: z.string(),
      category: z.string(),
      method: z.string(),
      at: ms,
    })
    .nullable(),
  outbound_ip: z.string().nullable(),
  clock_offset_ms: z.number().nullable(),
});
export const dashboardStateSchema = z.object({
  balances: z.array(balance),
  portfolio: z.object({ total_usd: decN, as_of: ms.nullable() }),
  open_orders: z.array(apiOrderSchema),
  recent_orders: z.array(apiOrderSchema),
  positions: z.array(apiPositionSchema),
  watchlist: z.array(apiWatchlistItemSchema),
  bot_status: z.object({
    mode,
    live_trading: z.boolean(),
    kill_switch: z.boolean(),
    leader: z.boolean(),
    running: z.boolean(),
  }),
  exchange: exchangeState,
  diagnosis: z
    .object({
      id: z.string(),
      verdict: z.string(),
      top_cause: z.string().nullable(),
      summary: z.string(),
      at: ms,
    })
    .nullable(),
  partial: z.boolean(),
  errors: z.array(z.string()),
  key_hygiene: z.object({
    key_can_withdraw: z.boolean().nullable(),
    via: z.enum(["direct", "proxy"]).nullable(),
    detail: z.string(),
    trading_refused: z.boolean(),
  }),
  freshness: z.object({
    status: z.enum(["fresh", "waiting", "stale"]),
    waiting: z.array(z.string()),
    stale: z.array(z.string()),
    grace_until: ms,
  }),
});

export type DashboardSchemaMatchesContract = Assert<
  Same<z.output<typeof dashboardStateSchema>, DashboardState>
>;
