/**
 * No exchange answer ends `atp start`: a real `atp start` process (the esbuild bundle) runs against
 * an emulator this test owns (EXCHANGE_CUSTOM_BASE_URL + the emulator's demo key), and each fault —
 * maintenance 9010001, 50001 server errors, 429, connection resets, WebSocket drops — is injected
 * through the emulator's admin HTTP API. The process keeps running, the API reports the degraded
 * state with a reason (readiness' exchange check: `sync_status: reason`), and once the fault is
 * cleared it reports ok again by itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { openStore } from "../../src/store/open.js";
import { dec } from "../../src/util/decimal.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { quietLogger } from "../store/helpers.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

let emu: EmulatorHandle;
let bundle: CliBundle;
let dir: string;
let atp: StartedAtp;
let api: string;

async function admin(method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${emu.adminUrl}/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
}

/** The exchange check of the readiness answer: "ok", or "degraded: …" / "down: …". */
async function exchangeDetail(): Promise<string> {
  const r = await getJson(`${api}/api/health/ready`);
  const checks = (r.body as { checks: { name: string; detail: string }[] }).checks;
  return checks.find((c) => c.name === "exchange")?.detail ?? "(no exchange check)";
}

async function waitDetail(re: RegExp, timeoutMs = 20_000): Promise<string> {
  return until(`exchange state ${re}`, timeoutMs, async () => {
    if (!atp.running) throw atp.describe("exited before");
    const d = await exchangeDetail();
    return re.test(d) ? d : undefined;
  });
}

beforeAll(async () => {
  emu = await startEmulator({ speed: 600 });
  bundle = await bundleCli({ packages: "external" });
  dir = mkdtempSync(join(tmpdir(), "atp-start-faults-"));
  const store = await openStore({ dataDir: join(dir, "data"), logger: quietLogger(), now: Date.now });
  await store.watchlist.upsert({
    symbol: "BTC_USD",
    tradeEnabled: true,
    preset: "scalp-aggressive",
    amountUsd: dec("20"),
  });
  await store.close();
  const port = await freePort();
  atp = new StartedAtp(
    bundle.spawn(
      ["start", "--reconcile-s", "1", "--tick-ms", "200"],
      {
        EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
        EXCHANGE_CUSTOM_API_KEY: "demo-key",
        EXCHANGE_CUSTOM_API_SECRET: "demo-secret",
        OUTBOUND_IP_URL: emu.ipEchoUrl,
        ATP_DATA_DIR: join(dir, "data"),
        PORT: String(port),
      },
      dir,
    ),
  );
  await atp.line(/^atp start: ready \(/, 20_000);
  api = `http://127.0.0.1:${port}`;
  await waitDetail(/^ok$/);
}, 60_000);

afterAll(async () => {
  await stopAllPlatform();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const FAULTS: { name: string; fault: Record<string, unknown>; shows: RegExp }[] = [
  {
    name: "maintenance 9010001",
    fault: { kind: "error", code: 9010001 },
    shows: /^down: exchange maintenance \(9010001 /,
  },
  {
    name: "50001 server errors",
    fault: { kind: "error", code: 50001 },
    shows: /^down: exchange server error \(50001 /,
  },
  {
    name: "429 rate limits",
    fault: { kind: "error", code: 42901 },
    shows: /^(down|degraded): .*rate limited \(42901 /,
  },
  { name: "connection resets", fault: { kind: "reset_before" }, shows: /^down: exchange unreachable/ },
  { name: "WebSocket drops", fault: { kind: "ws_drop", every_ms: 300 }, shows: /market stream disconnected/ },
];

describe("atp start survives every exchange fault and recovers by itself", () => {
  for (const f of FAULTS) {
    it(`${f.name}: degraded with a reason, the process keeps running, ok again once cleared`, async () => {
      await admin("POST", "faults", f.fault);
      const shown = await waitDetail(f.shows);
      expect(shown).toMatch(/since|at \d{2}:\d{2}:\d{2}|stream/);
      expect(atp.running).toBe(true);
      await admin("DELETE", "faults");
      await waitDetail(/^ok$/, 30_000);
      expect(atp.running).toBe(true);
      expect(atp.stderr).not.toMatch(/\n\s+at .*\(.*\.(m?js|ts):\d+:\d+\)/);
    }, 60_000);
  }

  it("SIGTERM still stops it in order: exit 0", async () => {
    atp.child.kill("SIGTERM");
    expect((await atp.exited(12_000)).code).toBe(0);
    expect(atp.lines).toContain("atp start: stopping");
  }, 15_000);
});
