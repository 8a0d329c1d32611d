/** A seed reproduces the market (history, book, tickers), the order ids and the fault decisions. */
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorConfigInput, type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { privateCall, publicCall } from "./helpers.js";

const running: EmulatorHandle[] = [];
async function start(config: EmulatorConfigInput): Promise<EmulatorHandle> {
  const em = await startEmulator({
    market_tick_ms: 0,
    rate_limits: false,
    start_time_ms: 1_767_225_600_000,
    ...config,
  });
  running.push(em);
  return em;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function fingerprint(em: EmulatorHandle): Promise<unknown> {
  const candles = await publicCall(em.baseUrl, "public/get-candlestick", {
    instrument_name: "ETH_USD",
    timeframe: "4h",
    count: "300",
    start_ts: "0",
    end_ts: "1767225600000",
  });
  em.admin.tick(50);
  const book = await publicCall(em.baseUrl, "public/get-book", { instrument_name: "BTC_USD", depth: "5" });
  const prices = ["BTC_USD", "ETH_USD", "DOGE_USD"].map((s) => em.admin.price(s));
  const { bids, asks } = book.body.result.data[0];
  return { candles: candles.body.result.data, bids, asks, prices };
}

describe("determinism", () => {
  it("the same seed gives the same history, book and prices; another seed does not", async () => {
    const a = await fingerprint(await start({ seed: 7 }));
    const b = await fingerprint(await start({ seed: 7 }));
    const c = await fingerprint(await start({ seed: 8 }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect((a as { candles: unknown[] }).candles.length).toBeGreaterThan(100);
  });

  it("the same seed gives the same order ids and fills", async () => {
    const run = async () => {
      const em = await start({ seed: 11, order_latency_ms: 0 });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await privateCall(em.baseUrl, "private/create-order", {
          instrument_name: "BTC_USD",
          side: "BUY",
          type: "MARKET",
          quantity: "0.00100",
          client_oid: `d-${i}`,
        });
        ids.push(r.body.result.order_id);
      }
      // Every order filled (not merely acknowledged), so the fills themselves are compared.
      const fills: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        let d = await privateCall(em.baseUrl, "private/get-order-detail", { client_oid: `d-${i}` });
        for (let n = 0; n < 200 && d.body.result.status !== "FILLED"; n++) {
          await new Promise((r) => setTimeout(r, 10));
          d = await privateCall(em.baseUrl, "private/get-order-detail", { client_oid: `d-${i}` });
        }
        const { status, avg_price, cumulative_quantity, cumulative_value, cumulative_fee } = d.body.result;
        fills.push({ status, avg_price, cumulative_quantity, cumulative_value, cumulative_fee });
      }
      return { ids, fills };
    };
    const a = await run();
    expect(a.fills.every((f) => (f as { status: string }).status === "FILLED")).toBe(true);
    expect(new Set(a.ids).size).toBe(3);
    expect(await run()).toEqual(a);
  });

  it("order_id_base sets the first order id (a restarted demo's emulator starts above its predecessor's)", async () => {
    const em = await start({ seed: 11, order_latency_ms: 0, order_id_base: "6144705895000000000" });
    const r = await privateCall(em.baseUrl, "private/create-order", {
      instrument_name: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      quantity: "0.00100",
      client_oid: "base-0",
    });
    expect(r.body.result.order_id).toBe("6144705895000000000");
  });

  it("the same seed gives the same withdrawal ids, whatever the clock", async () => {
    const run = async (clock_offset_ms: number) => {
      const em = await start({
        seed: 11,
        clock_offset_ms,
        keys: [{ api_key: "wd", secret: "wd-secret", account: "main", permissions: ["read", "withdraw"] }],
      });
      const ids: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await privateCall(
          em.baseUrl,
          "private/create-withdrawal",
          { currency: "USD", amount: "1", address: "XYZ" },
          { apiKey: "wd", secret: "wd-secret", nonce: Date.now() + clock_offset_ms },
        );
        expect(r.body.code).toBe(0);
        ids.push(r.body.result.id);
      }
      return ids;
    };
    const a = await run(0);
    expect(a.every((id) => typeof id === "number")).toBe(true);
    expect(new Set(a).size).toBe(2);
    expect(await run(7_777)).toEqual(a);
  });

  it("fault probabilities draw from the seed", async () => {
    const pattern = async (seed: number) => {
      const em = await start({
        seed,
        faults: [{ kind: "error", code: 50001, methods: ["public/*"], probability: 0.5 }],
      });
      const out: number[] = [];
      for (let i = 0; i < 24; i++)
        out.push((await publicCall(em.baseUrl, "public/get-instruments")).body.code);
      return out;
    };
    const a = await pattern(3);
    // Both outcomes occur (a pattern of one kind would say nothing about the draws).
    expect(a.filter((c) => c === 50001).length).toBeGreaterThan(0);
    expect(a.filter((c) => c === 0).length).toBeGreaterThan(0);
    expect(a.every((c) => c === 0 || c === 50001)).toBe(true);
    expect(await pattern(3)).toEqual(a);
    expect(await pattern(4)).not.toEqual(a);
  });
});
