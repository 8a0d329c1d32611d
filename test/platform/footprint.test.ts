/**
 * Readiness and memory of a real `atp start` with 50 trading symbols: an emulator owned by the
 * test lists 50 instruments, the store's watchlist trades all of them, and the process (the esbuild
 * bundle) must print ready — engine running, API answering — without waiting for the network
 * (backfills run in the background), then stay under 150 MB RSS once every symbol is backfilled and
 * streaming, run with the node flags of package.json's start script (`--max-semi-space-size=1`: a
 * small young generation; without it the same run peaks at 145–160 MB). Figures are printed (docs/operations-start.md "Readiness and footprint"). The ready
 * bound asserted here is looser than the 2 s target, for a machine shared with parallel tests.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { openStore } from "../../src/store/open.js";
import { dec } from "../../src/util/decimal.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { quietLogger } from "../store/helpers.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `C${String(i + 1).padStart(2, "0")}_USD`);
let emu: EmulatorHandle;
let bundle: CliBundle;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({
    speed: 600,
    instruments: SYMBOLS.map((symbol, i) => ({
      symbol,
      base_ccy: symbol.slice(0, 3),
      quote_ccy: "USD",
      price_tick_size: "0.0001",
      qty_tick_size: "0.01",
      initial_price: String(10 + i),
      min_notional: "1",
    })),
  });
  bundle = await bundleCli({ packages: "external" });
  dir = mkdtempSync(join(tmpdir(), "atp-footprint-"));
  const store = await openStore({ dataDir: join(dir, "data"), logger: quietLogger(), now: Date.now });
  for (const symbol of SYMBOLS)
    await store.watchlist.upsert({
      symbol,
      tradeEnabled: true,
      preset: "scalp-aggressive",
      amountUsd: dec("10"),
    });
  await store.close();
}, 30_000);

afterAll(async () => {
  await stopAllPlatform();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The flags between `node` and `bin/atp.js` in package.json's start script. */
function startScriptNodeFlags(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  const m = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+bin\/atp\.js start$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return (m[1] ?? "").trim();
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

describe("atp start with 50 symbols", () => {
  it("is ready without network waits and stays under 150 MB RSS", async () => {
    const port = await freePort();
    const t0 = performance.now();
    const atp = new StartedAtp(
      bundle.spawn(
        ["start"],
        {
          EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
          EXCHANGE_CUSTOM_API_KEY: "demo-key",
          EXCHANGE_CUSTOM_API_SECRET: "demo-secret",
          OUTBOUND_IP_URL: emu.ipEchoUrl,
          ATP_DATA_DIR: join(dir, "data"),
          PORT: String(port),
          // the node flags of package.json's start script (what `npm start` runs)
          NODE_OPTIONS: startScriptNodeFlags(),
        },
        dir,
      ),
    );
    await atp.line(/^atp start: ready \(/, 20_000);
    const readyMs = performance.now() - t0;
    expect((await getJson(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    const pid = atp.child.pid!;
    const atReady = rssMb(pid);
    // every symbol backfilled and fresh (the readiness check's market data)
    await until("50 symbols fresh", 60_000, async () => {
      const r = (await getJson(`http://127.0.0.1:${port}/api/health/ready`)).body as {
        checks: { name: string; ok: boolean; detail: string }[];
      };
      const m = r.checks.find((c) => c.name === "market_data");
      return m?.ok && m.detail.startsWith("50 ") ? true : undefined;
    });
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      peak = Math.max(peak, rssMb(pid));
      await new Promise((r) => setTimeout(r, 250));
    }
    console.info(
      `atp start, 50 symbols: ready ${readyMs.toFixed(0)} ms after spawn; RSS ${atReady.toFixed(0)} MB at ready, peak ${peak.toFixed(0)} MB over 5 s with every symbol fresh`,
    );
    expect(readyMs).toBeLessThan(6_000);
    expect(peak).toBeLessThan(150);
    const t1 = performance.now();
    atp.child.kill("SIGTERM");
    expect((await atp.exited(12_000)).code).toBe(0);
    console.info(`atp start, 50 symbols: stopped ${(performance.now() - t1).toFixed(0)} ms after SIGTERM`);
  }, 120_000);
});
