/**
 * Compatibility with an independent client: ccxt's `cryptocom` class, unmodified except for its
 * base URLs, against the emulator over real loopback HTTP.
 */
import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";

let em: EmulatorHandle;

beforeAll(async () => {
  em = await startEmulator({
    market_tick_ms: 200,
    accounts: { main: { balances: { USD: "10000", BTC: "0.25", ETH: "2" } } },
    keys: [
      {
        api_key: "ccxt-key",
        secret: "ccxt-secret",
        account: "main",
        permissions: ["read", "trade"],
        ip_whitelist: ["127.0.0.1"],
      },
      {
        api_key: "far-key",
        secret: "far-secret",
        account: "main",
        permissions: ["read", "trade"],
        ip_whitelist: ["10.9.8.7"],
      },
    ],
  });
});
afterAll(async () => {
  await em.close();
});

function client(apiKey: string, secret: string) {
  const ex = new ccxt.cryptocom({ apiKey, secret, timeout: 15_000 });
  const origin = new URL(em.baseUrl).origin;
  // The only change: every base URL points at the emulator.
  (ex.urls as Record<string, unknown>).api = {
    base: origin,
    v1: em.baseUrl,
    v2: em.baseUrl,
    derivatives: em.baseUrl,
  };
  return ex;
}

/** The exchange order id ccxt returns (the create response only acknowledges). */
function idOf(o: { id?: string | undefined }): string {
  expect(o.id).toMatch(/^\d+$/);
  return o.id as string;
}

async function waitStatus(
  ex: InstanceType<typeof ccxt.cryptocom>,
  id: string,
  status: string,
  symbol = "BTC/USD",
) {
  for (let i = 0; i < 100; i++) {
    const o = await ex.fetchOrder(id, symbol);
    if (o.status === status) return o;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`order ${id} never became ${status}`);
}

describe("ccxt cryptocom against the emulator", () => {
  it("loads instruments, fetches balances, places and cancels market and limit orders, lists open orders", async () => {
    const ex = client("ccxt-key", "ccxt-secret");
    const markets = await ex.loadMarkets();
    expect(markets["BTC/USD"]).toMatchObject({ id: "BTC_USD", spot: true, base: "BTC", quote: "USD" });
    expect(markets["BTC/USD"]?.precision.amount).toBe(0.00001);
    expect(Object.keys(markets)).toEqual(expect.arrayContaining(["ETH/USDT", "SOL/USD", "DOGE/USD"]));

    const balance = await ex.fetchBalance();
    expect(balance.BTC).toMatchObject({ total: 0.25, used: 0 });
    expect(balance.USD?.total).toBe(10000);

    const price = (await ex.fetchTicker("BTC/USD")).last!;
    const limitPrice = Math.floor(price * 0.95);
    const limitId = idOf(await ex.createOrder("BTC/USD", "limit", "buy", 0.001, limitPrice));
    await waitStatus(ex, limitId, "open");
    const open = await ex.fetchOpenOrders("BTC/USD");
    expect(open.map((o) => o.id)).toContain(limitId);
    const openOrder = open.find((o) => o.id === limitId)!;
    expect(openOrder).toMatchObject({ side: "buy", type: "limit", amount: 0.001, price: limitPrice });
    await ex.cancelOrder(limitId, "BTC/USD");
    await waitStatus(ex, limitId, "canceled");
    expect((await ex.fetchOpenOrders("BTC/USD")).map((o) => o.id)).not.toContain(limitId);

    const buyId = idOf(await ex.createOrder("BTC/USD", "market", "buy", 0.002));
    const filled = await waitStatus(ex, buyId, "closed");
    expect(filled.filled).toBe(0.002);
    const sellId = idOf(await ex.createOrder("BTC/USD", "market", "sell", 0.001));
    expect((await waitStatus(ex, sellId, "closed")).filled).toBe(0.001);

    const after = await ex.fetchBalance();
    expect(after.BTC?.total).toBeCloseTo(0.25 + 0.002 * (1 - 0.005) - 0.001, 8);

    const ethPrice = Math.ceil((await ex.fetchTicker("ETH/USD")).last! * 1.1);
    const ethId = idOf(await ex.createOrder("ETH/USD", "limit", "sell", 0.01, ethPrice));
    await waitStatus(ex, ethId, "open", "ETH/USD");
    await ex.cancelOrder(ethId, "ETH/USD");
    await waitStatus(ex, ethId, "canceled", "ETH/USD");
  });

  it("sees an AuthenticationError for a wrong secret", async () => {
    const ex = client("ccxt-key", "not-the-secret");
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(ex.fetchBalance()).rejects.toThrow(/40101/);
  });

  it("sees an AuthenticationError for a key whitelisted to another IP", async () => {
    const ex = client("far-key", "far-secret");
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(ex.fetchBalance()).rejects.toThrow(/40103/);
  });
});
