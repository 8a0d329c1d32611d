/**
 * The engine as the composition root assembles it (src/app/engine.ts), in process against the
 * emulator over loopback on one ManualTime: a strategy signal goes through the store's inbox to a
 * filled, protected lot; with the live switch off the same signal trades in dry run and the
 * exchange receives nothing; a second engine on the same SQLite file is refused; after stop() no
 * signal is taken.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Engine, type EngineDeps } from "../../src/app/engine.js";
import type { EmulatorHandle } from "../../src/emulator/index.js";
import type { CryptoComClient } from "../../src/exchange/cryptocom/client.js";
import { UserStream } from "../../src/exchange/cryptocom/ws/user-stream.js";
import { createLogger } from "../../src/log/logger.js";
import { StoreLockedError } from "../../src/store/errors.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import type { Signal } from "../../src/strategy/signals.js";
import { ManualTime } from "../../src/util/clock.js";
import { dec } from "../../src/util/decimal.js";
import { driveUntil, emulatorVenue, silentUpdates } from "../helpers/trading.js";

interface Fixture {
  time: ManualTime;
  emu: EmulatorHandle;
  client: CryptoComClient;
  store: Store;
  dir: string;
  emit(s: Signal): void;
  deps(over?: Partial<EngineDeps>): EngineDeps;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function fixture(opts: { live: boolean; stream?: boolean }): Promise<Fixture> {
  const time = new ManualTime(Date.UTC(2026, 0, 5, 12, 0, 0));
  const { emu, client } = await emulatorVenue(time);
  const dir = mkdtempSync(join(tmpdir(), "atp-engine-"));
  const logger = createLogger({ level: "silent", pretty: false });
  const store = await openStore({ dataDir: dir, logger, now: () => time.now() });
  await store.watchlist.upsert({
    symbol: "BTC_USD",
    tradeEnabled: true,
    amountUsd: dec("30"),
    slPct: dec("2"),
    tpPct: dec("3"),
  });
  await store.settings.set("live_trading", opts.live);
  closers.push(async () => {
    await client.close();
    await emu.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const listeners = new Set<(s: Signal) => void>();
  const updates = opts.stream
    ? new UserStream({
        url: emu.wsUserUrl,
        apiKey: "demo-key",
        apiSecret: "demo-secret",
        rest: client,
        now: () => time.now(),
        warmupMs: 0,
      })
    : { ...silentUpdates(), start: () => undefined, stop: async () => undefined };
  return {
    time,
    emu,
    client,
    store,
    dir,
    emit: (s) => {
      for (const l of listeners) l(s);
    },
    deps: (over = {}) => ({
      store,
      time,
      logger,
      client,
      live: {
        updates,
        mode: "DEMO",
        diagnose: async () => ({ verdict: "test", report: null }),
      },
      envLiveTrading: true,
      signals: {
        onSignal: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
      tickMs: 100,
      reconcileMs: 60_000,
      trader: { pollMs: 100 },
      ...over,
    }),
  };
}

function buySignal(time: ManualTime): Signal {
  return {
    side: "BUY",
    configHash: "h",
    throttle: { emit: true, code: "FIRST_SIGNAL" } as unknown as Signal["throttle"],
    decision: {
      action: "BUY",
      strategy: "swing-conservative",
      symbol: "BTC_USD",
      timeframe: "1h",
      candleTime: time.now() - 3_600_000,
      evaluatedAt: time.now(),
      preview: false,
      price: 60000.5,
      conditions: [],
      reasons: ["test"],
      buyIndex: 100,
      insufficient: [],
    },
  };
}

async function startEngine(fx: Fixture, over?: Partial<EngineDeps>): Promise<Engine> {
  const engine = new Engine(fx.deps(over));
  closers.push(() => engine.stop());
  await engine.start();
  return engine;
}

describe("the engine", () => {
  it("takes a strategy signal through the inbox to a filled entry protected by an OCO", async () => {
    const fx = await fixture({ live: true });
    const engine = await startEngine(fx);
    expect(engine.isLeader).toBe(true);
    fx.emit(buySignal(fx.time));
    await driveUntil(
      fx.time,
      async () => (await fx.store.lots.listOpen()).some((l) => l.protection === "PROTECTED"),
      "a protected lot",
    );
    const [signal] = await fx.store.signals.list({ symbol: "BTC_USD" });
    expect(signal).toMatchObject({ source: "engine", strategy: "swing-conservative" });
    expect(signal?.price?.toFixed()).toBe("60000.5");
    expect(signal?.intentId).toBeDefined();
    const intent = await fx.store.intents.get(signal!.intentId!);
    expect(intent).toMatchObject({ mode: "DEMO", idempotencyKey: `signal:${signal!.id}` });
    const methods = fx.emu.admin.orders().map((e) => e.method);
    expect(methods.filter((m) => m === "private/create-order")).toHaveLength(1);
  });

  it("cancels one of our orders for the API, audited, and protects the lot again", async () => {
    const fx = await fixture({ live: true });
    const engine = await startEngine(fx);
    fx.emit(buySignal(fx.time));
    const protectedLot = async () =>
      (await fx.store.lots.listOpen()).find((l) => l.protection === "PROTECTED");
    await driveUntil(fx.time, async () => (await protectedLot()) !== undefined, "a protected lot");
    const lot = (await protectedLot())!;
    const tp = (await fx.store.orders.listByLot(lot.id)).find((o) => o.role === "TAKE_PROFIT")!;
    const after = await engine.trader!.cancelOrder(tp.id, "operator:api");
    expect(after.status).toBe("CANCELED");
    const [entry] = await fx.store.audit.list({ entity: "order", entityId: tp.id });
    expect(entry).toMatchObject({ actor: "operator:api", action: "order.cancel" });
    await driveUntil(
      fx.time,
      async () => {
        const legs = (await fx.store.orders.listByLot(lot.id)).filter((o) => o.role === "TAKE_PROFIT");
        return legs.length === 2 && (await fx.store.lots.get(lot.id))?.protection === "PROTECTED";
      },
      "the lot protected again by a new OCO",
    );
  });

  it("confirms and protects from the user stream when every order lookup fails", async () => {
    const fx = await fixture({ live: true, stream: true });
    // every lookup the polling fallback (or reconciliation) could confirm with fails: only the
    // stream's updates can open and protect the lot
    fx.emu.admin.setFaults([
      {
        kind: "error",
        code: 50001,
        methods: [
          "private/get-order-detail",
          "private/advanced/get-order-detail",
          "private/get-order-history",
          "private/advanced/get-order-history",
          "private/get-trades",
        ],
      },
    ]);
    const updates = fx.deps().live?.updates;
    const ready = new Promise<void>((resolve) => updates?.on("ready", () => resolve()));
    await startEngine(fx, { trader: { pollMs: 600_000 } });
    await ready;
    fx.emit(buySignal(fx.time));
    await driveUntil(
      fx.time,
      async () => (await fx.store.lots.listOpen()).some((l) => l.protection === "PROTECTED"),
      "a lot protected through stream updates",
    );
  });

  it("with the live switch off trades the same signal in dry run: the exchange receives no order", async () => {
    const fx = await fixture({ live: false });
    await startEngine(fx);
    fx.emit(buySignal(fx.time));
    await driveUntil(
      fx.time,
      async () =>
        (await fx.store.lots.listOpen({ mode: "DRY_RUN" })).some((l) => l.protection === "PROTECTED"),
      "a protected dry-run lot",
    );
    expect(fx.emu.admin.orders()).toEqual([]);
  });

  it("a dry run restarted protects its open lots again on a fresh simulated account", async () => {
    const fx = await fixture({ live: false });
    const first = await startEngine(fx);
    fx.emit(buySignal(fx.time));
    const protectedLot = async () =>
      (await fx.store.lots.listOpen({ mode: "DRY_RUN" })).find((l) => l.protection === "PROTECTED");
    await driveUntil(fx.time, async () => (await protectedLot()) !== undefined, "a protected dry-run lot");
    const lot = (await protectedLot())!;
    const oldLegs = (await fx.store.orders.listByLot(lot.id)).filter((o) => o.role !== "ENTRY");
    await first.stop();
    await startEngine(fx);
    await driveUntil(
      fx.time,
      async () => (await fx.store.lots.get(lot.id))?.protection === "PROTECTED",
      "the lot protected again after the restart",
    );
    for (const leg of oldLegs) {
      const now = await fx.store.orders.get(leg.id);
      expect(now).toMatchObject({ status: "CANCELED", reason: "DRY_RUN_RESTART" });
    }
    const legs = (await fx.store.orders.listByLot(lot.id)).filter(
      (o) => o.role !== "ENTRY" && !oldLegs.some((x) => x.id === o.id),
    );
    expect(legs.map((l) => l.role).sort()).toEqual(["STOP_LOSS", "TAKE_PROFIT"]);
    for (const leg of legs) expect(["NEW", "ACTIVE", "PENDING"]).toContain(leg.status);
    const audit = await fx.store.audit.list({ actor: "engine" });
    expect(audit.filter((a) => a.action === "dry_run.restart")).toHaveLength(oldLegs.length);
    expect(fx.emu.admin.orders()).toEqual([]);
  });

  it("a second engine on the same SQLite file is refused at start", async () => {
    const fx = await fixture({ live: true });
    await startEngine(fx);
    const other = await openStore({
      dataDir: fx.dir,
      logger: createLogger({ level: "silent", pretty: false }),
      now: () => fx.time.now(),
    });
    closers.push(() => other.close());
    const second = new Engine(fx.deps({ store: other }));
    await expect(second.start()).rejects.toBeInstanceOf(StoreLockedError);
    expect(second.isLeader).toBe(false);
  });

  it("after stop() takes no signal and gives the file back", async () => {
    const fx = await fixture({ live: true });
    const engine = await startEngine(fx);
    await engine.stop();
    expect(engine.isLeader).toBe(false);
    fx.emit(buySignal(fx.time));
    await fx.time.advance(1_000);
    expect(await fx.store.signals.list()).toEqual([]);
    const next = await startEngine(fx);
    expect(next.isLeader).toBe(true);
  });
});
