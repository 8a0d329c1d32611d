/**
 * A full trading round through the signing proxy: client (the Trader on a CryptoComClient in proxy
 * mode, no key of its own) → proxy (holds the key, outbound side bound to 127.0.0.2) → emulator
 * (the key whitelisted for 127.0.0.2 only). Entry, OCO protection, exit; every order on the
 * emulator came from the proxy's address, and the direct path is refused for the same key.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { CryptoComClient } from "../../src/exchange/cryptocom/client.js";
import { createLogger } from "../../src/log/logger.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { Trader } from "../../src/trading/trader.js";
import { ManualTime } from "../../src/util/clock.js";
import { dec } from "../../src/util/decimal.js";
import { tradeRequests } from "../helpers/trade-requests.js";
import { driveWhile, tradingContext } from "../helpers/trading.js";
import { type LoggedProxy, PROXY_KEY, PROXY_SECRET, PROXY_TOKEN, startLoggedProxy } from "./helpers.js";

let time: ManualTime;
let emu: EmulatorHandle;
let proxy: LoggedProxy;
let client: CryptoComClient;
let store: Store;
let trader: Trader;
let dir: string;

beforeAll(async () => {
  time = new ManualTime(Date.UTC(2026, 0, 5, 12, 0, 0));
  emu = await startEmulator(
    {
      market_tick_ms: 0,
      rate_limits: false,
      keys: [{ api_key: PROXY_KEY, secret: PROXY_SECRET, account: "main", ip_whitelist: ["127.0.0.2"] }],
    },
    { host: "127.0.0.1", port: 0, clock: time },
  );
  proxy = await startLoggedProxy({
    upstreamBaseUrl: emu.baseUrl,
    localAddress: "127.0.0.2",
    outboundIpUrl: emu.ipEchoUrl,
    time,
    authDiag: true,
  });
  client = new CryptoComClient({
    baseUrl: emu.baseUrl,
    proxy: { url: proxy.url, token: PROXY_TOKEN },
    now: () => time.now(),
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    rateLimit: { enabled: false },
    probeDelaysMs: [0, 20, 50],
  });
  dir = mkdtempSync(join(tmpdir(), "atp-proxy-round-"));
  const logger = createLogger({ level: "silent", pretty: false });
  store = await openStore({ dataDir: dir, logger, now: () => time.now() });
  await store.settings.set("live_trading", true);
  await store.watchlist.upsert({
    symbol: "BTC_USD",
    tradeEnabled: true,
    amountUsd: dec("100"),
    slPct: dec("2"),
    tpPct: dec("1"),
  });
  const ctx = tradingContext({ store, client, time, logger, isLeader: () => true });
  trader = new Trader(ctx, { pollMs: 100, confirmTimeoutMs: 5_000 });
  await trader.start();
});
afterAll(async () => {
  await trader?.stop().catch(() => undefined);
  await client?.close();
  await proxy?.close();
  await emu?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const req = tradeRequests({ symbol: "BTC_USD", source: "engine", amountUsd: "100" });

describe("a trading round through the proxy", () => {
  it("the direct path with the same key is refused (IP not whitelisted): only the proxy can trade", async () => {
    const direct = new CryptoComClient({
      baseUrl: emu.baseUrl,
      apiKey: PROXY_KEY,
      apiSecret: PROXY_SECRET,
      now: () => time.now(),
    });
    try {
      const r = await direct.request("private/user-balance", {});
      expect(r.error?.category).toBe("ip_not_whitelisted");
    } finally {
      await direct.close();
    }
  });

  it("entry → OCO protection → exit, every request signed by the proxy", async () => {
    const buy = await driveWhile(time, trader.submit(req("BUY", "proxy-round-buy")));
    expect(buy.outcome, buy.message).toBe("filled");
    await driveWhile(time, trader.settled());
    const lotId = (await store.intents.get(buy.intent.id))!.lotId!;
    expect((await store.lots.get(lotId))?.protection).toBe("PROTECTED");
    const legs = (await store.orders.listByLot(lotId)).filter(
      (o) => o.role === "TAKE_PROFIT" || o.role === "STOP_LOSS",
    );
    expect(legs).toHaveLength(2);

    const sell = await driveWhile(time, trader.submit(req("SELL", "proxy-round-sell")));
    expect(sell.outcome, sell.message).toBe("filled");
    const lot = (await store.lots.get(lotId))!;
    expect(lot.status).toBe("CLOSED");
    expect(lot.exitReason).toBe("SIGNAL");
    const methods = new Set(emu.admin.orders().map((o) => o.method));
    expect(methods.has("private/create-order")).toBe(true);
    expect([...methods].some((m) => m.includes("oco") || m.startsWith("private/advanced/"))).toBe(true);
    // the proxy logged each signed request as a CRYPTO_AUTH_DIAG line, without the secret or token
    const diag = proxy.lines.filter((l) => l.includes("CRYPTO_AUTH_DIAG") && l.includes("signing process"));
    expect(diag.length).toBeGreaterThanOrEqual(3);
    const all = proxy.lines.join("\n");
    expect(all).not.toContain(PROXY_SECRET);
    expect(all).not.toContain(PROXY_TOKEN);
  });
});
