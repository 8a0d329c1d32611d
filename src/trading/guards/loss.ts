/**
 * DAILY_LOSS_LIMIT and STOPLOSS_GUARD: the loss protections (settings "loss_protection").
 *
 * Invariants:
 * - Daily loss: the realised P&L of the lots of the request's mode closed since 00:00 UTC of
 *   `req.now`, summed as decimals. A loss reaching dailyLossLimitUsd, or dailyLossLimitPct % of the
 *   day's equity, blocks every new entry until the next UTC day (the window simply starts again).
 *   The day's equity is the venue's equity now plus the loss already realised today (what it was
 *   before those losses); it is read from the venue only when a % limit is set and there is a loss,
 *   and an unreadable balance then blocks (fail closed).
 * - Stop-loss guard: stoplossGuardCount STOP_LOSS exits of the symbol (same mode) within the last
 *   stoplossGuardHours hours pause entries on that symbol until the count in the window falls below
 *   the limit; a count of 0 turns the guard off.
 */
import type { AccountBalance } from "../../exchange/types.js";
import { Dec, plain } from "../../util/decimal.js";
import { isEntry, type TradingGuard } from "./guard.js";
import { DAY_MS, isoUtc, stoplossWindowStart, utcDayStart } from "./reads.js";

/** The account's equity in USD: the sum of the reported market values, else the available total. */
export function equityOf(b: AccountBalance): Dec {
  const valued = b.currencies.filter((c) => c.marketValue !== undefined);
  if (valued.length === 0) return b.totalAvailable;
  return valued.reduce((s, c) => s.add(c.marketValue!), new Dec(0));
}

export const dailyLossLimitGuard: TradingGuard = {
  code: "DAILY_LOSS_LIMIT",
  applies: isEntry,
  async check(r) {
    const { dailyLossLimitUsd, dailyLossLimitPct } = await r.lossProtection();
    if (dailyLossLimitUsd === undefined && dailyLossLimitPct === undefined)
      return { ok: true, detail: "no daily loss limit configured" };
    const start = utcDayStart(r.req.now);
    const closed = await r.closedSince(start);
    const pnl = closed.reduce((s, l) => s.add(l.realisedPnl), new Dec(0));
    const loss = pnl.lt(0) ? pnl.neg() : new Dec(0);
    const until = `entries paused until ${isoUtc(start + DAY_MS)}`;
    const head = `realised P&L today (UTC, ${r.req.mode}) ${plain(pnl)} USD`;
    if (dailyLossLimitUsd !== undefined && loss.gt(0) && loss.gte(dailyLossLimitUsd))
      return { ok: false, detail: `${head}, limit ${plain(dailyLossLimitUsd)} USD: ${until}` };
    if (dailyLossLimitPct !== undefined && loss.gt(0)) {
      const equity = equityOf(await r.balance()).add(loss);
      const limit = equity.mul(dailyLossLimitPct).div(100);
      if (loss.gte(limit))
        return {
          ok: false,
          detail: `${head}, limit ${plain(dailyLossLimitPct)} % of ${plain(equity)} USD = ${plain(limit)} USD: ${until}`,
        };
      return { ok: true, detail: `${head}, limit ${plain(dailyLossLimitPct)} % of ${plain(equity)} USD` };
    }
    const limits = [
      dailyLossLimitUsd !== undefined ? `${plain(dailyLossLimitUsd)} USD` : undefined,
      dailyLossLimitPct !== undefined ? `${plain(dailyLossLimitPct)} % of equity` : undefined,
    ].filter((x) => x !== undefined);
    return { ok: true, detail: `${head}, limit ${limits.join(" or ")}` };
  },
};

export const stoplossGuard: TradingGuard = {
  code: "STOPLOSS_GUARD",
  applies: isEntry,
  async check(r) {
    const loss = await r.lossProtection();
    const { stoplossGuardCount: n, stoplossGuardHours: h } = loss;
    const { symbol, mode, now } = r.req;
    if (n === 0) return { ok: true, detail: "stop-loss guard off" };
    const start = stoplossWindowStart(now, loss);
    const windowMs = now - start + 1;
    const exits = (await r.closedSince(start, { symbol, exitReason: "STOP_LOSS" })).filter(
      (l) => l.closedAt !== undefined && l.closedAt <= now,
    );
    const head = `${exits.length} stop-loss exit(s) on ${symbol} (${mode}) within ${h} h, limit ${n}`;
    if (exits.length < n) return { ok: true, detail: head };
    // oldest first: once the (count − n + 1)-th oldest leaves the window, fewer than n remain
    const leaving = exits[exits.length - n]!.closedAt!;
    return { ok: false, detail: `${head}: ${symbol} paused until ${isoUtc(leaving + windowMs)}` };
  },
};
