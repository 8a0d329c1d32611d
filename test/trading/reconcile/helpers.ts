/**
 * Reconciler fixtures: one emulator, the client, the store and the reconciler all on ONE ManualTime
 * (the emulator's clock, the client's nonces, the store's stamps and the reconciler's timers), so
 * history windows and grace periods are exact and independent of the wall clock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorHandle, startEmulator } from "../../../src/emulator/index.js";
import { CryptoComClient } from "../../../src/exchange/cryptocom/client.js";
import type { Order, OrderRequest } from "../../../src/exchange/types.js";
import { openStore } from "../../../src/store/open.js";
import type { Store, StoreDialect } from "../../../src/store/types.js";
import type { TradingContext, Venue } from "../../../src/trading/context.js";
import { Reconciler, type ReconcilerOptions } from "../../../src/trading/reconcile/index.js";
import { ManualTime } from "../../../src/util/clock.js";
import { dec } from "../../../src/util/decimal.js";
import { DEMO, FAST } from "../../exchange/client/helpers/emulator.js";
import { createPgSchema, quietLogger } from "../../store/helpers.js";

export { until } from "../breaker/helpers.js";

export interface ReconcileWorld {
  time: ManualTime;
  emu: EmulatorHandle;
  client: CryptoComClient;
  store: Store;
  venue: Venue;
  ctx: TradingContext;
  updates: { order: Order; mode: string }[];
  protects: string[];
  reconciler(opts?: Partial<ReconcilerOptions>): Reconciler;
  close(): Promise<void>;
}

const noUpdates = { on: () => undefined, off: () => undefined, connected: true } as const;

export async function reconcileWorld(dialect: StoreDialect): Promise<ReconcileWorld> {
  const time = new ManualTime();
  const emu = await startEmulator(
    { market_tick_ms: 0, rate_limits: false },
    { host: "127.0.0.1", clock: time },
  );
  const client = new CryptoComClient({
    baseUrl: emu.baseUrl,
    ...DEMO,
    ...FAST,
    rateLimit: { enabled: false },
    now: () => time.now(),
  });
  const dataDir = mkdtempSync(join(tmpdir(), "atp-reconcile-"));
  const pg = dialect === "postgres" ? await createPgSchema() : undefined;
  const store = await openStore({ url: pg?.url, dataDir, logger: quietLogger(), now: () => time.now() });
  const venue: Venue = { client, updates: noUpdates, mode: "LIVE" };
  const ctx: TradingContext = {
    store,
    venues: { live: venue, dry: { ...venue, mode: "DRY_RUN" } },
    time,
    logger: quietLogger(),
    envLiveTrading: true,
    isLeader: () => true,
  };
  const updates: ReconcileWorld["updates"] = [];
  const protects: string[] = [];
  const made: Reconciler[] = [];
  return {
    time,
    emu,
    client,
    store,
    venue,
    ctx,
    updates,
    protects,
    reconciler(opts = {}) {
      const r = new Reconciler({
        ctx,
        venue,
        hooks: {
          protect: async (lotId) => {
            protects.push(lotId);
          },
          applyUpdate: async (order, mode) => {
            updates.push({ order, mode });
          },
        },
        ...opts,
      });
      made.push(r);
      return r;
    },
    async close() {
      for (const r of made) await r.stop();
      await client.close();
      await emu.close();
      await store.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A resting LIMIT BUY at 80 % of the mid (inside the far-limit band, never fills). */
export function restingBuy(w: ReconcileWorld, intentId: string): OrderRequest {
  const price = dec(w.emu.admin.price("BTC_USD")).mul("0.8").floor().toFixed();
  return { intentId, symbol: "BTC_USD", side: "BUY", type: "LIMIT", quantity: "0.001", price };
}

/** A MARKET BUY of 10 USD (fills at once). */
export function marketBuy(intentId: string): OrderRequest {
  return { intentId, symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: "10.00" };
}

/** An intent and its attempt row (PENDING_SUBMIT), as the trader commits them before sending. */
export async function localAttempt(w: ReconcileWorld, key: string, type: "MARKET" | "LIMIT" = "MARKET") {
  const created = await w.store.intents.create({
    ...{ idempotencyKey: key, kind: "ENTRY", symbol: "BTC_USD", side: "BUY", mode: "LIVE" },
    actor: "test",
  });
  const intent = created.created ? created.intent : created.existing;
  return w.store.orders.insertAttempt({
    ...{ intentId: intent.id, attempt: 1, clientOid: w.client.clientOidFor(`${intent.id}:1`) },
    ...{ symbol: "BTC_USD", side: "BUY", type, role: "ENTRY", mode: "LIVE" },
  });
}
