/**
 * The crash test's world: an emulator in the test process (a separate exchange from atp's point of
 * view, over loopback HTTP/WebSocket) injecting lose_response, latency and 5xx faults on the order
 * paths, a store (SQLite in a temporary ATP_DATA_DIR, or PostgreSQL in a schema of its own) opened
 * by the test as well, configured so the guards let every entry through, and the environment an
 * `atp start` child process needs to trade live against that emulator.
 *
 * Invariants:
 * - Everything random is drawn from `seed` (the emulator's fault draws and market, the test's kill
 *   points): a failing run prints its seed, and ATP_CRASH_SEED=<seed> replays the same decisions
 *   (process scheduling still varies).
 * - Faults have a probability below 1, so every operation eventually succeeds: the engine can reach
 *   the final state (every intent final, every lot protected or closed) while the faults stay on.
 * - `dispose()` closes the store and the emulator and removes the data (directory or schema).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, type FaultInput, startEmulator } from "../../src/emulator/index.js";
import { openStore } from "../../src/store/open.js";
import type { ProtectionSettings, Store, StoreDialect } from "../../src/store/types.js";
import { dec } from "../../src/util/decimal.js";
import { createPgSchema, quietLogger } from "../store/helpers.js";

export const CRASH_SYMBOL = "BTC_USD";

/** Protection settings of the run: a short deadline so the final check stays quick. */
export const CRASH_PROTECTION: ProtectionSettings = {
  slOrderType: "STOP_LIMIT",
  stopLimitSlippagePct: dec("0.5"),
  deadlineS: 8,
  retryInitialMs: 100,
  retryMaxMs: 800,
};

/** The faults of the run: each order path may lose its response, wait, or answer 500 / 50001. */
export function crashFaults(): FaultInput[] {
  const orderPaths = [
    "private/create-order",
    "private/advanced/create-oco",
    "private/advanced/cancel-oco",
    "private/cancel-order",
    "private/advanced/cancel-order",
  ];
  const reads = [
    "private/get-order-detail",
    "private/advanced/get-order-detail",
    "private/get-open-orders",
    "private/advanced/get-open-orders",
    "private/get-order-history",
    "private/advanced/get-order-history",
  ];
  return [
    { kind: "lose_response", methods: orderPaths, probability: 0.12 },
    { kind: "error", code: 50001, http_status: 500, methods: [...orderPaths, ...reads], probability: 0.08 },
    { kind: "latency", ms: 150, methods: orderPaths, probability: 0.25 },
    { kind: "latency", ms: 60, methods: reads, probability: 0.2 },
  ];
}

export interface CrashWorld {
  dialect: StoreDialect;
  seed: number;
  emulator: EmulatorHandle;
  store: Store;
  /** Environment of `atp start` (credentials are the emulator's demo key, never real ones). */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function crashWorld(dialect: StoreDialect, seed: number): Promise<CrashWorld> {
  const emulator = await startEmulator(
    { seed, market_tick_ms: 50, order_latency_ms: 40, faults: crashFaults() },
    { host: "127.0.0.1", port: 0 },
  );
  const dataDir = mkdtempSync(join(tmpdir(), "atp-crash-"));
  const schema = dialect === "postgres" ? await createPgSchema() : undefined;
  const store = await openStore({ url: schema?.url, dataDir, logger: quietLogger(), now: Date.now });
  await store.settings.set("live_trading", true);
  await store.settings.set("protection", CRASH_PROTECTION);
  const limits = (await store.settings.get("limits")).value;
  await store.settings.set("limits", {
    ...limits,
    maxOpenPositionsPerSymbol: 10_000,
    maxOpenPositionsTotal: 10_000,
    cooldownS: 0,
    maxOrdersPerSymbolPerDay: 100_000,
    maxNotionalPerSymbolPerDay: dec("10000000"),
  });
  await store.watchlist.upsert({
    symbol: CRASH_SYMBOL,
    tradeEnabled: true,
    amountUsd: dec("50"),
    slPct: dec("2"),
    tpPct: dec("4"),
  });
  const env: Record<string, string> = {
    EXCHANGE_CUSTOM_BASE_URL: emulator.baseUrl,
    EXCHANGE_CUSTOM_API_KEY: "demo-key",
    EXCHANGE_CUSTOM_API_SECRET: "demo-secret",
    LIVE_TRADING: "true",
    ATP_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.ATP_CRASH_LOG_LEVEL ?? "warn",
    ...(schema ? { DATABASE_URL: schema.url } : {}),
  };
  return {
    dialect,
    seed,
    emulator,
    store,
    env,
    async dispose() {
      await store.close();
      await emulator.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
