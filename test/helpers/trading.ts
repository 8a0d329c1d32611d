/**
 * The trader's test harness: an emulator over loopback on a shared ManualTime (so nonces,
 * resendSafeAfter and order times agree with the trader's clock), the real CryptoComClient as the
 * DEMO venue (also used as ctx.venues.dry), an order-update source that never emits (the polling
 * path), a SQLite store in a temp dir, and `drive()` to move time until a condition holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorConfigInput, type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { CryptoComClient, type CryptoComClientOptions } from "../../src/exchange/cryptocom/client.js";
import type { OrderUpdateSource } from "../../src/exchange/types.js";
import { createLogger, type Logger } from "../../src/log/logger.js";
import { openStore } from "../../src/store/open.js";
import type { Store, WatchlistInput } from "../../src/store/types.js";
import type { TradingContext } from "../../src/trading/context.js";
import { Trader, type TraderOptions } from "../../src/trading/trader.js";
import { ManualTime } from "../../src/util/clock.js";
import { dec } from "../../src/util/decimal.js";

/** An update source that is never connected and never emits: confirmation must poll. */
export function silentUpdates(): OrderUpdateSource {
  return { on: () => undefined, off: () => undefined, connected: false };
}

/**
 * The emulator over loopback on `time` (no market ticks, no rate limits, plus `emulator`) and a
 * CryptoComClient on it with the demo key (no client-side rate limit, short probe delays, plus
 * `client`).
 */
export async function emulatorVenue(
  time: ManualTime,
  opts: { emulator?: EmulatorConfigInput; client?: Partial<CryptoComClientOptions> } = {},
): Promise<{ emu: EmulatorHandle; client: CryptoComClient }> {
  const emu = await startEmulator(
    { market_tick_ms: 0, history_days: 1, rate_limits: false, ...opts.emulator },
    { host: "127.0.0.1", port: 0, clock: time },
  );
  const client = new CryptoComClient({
    baseUrl: emu.baseUrl,
    apiKey: "demo-key",
    apiSecret: "demo-secret",
    now: () => time.now(),
    rateLimit: { enabled: false },
    probeDelaysMs: [0, 20, 50],
    ...opts.client,
  });
  return { emu, client };
}

/** A TradingContext whose live (DEMO) and dry venues are both `client` with silent updates. */
export function tradingContext(o: {
  store: Store;
  client: CryptoComClient;
  time: ManualTime;
  logger: Logger;
  isLeader: () => boolean;
}): TradingContext {
  const updates = silentUpdates();
  return {
    store: o.store,
    venues: {
      live: { client: o.client, updates, mode: "DEMO" },
      dry: { client: o.client, updates, mode: "DRY_RUN" },
    },
    time: o.time,
    logger: o.logger,
    envLiveTrading: true,
    isLeader: o.isLeader,
  };
}

export interface TradingHarness {
  time: ManualTime;
  emu: EmulatorHandle;
  client: CryptoComClient;
  store: Store;
  ctx: TradingContext;
  trader: Trader;
  leader: { value: boolean };
  /** A new Trader on the same store and venues (a restart). */
  restart(opts?: TraderOptions): Promise<Trader>;
  close(): Promise<void>;
}

export async function tradingHarness(
  opts: { emulator?: EmulatorConfigInput; trader?: TraderOptions; logger?: Logger } = {},
): Promise<TradingHarness> {
  const time = new ManualTime(Date.UTC(2026, 0, 5, 12, 0, 0));
  const { emu, client } = await emulatorVenue(time, {
    emulator: opts.emulator,
    client: { retry: { baseDelayMs: 5, maxDelayMs: 40 } },
  });
  const dir = mkdtempSync(join(tmpdir(), "atp-trader-"));
  const logger = opts.logger ?? createLogger({ level: "silent", pretty: false });
  const store = await openStore({ dataDir: dir, logger, now: () => time.now() });
  await store.settings.set("live_trading", true);
  // the scenarios trade one symbol many times in a row: no cooldown or position limit in the way
  // (the guards' own tests cover those)
  await store.settings.set("limits", {
    ...(await store.settings.get("limits")).value,
    maxOpenPositionsPerSymbol: 100,
    maxOpenPositionsTotal: 100,
    cooldownS: 0,
    maxOrdersPerSymbolPerDay: 1000,
    maxNotionalPerSymbolPerDay: dec("1000000"),
  });
  const leader = { value: true };
  const ctx = tradingContext({ store, client, time, logger, isLeader: () => leader.value });
  const traderOpts = { pollMs: 100, confirmTimeoutMs: 5_000, ...opts.trader };
  const trader = new Trader(ctx, traderOpts);
  const traders = [trader];
  return {
    time,
    emu,
    client,
    store,
    ctx,
    trader,
    leader,
    async restart(o) {
      const t = new Trader(ctx, { ...traderOpts, ...o });
      traders.push(t);
      await t.start();
      return t;
    },
    async close() {
      for (const t of traders) await t.stop().catch(() => undefined);
      await client.close();
      await emu.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * tradingHarness(opts) with one watchlist row, `watch`; with `start`, the trader is started first
 * (then the row written), as the scenarios that trade at once do.
 */
export async function watchingHarness(
  watch: WatchlistInput,
  opts: { emulator?: EmulatorConfigInput; trader?: TraderOptions; start?: boolean; logger?: Logger } = {},
): Promise<TradingHarness> {
  const { start, ...harness } = opts;
  const h = await tradingHarness(harness);
  if (start) await h.trader.start();
  await h.store.watchlist.upsert(watch);
  return h;
}

const realPause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `work` while moving `time` in steps of `stepMs` (with a short real pause for loopback I/O)
 * until it settles; bounded by `maxSteps`.
 */
export async function driveWhile<T>(
  time: ManualTime,
  work: Promise<T>,
  stepMs = 100,
  maxSteps = 2_000,
): Promise<T> {
  let done = false;
  const p = work.finally(() => {
    done = true;
  });
  for (let i = 0; i < maxSteps && !done; i++) {
    await time.advance(stepMs);
    await realPause(2);
  }
  return p;
}

/** Moves time until `cond` holds (bounded); throws naming `what` when it never does. */
export async function driveUntil(
  time: ManualTime,
  cond: () => Promise<boolean> | boolean,
  what: string,
  stepMs = 100,
  maxSteps = 2_000,
): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (await cond()) return;
    await time.advance(stepMs);
    await realPause(2);
  }
  throw new Error(`never happened: ${what}`);
}

/** The emulator's ledger entries of create requests (orders and OCO lists). */
export function ledger(emu: EmulatorHandle) {
  return emu.admin.orders();
}
