/**
 * Names from outside (methods, timeframes, channels, currencies) that are also properties of every
 * JavaScript object: each is an unknown name like any other, answered with the exchange's code in
 * valid JSON, and never reaches a prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { admin, http, type Msg, privateCall, publicCall, WsClient } from "./helpers.js";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

let limited: EmulatorHandle;
let open: EmulatorHandle;
beforeAll(async () => {
  limited = await startEmulator({ market_tick_ms: 0 });
  open = await startEmulator({ market_tick_ms: 0, rate_limits: false, ws_rate_limits: false });
});
afterAll(async () => {
  await Promise.all([limited.close(), open.close()]);
});

describe("methods named like Object properties", () => {
  it.each(NAMES)(
    "/exchange/v1/%s is METHOD_NOT_FOUND (40002, HTTP 400) in valid JSON, rate limits on or off",
    async (name) => {
      for (const em of [limited, open]) {
        for (const method of [name, `public/${name}`]) {
          for (const verb of ["GET", "POST"]) {
            const r = await http(`${em.baseUrl}/${method}`, {
              method: verb,
              body: verb === "POST" ? "{}" : undefined,
            });
            expect(r.body, `${verb} ${method}: ${r.text}`).toEqual({
              id: -1,
              method,
              code: 40002,
              message: "METHOD_NOT_FOUND",
            });
            expect(r.status).toBe(400);
          }
        }
      }
    },
  );

  it.each(NAMES)("signed private/%s is METHOD_NOT_FOUND over REST and the user socket", async (name) => {
    const rest = await privateCall(open.baseUrl, `private/${name}`, {}, { id: 3 });
    expect([rest.status, rest.body]).toEqual([
      400,
      { id: 3, method: `private/${name}`, code: 40002, message: "METHOD_NOT_FOUND" },
    ]);
    const c = await WsClient.connect(open.wsUserUrl);
    try {
      await c.auth();
      const ws = await c.call(`private/${name}`, {});
      expect([ws.code, ws.message]).toEqual([40002, "METHOD_NOT_FOUND"]);
    } finally {
      c.close();
    }
  });
});

describe("timeframes and channels named like Object properties", () => {
  it.each(NAMES)("get-candlestick timeframe=%s → 40004 Invalid timeframe", async (name) => {
    const r = await publicCall(open.baseUrl, "public/get-candlestick", {
      instrument_name: "BTC_USD",
      timeframe: name,
    });
    expect([r.status, r.body.code, r.body.message]).toEqual([400, 40004, `Invalid timeframe: ${name}`]);
  });

  it("candlestick.{__proto__|constructor|toString}.BTC_USD is an invalid channel, and the emulator lives on", async () => {
    const c = await WsClient.connect(open.wsMarketUrl);
    try {
      for (const name of NAMES) {
        const r = await c.call("subscribe", { channels: [`candlestick.${name}.BTC_USD`] });
        expect([r.code, r.message]).toEqual([
          10004,
          `invalid channel {"channels":["candlestick.${name}.BTC_USD"]}`,
        ]);
      }
      expect(
        (await c.call("subscribe", { channels: ["ticker.__proto__", "book.constructor.10"] })).code,
      ).toBe(10004);
      const ok = await c.call("subscribe", { channels: ["candlestick.1m.BTC_USD"] });
      expect(ok.code).toBe(0);
      await c.next((m: Msg) => m.result?.channel === "candlestick");
    } finally {
      c.close();
    }
  });
});

describe("currencies and accounts named like Object properties", () => {
  it("admin PUT /balances refuses a __proto__ currency instead of dropping it", async () => {
    const body = '{"account":"main","balances":{"USD":"7","__proto__":"5"}}';
    const r = await http(`${open.adminUrl}/balances`, { method: "PUT", body });
    expect([r.status, r.body.error]).toEqual([
      400,
      'balances.__proto__: "__proto__" cannot be used as a name; rename it',
    ]);
    expect(open.admin.balances("main").USD?.total).not.toBe("7"); // nothing applied
  });

  it("an account named constructor is an account like any other", async () => {
    const r = await admin(open.adminUrl, "PUT", "/balances", {
      account: "constructor",
      balances: { USD: "3" },
    });
    expect(r.body).toEqual({
      account: "constructor",
      balances: { USD: { total: "3", reserved: "0", available: "3" } },
    });
    expect((await admin(open.adminUrl, "GET", "/balances?account=toString")).status).toBe(404);
  });
});
