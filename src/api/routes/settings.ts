/**
 * `GET /api/settings` and `PATCH /api/settings`: limits, loss protections and protection settings
 * in the contract's snake_case (ApiSettings), mapped to and from the store's settings.
 *
 * Invariants:
 * - Decimals travel as exact decimal strings both ways (read with `dec`, written with `toFixed()`).
 * - A PATCH validates every field it names (a 400 naming `limits.cooldown_s`, …), merges it into
 *   the stored value, and writes each changed key with its audit entry (actor `operator:api`) and
 *   a `settings.changed` event — all keys in one transaction.
 * - The notification settings have their own routes (`/api/settings/notifications`,
 *   notification-settings.ts), registered here after these.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { LossProtection, ProtectionSettings, Limits as StoreLimits, Tx } from "../../store/types.js";
import { auditJsonOf } from "../../trading/services/audited.js";
import { dec } from "../../util/decimal.js";
import type { ApiSettings } from "../contract/types.js";
import type { ApiDeps } from "../deps.js";
import { validationError } from "../errors.js";
import { defineRoute } from "../route.js";
import { registerNotificationSettingsRoutes } from "./notification-settings.js";

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal string, e.g. "100" or "0.5"');
const count = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();

const limitsShape = {
  max_open_positions_per_symbol: count,
  max_open_positions_total: count,
  cooldown_s: count,
  max_usd_per_order: decimalText,
  max_orders_per_symbol_per_day: count,
  max_notional_per_symbol_per_day: decimalText,
};
const lossShape = {
  daily_loss_limit_usd: decimalText.nullable(),
  daily_loss_limit_pct: decimalText.nullable(),
  stoploss_guard_count: count,
  stoploss_guard_hours: z.number().positive(),
};
const protectionShape = {
  sl_order_type: z.enum(["STOP_LIMIT", "STOP_LOSS"]),
  stop_limit_slippage_pct: decimalText,
  deadline_s: positiveInt,
  retry_initial_ms: positiveInt,
  retry_max_ms: positiveInt,
};

const settingsSchema = z.object({
  limits: z.object(limitsShape),
  loss_protection: z.object(lossShape),
  protection: z.object(protectionShape),
});
const patchSchema = z.strictObject({
  limits: z.strictObject(limitsShape).partial().optional(),
  loss_protection: z.strictObject(lossShape).partial().optional(),
  protection: z.strictObject(protectionShape).partial().optional(),
});
type Patch = z.output<typeof patchSchema>;

interface StoredSettings {
  limits: StoreLimits;
  loss_protection: LossProtection;
  protection: ProtectionSettings;
}

const optDec = (s: string | null | undefined) => (s === null || s === undefined ? undefined : dec(s));

export function apiSettingsOf(s: StoredSettings): ApiSettings {
  const { limits: l, loss_protection: p, protection: q } = s;
  return {
    limits: {
      max_open_positions_per_symbol: l.maxOpenPositionsPerSymbol,
      max_open_positions_total: l.maxOpenPositionsTotal,
      cooldown_s: l.cooldownS,
      max_usd_per_order: l.maxUsdPerOrder.toFixed(),
      max_orders_per_symbol_per_day: l.maxOrdersPerSymbolPerDay,
      max_notional_per_symbol_per_day: l.maxNotionalPerSymbolPerDay.toFixed(),
    },
    loss_protection: {
      daily_loss_limit_usd: p.dailyLossLimitUsd?.toFixed() ?? null,
      daily_loss_limit_pct: p.dailyLossLimitPct?.toFixed() ?? null,
      stoploss_guard_count: p.stoplossGuardCount,
      stoploss_guard_hours: p.stoplossGuardHours,
    },
    protection: {
      sl_order_type: q.slOrderType,
      stop_limit_slippage_pct: q.stopLimitSlippagePct.toFixed(),
      deadline_s: q.deadlineS,
      retry_initial_ms: q.retryInitialMs,
      retry_max_ms: q.retryMaxMs,
    },
  };
}

/** The stored settings with the patch applied (input already validated). */
export function mergeSettings(cur: StoredSettings, patch: Patch): StoredSettings {
  const a = apiSettingsOf(cur);
  const l = { ...a.limits, ...patch.limits };
  const p = { ...a.loss_protection, ...patch.loss_protection };
  const q = { ...a.protection, ...patch.protection };
  return {
    limits: {
      maxOpenPositionsPerSymbol: l.max_open_positions_per_symbol,
      maxOpenPositionsTotal: l.max_open_positions_total,
      cooldownS: l.cooldown_s,
      maxUsdPerOrder: dec(l.max_usd_per_order),
      maxOrdersPerSymbolPerDay: l.max_orders_per_symbol_per_day,
      maxNotionalPerSymbolPerDay: dec(l.max_notional_per_symbol_per_day),
    },
    loss_protection: {
      dailyLossLimitUsd: optDec(p.daily_loss_limit_usd),
      dailyLossLimitPct: optDec(p.daily_loss_limit_pct),
      stoplossGuardCount: p.stoploss_guard_count,
      stoplossGuardHours: p.stoploss_guard_hours,
    },
    protection: {
      slOrderType: q.sl_order_type,
      stopLimitSlippagePct: dec(q.stop_limit_slippage_pct),
      deadlineS: q.deadline_s,
      retryInitialMs: q.retry_initial_ms,
      retryMaxMs: q.retry_max_ms,
    },
  };
}

async function readStored(tx: Pick<Tx, "settings">): Promise<StoredSettings> {
  // one after another: inside a transaction the repositories share one connection
  const limits = await tx.settings.get("limits");
  const loss = await tx.settings.get("loss_protection");
  const protection = await tx.settings.get("protection");
  return { limits: limits.value, loss_protection: loss.value, protection: protection.value };
}

const KEYS = ["limits", "loss_protection", "protection"] as const;

export async function registerSettingsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/settings",
      auth: "read",
      response: settingsSchema,
      summary: "Limits, loss protections and protection settings",
      tags: ["settings"],
    },
    async () => apiSettingsOf(await readStored(deps.store)),
  );

  defineRoute(
    app,
    {
      method: "PATCH",
      url: "/api/settings",
      auth: "write",
      body: patchSchema,
      response: settingsSchema,
      summary: "Changes any subset of the settings (every field validated; audited)",
      tags: ["settings"],
    },
    async ({ body, actor }) => {
      const stored = await deps.store.transaction(async (tx) => {
        const cur = await readStored(tx);
        const next = mergeSettings(cur, body);
        if (next.protection.retryInitialMs > next.protection.retryMaxMs) {
          throw validationError("body", [
            { field: "protection.retry_initial_ms", problem: "must not exceed protection.retry_max_ms" },
          ]);
        }
        for (const key of KEYS) {
          if (body[key] === undefined) continue;
          const before = auditJsonOf(cur[key]);
          const after = auditJsonOf(await tx.settings.set(key, next[key] as never));
          if (JSON.stringify(before) === JSON.stringify(after)) continue;
          await tx.audit.append({
            actor,
            action: "settings.set",
            entity: "settings",
            entityId: key,
            before,
            after,
          });
          await tx.events.append({ kind: "settings.changed", payload: { key, actor, before, after } });
        }
        return readStored(tx);
      });
      return apiSettingsOf(stored);
    },
  );

  await registerNotificationSettingsRoutes(app, deps);
}
