/**
 * The composition root: `createRuntime` builds only what a command asks for, adds what it builds
 * to its lifecycle in dependency order, and stops it in reverse. Against the emulator over real
 * loopback HTTP and WebSocket.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketStreamUrl } from "../../src/app/exchange.js";
import { createRuntime } from "../../src/app/runtime.js";
import { loadConfig } from "../../src/config/load.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { DEFAULT_STRATEGIES_FILE, parseStrategyConfig } from "../../src/strategy/config.js";

const DEMO = { apiKey: "demo-key", apiSecret: "demo-secret", label: "demo secret" };
const cwd = "/nonexistent-atp-runtime-test"; // no .env files
let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({
    keys: [{ api_key: "rt-key-000001", secret: "rt-secret-000001", account: "main", permissions: ["read"] }],
  });
});
afterAll(async () => emu.close());

function configured() {
  return loadConfig({
    cwd,
    env: {
      EXCHANGE_CUSTOM_API_KEY: "rt-key-000001",
      EXCHANGE_CUSTOM_API_SECRET: "rt-secret-000001",
      EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    },
  });
}

/** True when something accepts connections on the URL's port. */
async function listening(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

describe("createRuntime builds only what is asked for", () => {
  it("a runtime used for its configuration alone builds nothing (check-config, sign)", async () => {
    const rt = createRuntime(configured(), { name: "check-config" });
    expect(rt.report.valid).toBe(true);
    expect(rt.config.exchange.baseUrl).toBe(emu.baseUrl);
    expect(rt.components).toEqual([]);
    expect(await rt.stop()).toEqual([]);
  });

  it("the configured exchange: a client from the configuration, one component, closed on stop", async () => {
    const rt = createRuntime(configured(), { name: "test-connection" });
    expect(rt.exchange).toBe(rt.exchange);
    const balance = await rt.exchange.getBalance();
    expect(balance.currencies.length).toBeGreaterThan(0);
    expect(rt.components).toEqual([{ name: "exchange client", running: true }]);
    expect(await rt.stop()).toEqual([{ name: "exchange client", result: "stopped" }]);
    expect(() => rt.marketFeed).toThrow(/stopping/);
  });
});

describe("the emulator venue", () => {
  it("starts the emulator, signs with the venue's key, and stops everything in reverse order", async () => {
    const rt = createRuntime(configured(), {
      name: "demo",
      venue: { kind: "emulator", credentials: DEMO },
    });
    expect(() => rt.exchange).toThrow(/start\(\) first/);
    await rt.start();
    const { baseUrl, ipEchoUrl } = rt.emulator;
    expect(rt.wsMarketUrl).toBe(rt.emulator.wsMarketUrl);
    expect((await rt.exchange.getBalance()).currencies.length).toBeGreaterThan(0);

    const parsed = parseStrategyConfig(JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8")));
    const live = await rt.liveSignals(parsed.config!);
    expect(await rt.liveSignals(parsed.config!)).toBe(live);
    expect(rt.components).toEqual([
      { name: "emulator", running: true },
      { name: "exchange client", running: true },
      { name: "market feed", running: true },
      { name: "live signals", running: true },
    ]);
    expect(rt.marketNow).not.toBe(Date.now); // the emulator's market clock

    const outcomes = await rt.stop();
    expect(outcomes.map((o) => `${o.name}: ${o.result}`)).toEqual([
      "live signals: stopped",
      "market feed: stopped",
      "exchange client: stopped",
      "emulator: stopped",
    ]);
    expect(await listening(ipEchoUrl)).toBe(false);
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exchange\/v1$/);
  });

  describe("a port that is taken", () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(async () => new Promise<void>((r) => taken.close(() => r())));

    it("fails the start with EADDRINUSE, for the command to explain", async () => {
      const rt = createRuntime(configured(), { venue: { kind: "emulator", port } });
      await expect(rt.start()).rejects.toMatchObject({ code: "EADDRINUSE" });
      expect(rt.components).toEqual([{ name: "emulator", running: false }]);
    });

    it("or, with onPortBusy, is reported and a free port used instead (the demo)", async () => {
      const busy: number[] = [];
      const rt = createRuntime(configured(), {
        venue: { kind: "emulator", port, onPortBusy: (p) => busy.push(p) },
      });
      await rt.start();
      try {
        expect(busy).toEqual([port]);
        expect(rt.emulator.baseUrl).not.toContain(`:${port}/`);
      } finally {
        await rt.stop();
      }
    });
  });

  it("the logger redacts the configured secrets and the venue key's secret", async () => {
    let out = "";
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const rt = createRuntime(configured(), {
      name: "demo",
      venue: { kind: "emulator", credentials: DEMO },
      logDestination: sink,
    });
    rt.logger.info({ note: "demo-secret and rt-secret-000001" }, "hello");
    expect(out).toContain('"name":"demo"');
    expect(out).not.toContain("demo-secret");
    expect(out).not.toContain("rt-secret-000001");
    await rt.stop();
  });
});

describe("marketStreamUrl", () => {
  it.each([
    ["https://api.crypto.com/exchange/v1", "wss://stream.crypto.com/exchange/v1/market"],
    ["https://uat-api.3ona.co/exchange/v1/", "wss://uat-stream.3ona.co/exchange/v1/market"],
    ["http://127.0.0.1:8100/exchange/v1", "ws://127.0.0.1:8100/exchange/v1/market"],
    ["https://mirror.example/exchange/v1", "wss://mirror.example/exchange/v1/market"],
  ])("%s → %s", (rest, ws) => {
    expect(marketStreamUrl(rest)).toBe(ws);
  });
});

describe("the runtime's store", () => {
  it("opens SQLite in the data directory once, and closes it last on stop", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "atp-rt-store-"));
    const rt = createRuntime(configured(), { name: "start", dataDir, logDestination: sink() });
    const [a, b] = await Promise.all([rt.store(), rt.store()]);
    expect(a).toBe(b);
    expect(existsSync(join(dataDir, "atp.db"))).toBe(true);
    await a.watchlist.upsert({ symbol: "BTC_USD" });
    rt.exchange; // built after the store: stopped before it
    expect(rt.components.map((c) => c.name)).toEqual(["store", "exchange client"]);
    const outcomes = await rt.stop();
    expect(outcomes.map((o) => o.name)).toEqual(["exchange client", "store"]);
    await expect(a.watchlist.list()).rejects.toThrow();
  });

  it("rejects with the store's error when it cannot be opened, and a later call may retry", async () => {
    const rt = createRuntime(
      loadConfig({ cwd, env: { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" } }),
      { logDestination: sink() },
    );
    await expect(rt.store()).rejects.toMatchObject({ errorCode: "store.unavailable" });
    await expect(rt.store()).rejects.toMatchObject({ errorCode: "store.unavailable" });
    expect(rt.components).toEqual([]);
  });
});

function sink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}
