/**
 * Strategy signals for `atp start`: the live strategy pipeline over the store's watchlist — every
 * symbol with trading on, on its preset (the strategies file's default when it names none) and its
 * overrides. Undefined when no symbol trades. Throttle state lives in the store, so a restart does
 * not re-emit a signal the last run already acted on.
 */
import { readFileSync } from "node:fs";
import type { Runtime } from "../../app/runtime.js";
import type { Store } from "../../store/types.js";
import { DEFAULT_STRATEGIES_FILE, parseStrategyConfig } from "../../strategy/config.js";
import type { LiveSignals } from "../../strategy/live-signals.js";

export async function watchlistSignals(runtime: Runtime, store: Store): Promise<LiveSignals | undefined> {
  const items = (await store.watchlist.list()).filter((w) => w.tradeEnabled);
  if (items.length === 0) return undefined;
  const base = JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8")) as Record<string, unknown>;
  const coins = new Map<string, Record<string, unknown>>();
  for (const w of items)
    coins.set(w.symbol, {
      ...(w.preset ? { preset: w.preset } : {}),
      ...(Object.keys(w.overrides).length > 0 ? { overrides: w.overrides } : {}),
    });
  const parsed = parseStrategyConfig({ ...base, coins: Object.fromEntries(coins) });
  if (!parsed.config) throw new Error(`watchlist strategy settings: ${parsed.problems.join("; ")}`);
  const signals = await runtime.liveSignals(parsed.config, { throttleStore: store.throttle });
  for (const w of items) await signals.watch(w.symbol);
  return signals;
}
