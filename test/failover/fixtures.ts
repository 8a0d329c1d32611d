/**
 * What the failover tests share: one emulator in the test process with two API keys on ONE
 * account (A's and B's: the emulator's ledger then says which process sent each order), the
 * environment of an `atp start` on it, and the store seeded through its repositories.
 *
 * Invariants:
 * - A process only ever signs with its own key, so `api_key` in the ledger
 *   (`GET /emulator/admin/orders`, here `admin.orders()`) names the process that sent the request.
 * - Trading is switched on exactly as an operator does it: LIVE_TRADING=true in the environment and
 *   the store's live switch; the watchlist rows enable trading with an amount.
 */
import { type AdminOrder, type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import type { Store } from "../../src/store/types.js";
import { inboxTrace } from "../../src/trading/inbox.js";
import { dec } from "../../src/util/decimal.js";

export const KEYS = {
  A: { key: "failover-a-key", secret: "failover-a-secret" },
  B: { key: "failover-b-key", secret: "failover-b-secret" },
} as const;
export type Who = keyof typeof KEYS;

export function failoverEmulator(): Promise<EmulatorHandle> {
  const key = (who: Who) => ({
    api_key: KEYS[who].key,
    secret: KEYS[who].secret,
    account: "main",
    ip_whitelist: ["127.0.0.1", "::1"],
  });
  return startEmulator({ keys: [key("A"), key("B")] });
}

/** The environment of `atp start` for process `who` (with credentials: live orders on the emulator). */
export function startEnv(
  emu: EmulatorHandle,
  store: { databaseUrl?: string; dataDir: string },
  who?: Who,
): Record<string, string> {
  return {
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    ATP_DATA_DIR: store.dataDir,
    ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : {}),
    ...(who
      ? {
          EXCHANGE_CUSTOM_API_KEY: KEYS[who].key,
          EXCHANGE_CUSTOM_API_SECRET: KEYS[who].secret,
          LIVE_TRADING: "true",
        }
      : {}),
  };
}

/** Live switch on; the symbols trade with $12 per entry, no cooldown in the way. */
export async function seedTrading(store: Store, symbols: string[]): Promise<void> {
  await store.settings.set("live_trading", true);
  for (const symbol of symbols)
    await store.watchlist.upsert({ symbol, tradeEnabled: true, amountUsd: dec("12") });
}

/** A BUY in the store's inbox, as `atp order buy` writes it. */
export async function inboxBuy(store: Store, symbol: string): Promise<string> {
  const s = await store.signals.insert({
    symbol,
    side: "BUY",
    source: "cli",
    strategy: "manual",
    trace: inboxTrace({ amountUsd: "12", actor: "operator:failover-test" }),
  });
  return s.id;
}

/** The ledger's accepted order requests (response_code 0). */
export function acceptedOrders(emu: EmulatorHandle): AdminOrder[] {
  return emu.admin.orders().filter((o) => o.response_code === 0);
}

/** Who sent an accepted order (by its API key). */
export function sender(o: AdminOrder): Who | "other" {
  return o.api_key === KEYS.A.key ? "A" : o.api_key === KEYS.B.key ? "B" : "other";
}

/**
 * Polls `probe` (real store / network I/O) every 50 ms until it returns a value, at most `timeoutMs`.
 */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
