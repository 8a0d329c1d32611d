/** Rate limiters with an injected clock (REST sliding window; WebSocket calendar second, pro-rated). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, ManualClock, startEmulator } from "../../src/emulator/index.js";
import { methodInfo, servedMethods } from "../../src/emulator/methods/table.js";
import { CalendarSecondLimiter, SlidingWindowLimiter } from "../../src/emulator/rate-limit.js";
import { privateCall, WsClient } from "./helpers.js";

describe("SlidingWindowLimiter", () => {
  it("allows `limit` requests in any window, per bucket", () => {
    let t = 0;
    const l = new SlidingWindowLimiter(() => t);
    for (let i = 0; i < 15; i++) expect(l.allow("k|create", 15, 100)).toBe(true);
    expect(l.allow("k|create", 15, 100)).toBe(false);
    expect(l.allow("k|cancel", 15, 100)).toBe(true);
    t = 99;
    expect(l.allow("k|create", 15, 100)).toBe(false);
    t = 100;
    expect(l.allow("k|create", 15, 100)).toBe(true);
  });
});

describe("CalendarSecondLimiter", () => {
  it("pro-rates the first calendar second of a connection", () => {
    let t = 10_700; // opened 300 ms before the end of second 10
    const l = new CalendarSecondLimiter(100, t, true, () => t);
    let ok = 0;
    for (let i = 0; i < 100; i++) if (l.allow()) ok++;
    expect(ok).toBe(30);
    t = 11_000;
    ok = 0;
    for (let i = 0; i < 150; i++) if (l.allow()) ok++;
    expect(ok).toBe(100);
  });

  it("pro-rates in whole milliseconds (10 % of 20 is 2, not the 1 that float rounding gives)", () => {
    const t = 10_900;
    const l = new CalendarSecondLimiter(20, t, true, () => t);
    let ok = 0;
    for (let i = 0; i < 5; i++) if (l.allow()) ok++;
    expect(ok).toBe(2);
  });

  it("without pro-rating allows the full rate at once", () => {
    const t = 10_999;
    const l = new CalendarSecondLimiter(100, t, false, () => t);
    let ok = 0;
    for (let i = 0; i < 150; i++) if (l.allow()) ok++;
    expect(ok).toBe(100);
  });
});

describe("method table", () => {
  it("every private method the emulator serves requires a permission", () => {
    for (const m of servedMethods()) {
      const info = methodInfo(m)!;
      if (info.access === "private") expect(info.permission, m).toBeDefined();
    }
  });

  it("uses the shared endpoint table's classes", () => {
    expect(methodInfo("private/create-order")).toMatchObject({
      permission: "trade",
      rateLimit: { limit: 15, windowMs: 100 },
    });
    expect(methodInfo("private/get-trades")).toMatchObject({
      permission: "read",
      rateLimit: { limit: 1, windowMs: 1000 },
    });
    expect(methodInfo("private/create-withdrawal")?.permission).toBe("withdraw");
  });
});

/** Emulator time for the loopback tests: a ManualClock, so a window never closes because the machine is slow. */
const T0 = Date.UTC(2030, 0, 1);

describe("REST rate limits over loopback", () => {
  let em: EmulatorHandle;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    em = await startEmulator({ market_tick_ms: 0, history_days: 1 }, { clock });
  });
  afterAll(async () => {
    await em.close();
  });

  it("private/get-trades allows 1 per second per key", async () => {
    const call = (method: string) => privateCall(em.baseUrl, method, {}, { nonce: clock.now() });
    expect((await call("private/get-trades")).body.code).toBe(0);
    const second = await call("private/get-trades");
    expect([second.status, second.body.code]).toEqual([429, 42901]);
    // A different method has its own budget.
    expect((await call("private/get-order-history")).body.code).toBe(0);
    clock.advance(999);
    expect((await call("private/get-trades")).body.code).toBe(42901);
    clock.advance(1);
    expect((await call("private/get-trades")).body.code).toBe(0);
  });
});

describe("WebSocket private calls and the per-key method limits", () => {
  let em: EmulatorHandle;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    // ws_rate_limits (the per-connection 150/s) off: what is left is the per-key, per-method budget.
    em = await startEmulator({ market_tick_ms: 0, history_days: 1, ws_rate_limits: false }, { clock });
  });
  afterAll(async () => {
    await em.close();
  });

  it("count against the same budget as REST: private/get-trades 1 per second per key", async () => {
    const c = await WsClient.connect(em.wsUserUrl);
    try {
      expect((await c.auth("demo-key", "demo-secret", clock.now())).code).toBe(0);
      expect((await c.call("private/get-trades", {})).code).toBe(0);
      const second = await c.call("private/get-trades", {});
      expect([second.code, second.message]).toEqual([42901, "TOO_MANY_REQUESTS"]);
      // REST shares the budget of the key and method.
      const rest = await privateCall(em.baseUrl, "private/get-trades", {}, { nonce: clock.now() });
      expect([rest.status, rest.body.code]).toEqual([429, 42901]);
      // A different method has its own budget.
      expect((await c.call("private/get-order-history", {})).code).toBe(0);
      clock.advance(1_000);
      expect((await c.call("private/get-trades", {})).code).toBe(0);
    } finally {
      c.close();
    }
  });

  it("answer permission, unknown method and non-object params like REST", async () => {
    const c = await WsClient.connect(em.wsUserUrl);
    try {
      await c.auth("demo-key", "demo-secret", clock.now());
      expect((await c.call("private/create-withdrawal", {})).code).toBe(40101);
      expect((await c.call("private/get-account-summary", {})).code).toBe(40002);
      const bad = await c.call("private/get-open-orders", [] as never);
      expect(bad.code).toBe(40003);
    } finally {
      c.close();
    }
  });
});
