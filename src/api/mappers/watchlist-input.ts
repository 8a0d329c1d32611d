/**
 * What the watchlist routes need besides the services: the instrument a symbol from outside names,
 * whether a change touches what produces signals, and the throttle reset that such a change makes.
 *
 * Invariants:
 * - An unknown symbol is a 400 `validation` on field `symbol` with the closest instrument names in
 *   `details[0].suggestions`; the venue's list not being available is a 503 (retryable), never a guess.
 * - The throttle reset goes through the store only (`store.throttle`): every stored record of the
 *   symbol gets a configuration hash no configuration has (`reset:<ms>`), so the next evaluation sees
 *   CONFIG_CHANGED and may signal once at once (src/strategy/throttle.ts), also after a restart.
 */
import type { Store, WatchlistItem } from "../../store/types.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import { resolveSymbol } from "./symbols.js";

/** The venue's instrument names; a 503 (retryable) while the list cannot be read. */
export async function venueInstruments(deps: ApiDeps): Promise<string[]> {
  try {
    return await deps.market.instruments();
  } catch {
    throw new ApiHttpError(503, "not_ready", "the venue's instrument list is not available yet", {
      retryable: true,
    });
  }
}

export async function resolveInstrument(deps: ApiDeps, raw: string): Promise<string> {
  const r = resolveSymbol(raw, await venueInstruments(deps));
  if (r.ok) return r.symbol;
  const closest = r.suggestions.length > 0 ? `; closest: ${r.suggestions.join(", ")}` : "";
  throw new ApiHttpError(400, "validation", `${r.problem}${closest}`, {
    details: [{ field: "symbol", problem: `${r.problem}${closest}`, suggestions: r.suggestions }],
  });
}

const same = (a: { toFixed(): string } | undefined, b: { toFixed(): string } | undefined) =>
  (a === undefined && b === undefined) || (a !== undefined && b !== undefined && a.toFixed() === b.toFixed());

/** The settings that decide a coin's signals changed (preset, overrides, SL %, TP %). */
export function signalSettingsChanged(before: WatchlistItem, after: WatchlistItem): boolean {
  return (
    before.preset !== after.preset ||
    JSON.stringify(before.overrides) !== JSON.stringify(after.overrides) ||
    !same(before.slPct, after.slPct) ||
    !same(before.tpPct, after.tpPct)
  );
}

/** Marks every stored throttle record of `symbol` as of another configuration; returns how many. */
export async function resetSymbolThrottle(store: Store, symbol: string, now: number): Promise<number> {
  const records = (await store.throttle.load()).filter((r) => r.symbol === symbol);
  for (const r of records) await store.throttle.save({ ...r, configHash: `reset:${now}` });
  return records.length;
}
