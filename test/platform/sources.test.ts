/**
 * The platform's sources in process: call health from real client calls against the emulator (each
 * fault's category and code, a timeout, recovery), the exchange status (balances never zeros for
 * "could not read", auth_failed while an incident is open), the demo faults (each cause produces its
 * code on a real signed call, and `null` restores the healthy demo) and the orphan watch.
 */
import { describe, expect, it } from "vitest";
import { CallHealth } from "../../src/app/platform/call-health.js";
import {
  DEMO_FAULT_CAUSES,
  demoFaultCause,
  EmulatorDemoControls,
} from "../../src/app/platform/demo-fault.js";
import { PlatformExchangeStatus } from "../../src/app/platform/exchange-status.js";
import { watchForOrphaning } from "../../src/app/platform/orphan-watch.js";
import { silentLogger } from "../../src/log/logger.js";
import { ManualTime, systemTime } from "../../src/util/clock.js";
import { useEmulator } from "../exchange/client/helpers/emulator.js";
import { useSqliteStore } from "./store.js";

const fx = useEmulator();
const stores = useSqliteStore();

describe("call health from real client calls", () => {
  it("down after a streak of maintenance answers, with code and time; ok again after a success", async () => {
    const health = new CallHealth({ time: systemTime });
    const client = fx.client({ onCall: (c) => health.record(c), retry: { maxAttempts: 1 } });
    fx.emu.admin.addFault({ kind: "error", code: 9010001 });
    for (let i = 0; i < 3; i++)
      await expect(client.getTickers()).rejects.toMatchObject({ category: "maintenance" });
    const down = health.view();
    expect(down.status).toBe("down");
    expect(down.reason).toMatch(
      /^exchange maintenance \(9010001 \S+\) on public\/get-tickers since \d{2}:\d{2}:\d{2} UTC/,
    );
    expect(down.lastError).toMatchObject({
      code: 9010001,
      category: "maintenance",
      method: "public/get-tickers",
    });
    fx.emu.admin.clearFaults();
    await client.getTickers();
    expect(health.view().status).toBe("ok");
  });

  it("a timeout is a failure of its method (degraded), and an order refusal says nothing about health", async () => {
    const health = new CallHealth({ time: systemTime });
    const client = fx.client({
      onCall: (c) => health.record(c),
      retry: { maxAttempts: 1 },
      timeouts: { requestMs: 150 },
    });
    fx.emu.admin.addFault({ kind: "latency", ms: 1_000, methods: ["public/get-book"], count: 1 });
    await expect(client.getBook("BTC_USD")).rejects.toMatchObject({ category: "timeout" });
    expect(health.view()).toMatchObject({ status: "degraded" });
    expect(health.view().reason).toMatch(/timeout/);
    await client.getBook("BTC_USD");
    await expect(client.getOrder({ orderId: "1" })).resolves.toBeUndefined(); // not_found: a request problem
    expect(health.view().status).toBe("ok");
  });

  it("failures are forgotten after the window (ManualTime)", async () => {
    const time = new ManualTime();
    const health = new CallHealth({ time, windowMs: 1_000 });
    health.record({
      method: "private/get-open-orders",
      ok: false,
      code: 50001,
      category: "server",
      name: "X",
      ms: 1,
    });
    expect(health.view().status).toBe("degraded");
    await time.advance(1_001);
    expect(health.view().status).toBe("ok");
  });
});

describe("exchange status", () => {
  it("keeps the last verified balances (never zeros) after a failed read, and says auth_failed while an incident is open", async () => {
    const store = await stores.open();
    const time = new ManualTime();
    const client = fx.client({ retry: { maxAttempts: 1 } });
    const status = new PlatformExchangeStatus({
      time,
      store,
      logger: silentLogger(),
      health: new CallHealth({ time }),
      readBalance: () => client.getBalance(),
      clockOffsetMs: () => 12,
    });
    await status.refresh();
    const ok = status.balances();
    expect(ok.verified).toBe(true);
    const usd = ok.balances.find((b) => b.currency === "USD");
    expect(usd?.total).toBe("10000");
    fx.emu.admin.addFault({ kind: "error", code: 50001 });
    await time.advance(16_000);
    await status.refresh();
    fx.emu.admin.clearFaults();
    const failed = status.balances();
    expect(failed).toMatchObject({ verified: false, asOf: ok.asOf });
    expect(failed.balances).toEqual(ok.balances);
    expect(failed.reason).toMatch(/balance read failed/);
    await store.incidents.open({ method: "private/user-balance", code: 40101, category: "auth" });
    await status.refresh();
    expect(status.state()).toMatchObject({
      sync_status: "auth_failed",
      data_verified: false,
      clock_offset_ms: 12,
    });
    expect(status.state().reason).toMatch(/refuses our credentials \(40101 auth on private\/user-balance\)/);
  });
});

describe("demo faults", () => {
  it("each cause produces its refusal on a real signed call; null restores the demo", async () => {
    const key = {
      api_key: "demo-key",
      secret: "demo-secret",
      account: "main",
      ip_whitelist: ["127.0.0.1", "::1"],
    };
    const seen: (string | null)[] = [];
    const controls = new EmulatorDemoControls({
      admin: () => fx.emu.admin,
      key,
      onChange: (c) => seen.push(c),
    });
    const client = fx.client({ retry: { maxAttempts: 1 } });
    const expected = new Map<string, { call: () => Promise<unknown>; category: string }>([
      ["ip_not_whitelisted", { call: () => client.getBalance(), category: "ip_not_whitelisted" }],
      ["clock_skew", { call: () => client.getBalance(), category: "nonce" }],
      ["key_invalid_or_revoked", { call: () => client.getBalance(), category: "auth" }],
      ["missing_trade_permission", { call: () => client.cancelAllOrders(), category: "auth" }],
      ["exchange_maintenance", { call: () => client.getTickers(), category: "maintenance" }],
      ["rate_limited", { call: () => client.getTickers(), category: "rate_limit" }],
    ]);
    expect([...expected.keys(), "key_can_withdraw"]).toEqual([...DEMO_FAULT_CAUSES]);
    for (const [cause, e] of expected) {
      await controls.set(cause);
      expect(controls.current()).toBe(cause);
      await expect(e.call(), cause).rejects.toMatchObject({ category: e.category });
      await controls.set(null);
      await expect(client.getBalance()).resolves.toBeDefined();
    }
    // the doctor's key_can_withdraw warning: the demo key may withdraw (the deposit-address read answers)
    const withdraws = async () =>
      (await client.request("private/get-deposit-address", { currency: "BTC" })).ok;
    expect(await withdraws()).toBe(false);
    await controls.set("key_can_withdraw");
    expect(await withdraws()).toBe(true);
    await controls.set(null);
    expect(await withdraws()).toBe(false);
    expect(demoFaultCause("read_only_key")).toBe("missing_trade_permission");
    await expect(controls.set("solar_flare")).rejects.toThrow(/unknown demo fault/);
    expect(seen.at(-1)).toBeNull();
  });
});

describe("orphan watch", () => {
  it("stops once when the parent pid changes; off unless enabled", async () => {
    let parent = 100;
    let stops = 0;
    const off = watchForOrphaning(() => stops++, { enabled: true, intervalMs: 5, parentPid: () => parent });
    parent = 1;
    for (let i = 0; i < 100 && stops === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(stops).toBe(1);
    off();
    const never = watchForOrphaning(() => stops++, { enabled: false, parentPid: () => parent++ });
    never();
    expect(stops).toBe(1);
  });
});
