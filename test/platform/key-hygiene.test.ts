/**
 * Key hygiene at start, on real `atp start` processes (the demo, its in-process emulator): the demo
 * key is made withdraw-capable with `--demo-fault key_can_withdraw` (the emulator models the
 * permission on private/get-deposit-address). Every start logs the warning and the dashboard state
 * shows it; with ATP_REFUSE_WITHDRAW_KEYS=true no order reaches the emulator (its own order log is
 * counted), GET /api/trading says why, and a key without the permission (the fault cleared through
 * the API) is checked again and trades DEMO once more.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeyHygiene, DashboardState, TradingState } from "../../src/api/contract/types.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

interface Demo {
  atp: StartedAtp;
  api: string;
  token: string;
  /** The emulator's admin API (the demo prints the emulator's base URL). */
  admin: string;
  dir: string;
}

let bundle: CliBundle;
let warned: Demo;
let refusing: Demo;

async function startDemo(env: Record<string, string>): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), "atp-key-hygiene-"));
  const port = await freePort();
  const atp = new StartedAtp(
    bundle.spawn(["start", "--demo-fault", "key_can_withdraw"], { PORT: String(port), ...env }, dir),
  );
  await atp.line(/^atp start: ready \(/, 30_000);
  const emu = (await atp.line(/^atp start: demo — the built-in exchange emulator at /, 1_000)).match(
    /at (http:\/\/[^/\s]+)\//,
  )?.[1];
  const token = (await atp.line(/^ {2}API token/, 1_000)).split(": ").pop()!;
  return { atp, api: `http://127.0.0.1:${port}`, token, admin: `${emu}/emulator/admin`, dir };
}

async function post(
  d: Demo,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${d.api}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The dashboard's key_hygiene once the check has answered (key_can_withdraw no longer null). */
async function checked(d: Demo, canWithdraw: boolean): Promise<ApiKeyHygiene> {
  return until(`key_hygiene.key_can_withdraw ${canWithdraw}`, 20_000, async () => {
    const s = (await getJson(`${d.api}/api/dashboard/state`)).body as DashboardState;
    return s.key_hygiene?.key_can_withdraw === canWithdraw ? s.key_hygiene : undefined;
  });
}

/** Order requests the emulator received (accepted or refused), from its own log. */
async function emulatorOrders(d: Demo): Promise<number> {
  return ((await getJson(`${d.admin}/orders`)).body as { received: number }).received;
}

/** A coin the demo's strategies do not trade (preset "external"), then a manual BUY of it. */
async function manualBuy(d: Demo): Promise<{ status: number; body: Record<string, unknown> }> {
  const added = await post(d, "/api/watchlist", {
    symbol: "XRP_USD",
    amount_usd: "20",
    sl_pct: "2",
    tp_pct: "3",
    trade_enabled: true,
    preset: "external",
  });
  expect([200, 201]).toContain(added.status);
  return post(d, "/api/orders", { symbol: "XRP_USD", side: "BUY", amount_usd: "20" });
}

beforeAll(async () => {
  bundle = await bundleCli({ packages: "external" });
  [warned, refusing] = await Promise.all([startDemo({}), startDemo({ ATP_REFUSE_WITHDRAW_KEYS: "true" })]);
}, 90_000);

afterAll(async () => {
  await stopAllPlatform();
  for (const d of [warned, refusing]) if (d?.dir) rmSync(d.dir, { recursive: true, force: true });
});

describe("a demo start with a withdraw-capable key", () => {
  it("logs the warning and the dashboard state shows it; trading goes on (DEMO orders reach the emulator)", async () => {
    const k = await checked(warned, true);
    expect(k).toMatchObject({ key_can_withdraw: true, via: "direct", trading_refused: false });
    expect(k.detail).toContain("private/get-deposit-address answered");
    expect(warned.atp.stderr).toContain("key hygiene: the API key can withdraw");
    expect(warned.atp.stderr).toContain("docs/operations.md#rotating-keys-without-downtime");
    const trading = (await getJson(`${warned.api}/api/trading`)).body as TradingState;
    expect(trading.live_refused).toBeUndefined();
    const before = await emulatorOrders(warned);
    const res = await manualBuy(warned);
    expect(res).toMatchObject({ status: 200, body: { mode: "DEMO" } });
    expect(await emulatorOrders(warned)).toBeGreaterThan(before);
  }, 40_000);
});

describe("ATP_REFUSE_WITHDRAW_KEYS=true", () => {
  it("refuses: nothing reaches the emulator, the reason is in GET /api/trading, the dashboard state and the log", async () => {
    const k = await checked(refusing, true);
    expect(k).toMatchObject({ key_can_withdraw: true, trading_refused: true });
    expect(refusing.atp.stderr).toContain("key hygiene: live trading refused (ATP_REFUSE_WITHDRAW_KEYS=true");
    const trading = (await getJson(`${refusing.api}/api/trading`)).body as TradingState;
    expect(trading).toMatchObject({ mode: "DRY_RUN", live_trading: true, env_live_trading: true });
    expect(trading.live_refused).toMatch(/^ATP_REFUSE_WITHDRAW_KEYS=true: the API key can withdraw/);
    const state = (await getJson(`${refusing.api}/api/dashboard/state`)).body as DashboardState;
    expect(state.bot_status.mode).toBe("DRY_RUN");

    const res = await manualBuy(refusing);
    expect(res).toMatchObject({ status: 200, body: { mode: "DRY_RUN" } });
    expect(await emulatorOrders(refusing)).toBe(0);
  }, 40_000);

  it("a key without the permission (the fault cleared) is checked again and trades DEMO", async () => {
    expect((await post(refusing, "/api/demo/fault", { cause: null })).status).toBe(200);
    const k = await checked(refusing, false);
    expect(k).toMatchObject({ key_can_withdraw: false, via: "direct", trading_refused: false });
    // the refused deposit-address read is the good answer: not an exchange failure on the dashboard
    const state = (await getJson(`${refusing.api}/api/dashboard/state`)).body as DashboardState;
    expect(state.exchange.last_error?.method).not.toBe("private/get-deposit-address");
    const trading = (await getJson(`${refusing.api}/api/trading`)).body as TradingState;
    expect(trading).toMatchObject({ mode: "DEMO" });
    expect(trading.live_refused).toBeUndefined();
    expect(refusing.atp.running).toBe(true);
  }, 40_000);
});
