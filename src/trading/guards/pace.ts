/**
 * COOLDOWN, MAX_ORDERS_PER_DAY and MAX_NOTIONAL_PER_DAY: how often and how much a symbol is entered.
 *
 * Invariants:
 * - Measured on the stored ENTRY orders of the symbol in the request's mode, every status but
 *   REJECTED (an order the exchange refused, or that never left, opened nothing); each attempt row
 *   is an order.
 * - The day is the UTC day of `req.now`; the cooldown runs from the newest such order's creation.
 * - An order's notional is its notional (market BUY by amount), else quantity × its price (limit,
 *   average or trigger price); one with neither counts 0. Sums are decimal.
 */
import type { EntryOrderValue } from "../../store/types.js";
import { Dec, plain } from "../../util/decimal.js";
import { isEntry, type TradingGuard } from "./guard.js";
import { type GuardReads, isoUtc, utcDayStart } from "./reads.js";
import { entryAmountOf } from "./watchlist.js";

/** Entry orders of the request's symbol and mode created at or after `since`, newest first. */
function entryOrdersSince(r: GuardReads, since: number): Promise<EntryOrderValue[]> {
  return r.ctx.store.orders.entryValuesSince({ symbol: r.req.symbol, mode: r.req.mode, since });
}

/**
 * The request's entry orders since 00:00 UTC or the start of the cooldown window, whichever is
 * earlier: read once per guard run (the cooldown and both daily guards filter it).
 */
const recent = new WeakMap<GuardReads, Promise<EntryOrderValue[]>>();

function recentEntries(r: GuardReads): Promise<EntryOrderValue[]> {
  let read = recent.get(r);
  if (!read) {
    read = r
      .limits()
      .then(({ cooldownS }) =>
        entryOrdersSince(r, Math.min(utcDayStart(r.req.now), cooldownStart(r.req.now, cooldownS))),
      );
    recent.set(r, read);
  }
  return read;
}

const cooldownStart = (now: number, cooldownS: number) => now - cooldownS * 1000 + 1;

async function entriesToday(r: GuardReads): Promise<EntryOrderValue[]> {
  const start = utcDayStart(r.req.now);
  return (await recentEntries(r)).filter((o) => o.createdAt >= start);
}

/** What an order is worth in quote currency, as far as the store knows. */
export function orderNotionalOf(o: EntryOrderValue): Dec {
  if (o.notional !== undefined) return o.notional;
  const price = o.price ?? o.avgPrice ?? o.refPrice;
  return o.quantity !== undefined && price !== undefined ? o.quantity.mul(price) : new Dec(0);
}

export const cooldownGuard: TradingGuard = {
  code: "COOLDOWN",
  applies: isEntry,
  async check(r) {
    const { cooldownS } = await r.limits();
    const { symbol, now } = r.req;
    if (cooldownS === 0) return { ok: true, detail: "no cooldown configured" };
    const since = cooldownStart(now, cooldownS);
    const last = (await recentEntries(r)).find((o) => o.createdAt >= since);
    if (!last) return { ok: true, detail: `no entry on ${symbol} in the last ${cooldownS} s` };
    const ago = Math.floor((now - last.createdAt) / 1000);
    return {
      ok: false,
      detail: `last entry on ${symbol} ${ago} s ago, cooldown ${cooldownS} s (until ${isoUtc(last.createdAt + cooldownS * 1000)})`,
    };
  },
};

export const maxOrdersPerDayGuard: TradingGuard = {
  code: "MAX_ORDERS_PER_DAY",
  applies: isEntry,
  async check(r) {
    const max = (await r.limits()).maxOrdersPerSymbolPerDay;
    const n = (await entriesToday(r)).length;
    return {
      ok: n < max,
      detail: `${n} entry order(s) on ${r.req.symbol} today (UTC), limit ${max} per day`,
    };
  },
};

export const maxNotionalPerDayGuard: TradingGuard = {
  code: "MAX_NOTIONAL_PER_DAY",
  applies: isEntry,
  async check(r) {
    const max = (await r.limits()).maxNotionalPerSymbolPerDay;
    const orders = await entriesToday(r);
    const today = orders.reduce((s, o) => s.add(orderNotionalOf(o)), new Dec(0));
    const { amount } = await entryAmountOf(r);
    const total = today.add(amount ?? 0);
    return {
      ok: total.lte(max),
      detail: `${plain(today)} USD entered on ${r.req.symbol} today (UTC) + ${plain(amount ?? new Dec(0))} USD = ${plain(total)} USD, limit ${plain(max)} USD per day`,
    };
  },
};
