/**
 * Trading controls: `GET /api/trading`, `POST /api/trading/live`, `POST /api/trading/kill-switch`.
 *
 * Invariants:
 * - Turning live trading on needs LIVE_TRADING=true (or the demo), else 409
 *   `live_trading_not_allowed`, and `confirm: "LIVE"`, else a 400 naming `confirm`. Turning it
 *   off is always allowed.
 * - Every change goes through TradingServices (audited, with an event) as `operator:api`.
 * - The state shown is the fail-safe reading of the switches (SwitchRead.value); `live_refused`
 *   says why no live order is sent whatever the switch says (ATP_REFUSE_WITHDRAW_KEYS).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { TradingState } from "../contract/types.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError, validationError } from "../errors.js";
import { defineRoute } from "../route.js";

export const apiModeSchema = z.enum(["LIVE", "DRY_RUN", "DEMO"]);

const tradingStateSchema = z.object({
  mode: apiModeSchema,
  live_trading: z.boolean(),
  env_live_trading: z.boolean(),
  kill_switch: z.boolean(),
  live_refused: z.string().optional(),
});

export async function tradingStateOf(deps: ApiDeps): Promise<TradingState> {
  const s = deps.store.settings;
  const [live, kill, mode] = await Promise.all([s.liveTrading(), s.killSwitch(), deps.engine.mode()]);
  const refused = deps.engine.liveRefusal?.();
  return {
    mode,
    live_trading: live.value,
    env_live_trading: deps.engine.envLiveTrading,
    kill_switch: kill.value,
    ...(refused !== undefined ? { live_refused: refused } : {}),
  };
}

export async function registerTradingRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/trading",
      auth: "read",
      response: tradingStateSchema,
      summary: "Mode, live switch, LIVE_TRADING and kill switch",
      tags: ["trading"],
    },
    () => tradingStateOf(deps),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/trading/live",
      auth: "write",
      body: z.strictObject({ enabled: z.boolean(), confirm: z.string().optional() }),
      response: tradingStateSchema,
      summary: 'Turns the live switch on ({"enabled":true,"confirm":"LIVE"}; needs LIVE_TRADING=true) or off',
      tags: ["trading"],
    },
    async ({ body, actor }) => {
      if (body.enabled) {
        if (!deps.engine.envLiveTrading) {
          throw new ApiHttpError(
            409,
            "live_trading_not_allowed",
            "live trading cannot be turned on: LIVE_TRADING=true is not set for this process",
          );
        }
        if (body.confirm !== "LIVE") {
          throw validationError("body", [
            { field: "confirm", problem: 'must be "LIVE" to turn live trading on' },
          ]);
        }
      }
      await deps.services.setLiveTrading(body.enabled, actor);
      return tradingStateOf(deps);
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/trading/kill-switch",
      auth: "write",
      body: z.strictObject({ enabled: z.boolean() }),
      response: tradingStateSchema,
      summary: "Engages or releases the kill switch (no new entries while on; protection continues)",
      tags: ["trading"],
    },
    async ({ body, actor }) => {
      await deps.services.setKillSwitch(body.enabled, actor);
      return tradingStateOf(deps);
    },
  );
}
