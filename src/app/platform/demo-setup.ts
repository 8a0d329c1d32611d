/**
 * The demo's fixed set-up: the emulator's demo key, the emulator configuration (a fast market), and
 * the demo store's first-run seed (watchlist, limits fit for a market sped up 600×, live switch on).
 *
 * Invariants:
 * - The seed is written only into a store whose watchlist is empty (the first start of ./data/demo):
 *   what the user changed later (a coin removed, a switch turned off) is never overwritten. The live
 *   switch is the exception only in its first write: DEMO mode trades the in-process emulator only.
 * - Amounts and percentages are decimal strings → `Dec`, never JS numbers.
 */
import type { EmulatorConfigInput } from "../../emulator/index.js";
import { orderIdBaseAt } from "../../emulator/order-ids.js";
import type { Store } from "../../store/types.js";
import { dec } from "../../util/decimal.js";

/** The emulator's default key (docs/emulator.md); its secret is never printed. */
export const DEMO_CREDENTIALS = {
  apiKey: "demo-key",
  apiSecret: "demo-secret",
  label: "demo secret",
} as const;

/** The emulator account the demo key trades (the emulator's default account). */
export const DEMO_ACCOUNT = "main";

/** How many times faster than real time the demo market runs (1h candles close every 6 s). */
export const DEMO_SPEED = 600;

export interface DemoCoin {
  symbol: string;
  preset: string;
  amountUsd: string;
  slPct: string;
  tpPct: string;
}

/**
 * The demo watchlist. Presets that trade often on 1h candles (RSI-led, no MA trend filter for most);
 * SL/TP a little wider than an hourly candle's noise, so protection is placed and exits happen
 * within minutes (verified: docs/operations-start.md "The demo").
 */
export const DEMO_WATCHLIST: readonly DemoCoin[] = [
  { symbol: "BTC_USD", preset: "scalp-aggressive", amountUsd: "50", slPct: "0.6", tpPct: "0.8" },
  { symbol: "ETH_USD", preset: "scalp-aggressive", amountUsd: "50", slPct: "0.6", tpPct: "0.8" },
  { symbol: "SOL_USD", preset: "scalp-aggressive", amountUsd: "40", slPct: "0.8", tpPct: "1" },
  { symbol: "CRO_USD", preset: "scalp-aggressive", amountUsd: "30", slPct: "0.8", tpPct: "1" },
  { symbol: "DOGE_USD", preset: "scalp-aggressive", amountUsd: "30", slPct: "0.8", tpPct: "1" },
];

/**
 * The demo emulator: the default key and instruments, the market `speed`× faster than real time,
 * and order ids above every id an earlier emulator gave (`orderIdBaseAt(startedAt)`): the demo's
 * store outlives each emulator, so a new one must never hand out an id the store already holds.
 */
export function demoEmulatorConfig(speed: number = DEMO_SPEED, startedAt = 0): EmulatorConfigInput {
  return { speed, order_id_base: orderIdBaseAt(startedAt) };
}

/** Writes the demo's first-run seed; returns true when it did (false: the store had a watchlist). */
export async function seedDemoStore(store: Store): Promise<boolean> {
  if ((await store.watchlist.list()).length > 0) return false;
  for (const c of DEMO_WATCHLIST) {
    await store.watchlist.upsert({
      symbol: c.symbol,
      preset: c.preset,
      amountUsd: dec(c.amountUsd),
      slPct: dec(c.slPct),
      tpPct: dec(c.tpPct),
      tradeEnabled: true,
      alertsEnabled: true,
    });
  }
  const limits = (await store.settings.get("limits")).value;
  await store.settings.set("limits", {
    ...limits,
    // real seconds: at 600× a real minute is ten market hours
    cooldownS: 20,
    maxOrdersPerSymbolPerDay: 500,
    maxNotionalPerSymbolPerDay: dec("100000"),
  });
  const loss = (await store.settings.get("loss_protection")).value;
  await store.settings.set("loss_protection", {
    ...loss,
    stoplossGuardCount: 50,
    dailyLossLimitPct: dec("20"),
  });
  await store.settings.set("live_trading", true);
  return true;
}
