/**
 * Prices of a lot's protection, rounded in the safe direction.
 *
 * Invariants:
 * - TP = entry × (1 + tp%) rounded DOWN to the tick (fills sooner; never above what was asked).
 * - SL trigger = entry × (1 − sl%) rounded UP to the tick (never a bigger loss than asked).
 * - STOP_LIMIT limit = trigger × (1 − slippage%) rounded DOWN (below the trigger, so it fills).
 * - Defaults when the watchlist has none: SL 2 %, TP 4 %.
 */
import type { Instrument, OrderRules } from "../../exchange/types.js";
import type { ProtectionSettings } from "../../store/types.js";
import { type Dec, dec } from "../../util/decimal.js";

export const DEFAULT_SL_PCT = "2";
export const DEFAULT_TP_PCT = "4";

export interface ProtectionPrices {
  tp: Dec;
  slTrigger: Dec;
  /** The STOP_LIMIT leg's limit price (undefined for STOP_LOSS). */
  slLimit: Dec | undefined;
}

export function protectionPrices(
  rules: OrderRules,
  inst: Instrument,
  entry: Dec,
  pct: { sl: Dec; tp: Dec },
  settings: Pick<ProtectionSettings, "slOrderType" | "stopLimitSlippagePct">,
): ProtectionPrices {
  const hundred = dec("100");
  const tp = rules.roundPrice(inst, entry.mul(hundred.plus(pct.tp)).div(hundred), "down");
  const slTrigger = rules.roundPrice(inst, entry.mul(hundred.minus(pct.sl)).div(hundred), "up");
  const slLimit =
    settings.slOrderType === "STOP_LIMIT"
      ? rules.roundPrice(
          inst,
          slTrigger.mul(hundred.minus(settings.stopLimitSlippagePct)).div(hundred),
          "down",
        )
      : undefined;
  return { tp, slTrigger, slLimit };
}
