/**
 * `atp start` in proxy mode with no key of its own (the set-up the proxy exists for: the bot's host
 * cannot be whitelisted): emulator (the key whitelisted for 127.0.0.2 only) ← proxy (holds the key,
 * outbound side bound to 127.0.0.2) ← a real `atp start` child with CRYPTO_PROXY_URL and no
 * EXCHANGE_CUSTOM_API_KEY. A manual BUY through the API trades LIVE, is protected by an OCO and exits
 * on a SELL, every private call signed by the proxy; order updates come by polling (no user stream
 * without a key here).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiPosition } from "../../src/api/contract/types.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import {
  type LoggedProxy,
  PROXY_KEY,
  PROXY_SECRET,
  PROXY_TOKEN,
  startLoggedProxy,
} from "../proxy/helpers.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

const API_TOKEN = "proxy-start-test-token-0123456789abcdef";
let bundle: CliBundle;
let emu: EmulatorHandle;
let proxy: LoggedProxy;
let atp: StartedAtp;
let api: string;
let dir: string;

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const positions = async () => (await getJson(`${api}/api/positions?open=false`)).body as ApiPosition[];

beforeAll(async () => {
  bundle = await bundleCli({ packages: "external" });
  emu = await startEmulator({
    rate_limits: false,
    keys: [{ api_key: PROXY_KEY, secret: PROXY_SECRET, account: "main", ip_whitelist: ["127.0.0.2"] }],
  });
  proxy = await startLoggedProxy({
    upstreamBaseUrl: emu.baseUrl,
    localAddress: "127.0.0.2",
    outboundIpUrl: emu.ipEchoUrl,
  });
  dir = mkdtempSync(join(tmpdir(), "atp-proxy-start-"));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  atp = new StartedAtp(
    bundle.spawn(
      ["start", "--no-signals"],
      {
        PORT: String(port),
        ATP_DATA_DIR: dir,
        ATP_API_TOKEN: API_TOKEN,
        EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
        USE_CRYPTO_PROXY: "true",
        CRYPTO_PROXY_URL: proxy.url,
        CRYPTO_PROXY_TOKEN: PROXY_TOKEN,
        LIVE_TRADING: "true",
      },
      dir,
    ),
  );
  await atp.line(/^atp start: ready \(/, 30_000);
}, 60_000);

afterAll(async () => {
  await stopAllPlatform();
  await proxy?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("atp start through the signing proxy, no local key", () => {
  it("a manual BUY trades LIVE, gets its OCO and exits on a SELL; every order reached the exchange from the proxy", async () => {
    expect((await post("/api/trading/live", { enabled: true, confirm: "LIVE" })).status).toBe(200);
    const added = await post("/api/watchlist", {
      symbol: "BTC_USD",
      amount_usd: "25",
      sl_pct: "2",
      tp_pct: "3",
      trade_enabled: true,
      preset: "external",
    });
    expect([200, 201]).toContain(added.status);

    const buy = await post("/api/orders", { symbol: "BTC_USD", side: "BUY", amount_usd: "25" });
    expect(buy).toMatchObject({ status: 200, body: { mode: "LIVE" } });
    const lot = await until("the lot protected by an OCO", 20_000, async () =>
      (await positions()).find((p) => p.symbol === "BTC_USD" && p.protection === "PROTECTED"),
    );
    expect(lot).toMatchObject({ mode: "LIVE", status: "OPEN" });
    expect(lot.take_profit_order_id).not.toBeNull();
    expect(lot.stop_loss_order_id).not.toBeNull();

    const sell = await post("/api/orders", { symbol: "BTC_USD", side: "SELL" });
    expect(sell.status).toBe(200);
    const closed = await until("the lot closed by the exit", 20_000, async () =>
      (await positions()).find((p) => p.id === lot.id && p.status === "CLOSED"),
    );
    expect(closed.exit_reason).toBe("SIGNAL");

    // the emulator's own log: entry, the OCO and the exit, all accepted — and the key is whitelisted
    // for 127.0.0.2 only, so each came from the proxy's side
    const log = (await getJson(`${emu.adminUrl}/orders`)).body as {
      orders: { method: string; response_code: number; side: string | null }[];
    };
    const methods = log.orders.filter((o) => o.response_code === 0).map((o) => o.method);
    expect(methods).toContain("private/create-order");
    expect(methods).toContain("private/advanced/create-oco");
    expect(log.orders.filter((o) => o.method === "private/create-order").map((o) => o.side)).toEqual([
      "BUY",
      "SELL",
    ]);
    expect(proxy.lines.some((l) => l.includes("private/create-order"))).toBe(true);
    expect(atp.running).toBe(true);
  }, 60_000);

  it("stops on SIGTERM with exit 0", async () => {
    atp.child.kill("SIGTERM");
    expect((await atp.exited(15_000)).code).toBe(0);
  }, 20_000);
});
