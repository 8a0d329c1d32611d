/**
 * MAX_POSITIONS_SYMBOL, MAX_POSITIONS_TOTAL and NO_POSITION: what the open lots of the request's
 * mode allow.
 *
 * Invariants:
 * - Counted per mode: dry-run lots never use up the live limits, and the other way round.
 * - A position counts from the moment its entry is in flight: open lots (not CLOSED) plus ENTRY
 *   intents being placed (READY / SUBMITTING / PLACED) that have no lot yet, so two entries in quick
 *   succession cannot both pass a limit of one.
 * - A SELL (EXIT) needs at least one lot of the symbol in that mode, not CLOSED, holding a quantity.
 */
import type { Intent } from "../../store/types.js";
import { isEntry, type TradingGuard } from "./guard.js";
import type { GuardReads } from "./reads.js";

const IN_FLIGHT: ReadonlySet<Intent["status"]> = new Set(["READY", "SUBMITTING", "PLACED"]);

/** The open intents of the request's mode, read once per guard run (both position guards use them). */
const openIntents = new WeakMap<GuardReads, Promise<Intent[]>>();

async function entriesInFlight(r: GuardReads, symbol?: string): Promise<number> {
  let read = openIntents.get(r);
  if (!read) {
    read = r.ctx.store.intents.listOpen({ mode: r.req.mode });
    openIntents.set(r, read);
  }
  const open = await read;
  return open.filter(
    (i) =>
      (symbol === undefined || i.symbol === symbol) &&
      i.kind === "ENTRY" &&
      IN_FLIGHT.has(i.status) &&
      i.lotId === undefined,
  ).length;
}

export const maxPositionsSymbolGuard: TradingGuard = {
  code: "MAX_POSITIONS_SYMBOL",
  applies: isEntry,
  async check(r) {
    const { symbol, mode } = r.req;
    const lots = (await r.openLots()).filter((l) => l.symbol === symbol).length;
    const flying = await entriesInFlight(r, symbol);
    const max = (await r.limits()).maxOpenPositionsPerSymbol;
    const n = lots + flying;
    return {
      ok: n < max,
      detail: `${lots} open lot(s) + ${flying} entry(ies) in flight on ${symbol} (${mode}), limit ${max}`,
    };
  },
};

export const maxPositionsTotalGuard: TradingGuard = {
  code: "MAX_POSITIONS_TOTAL",
  applies: isEntry,
  async check(r) {
    const lots = (await r.openLots()).length;
    const flying = await entriesInFlight(r);
    const max = (await r.limits()).maxOpenPositionsTotal;
    const n = lots + flying;
    return {
      ok: n < max,
      detail: `${lots} open lot(s) + ${flying} entry(ies) in flight in total (${r.req.mode}), limit ${max}`,
    };
  },
};

export const noPositionGuard: TradingGuard = {
  code: "NO_POSITION",
  applies: (req) => req.kind === "EXIT",
  async check(r) {
    const { symbol, mode } = r.req;
    const held = (await r.openLots()).filter((l) => l.symbol === symbol && l.openQuantity.gt(0));
    if (held.length === 0) return { ok: false, detail: `no open lot of ${symbol} in ${mode}` };
    const qty = held.reduce((s, l) => s.add(l.openQuantity), held[0]!.openQuantity.mul(0));
    return {
      ok: true,
      detail: `${held.length} open lot(s) of ${symbol} in ${mode} holding ${qty.toFixed()}`,
    };
  },
};
