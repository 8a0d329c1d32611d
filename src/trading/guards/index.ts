/**
 * `runGuards(ctx, venue, request)`: every guard in order (see types.ts for the contract and
 * docs/trading/guards.md for the list).
 *
 * Invariants:
 * - Order: NOT_LEADER, KILL_SWITCH, NOT_IN_WATCHLIST, TRADING_DISABLED, AMOUNT_NOT_SET,
 *   MAX_USD_PER_ORDER, MAX_POSITIONS_SYMBOL, MAX_POSITIONS_TOTAL, COOLDOWN, MAX_ORDERS_PER_DAY,
 *   MAX_NOTIONAL_PER_DAY, DAILY_LOSS_LIMIT, STOPLOSS_GUARD, NO_POSITION, then INSUFFICIENT_BALANCE:
 *   the store's guards first, the one exchange read last, so a request another guard blocks causes
 *   no exchange call (and a SELL without a lot is NO_POSITION, whatever the balance).
 * - Protective requests (PROTECT / FLATTEN) meet NOT_LEADER only.
 * - Evaluation stops at the first failure: the verdict lists every guard that ran (the ones that do
 *   not apply to the request's kind are left out), the failing one last, and its code is `reasonCode`.
 * - Fail closed: a guard whose read throws blocks with its own code, the failure in its detail.
 */
import type { TradingContext, Venue } from "../context.js";
import { exchangeFailureOf } from "../exchange-failure.js";
import { insufficientBalanceGuard } from "./balance.js";
import type { TradingGuard } from "./guard.js";
import { dailyLossLimitGuard, stoplossGuard } from "./loss.js";
import { cooldownGuard, maxNotionalPerDayGuard, maxOrdersPerDayGuard } from "./pace.js";
import { maxPositionsSymbolGuard, maxPositionsTotalGuard, noPositionGuard } from "./positions.js";
import { GuardReads, type KnownReads } from "./reads.js";
import { killSwitchGuard, notLeaderGuard } from "./switches.js";
import type { GuardCheck, GuardRequest, GuardVerdict } from "./types.js";
import {
  amountNotSetGuard,
  maxUsdPerOrderGuard,
  notInWatchlistGuard,
  tradingDisabledGuard,
} from "./watchlist.js";

export * from "./types.js";

/** Every guard, in evaluation order. */
export const TRADING_GUARDS: readonly TradingGuard[] = [
  notLeaderGuard,
  killSwitchGuard,
  notInWatchlistGuard,
  tradingDisabledGuard,
  amountNotSetGuard,
  maxUsdPerOrderGuard,
  maxPositionsSymbolGuard,
  maxPositionsTotalGuard,
  cooldownGuard,
  maxOrdersPerDayGuard,
  maxNotionalPerDayGuard,
  dailyLossLimitGuard,
  stoplossGuard,
  noPositionGuard,
  insufficientBalanceGuard,
];

/** A failure in words: an exchange failure by its category and code (never its message), else the message. */
export function guardFailureText(e: unknown): string {
  const f = exchangeFailureOf(e);
  if (f) return `${f.method} failed: ${f.category}${f.code !== undefined ? ` (code ${String(f.code)})` : ""}`;
  return e instanceof Error ? e.message : String(e);
}

export async function runGuards(
  ctx: TradingContext,
  venue: Venue,
  req: GuardRequest,
  known?: KnownReads,
): Promise<GuardVerdict> {
  const reads = new GuardReads(ctx, venue, req, known);
  const protective = req.protective || req.kind === "PROTECT" || req.kind === "FLATTEN";
  const checks: GuardCheck[] = [];
  for (const guard of TRADING_GUARDS) {
    if (protective && guard.code !== "NOT_LEADER") continue;
    if (!guard.applies(req)) continue;
    let result: { ok: boolean; detail: string };
    try {
      result = await guard.check(reads);
    } catch (e) {
      result = { ok: false, detail: `could not check (fail closed): ${guardFailureText(e)}` };
    }
    checks.push({ code: guard.code, ...result });
    if (!result.ok) return { ok: false, reasonCode: guard.code, checks };
  }
  return { ok: true, reasonCode: undefined, checks };
}
