/**
 * Trading controls, settings, diagnostics, strategies and the demo fault routes, on a real SQLite
 * store: the live switch's refusal and confirmation, the kill switch audited as operator:api,
 * settings round trips with exact decimals and field-named validation errors.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type ApiTestOptions, type ApiTestServer, apiTestServer, bearer } from "../../helpers/api-deps.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
async function server(o: ApiTestOptions = {}) {
  t = await apiTestServer(o);
  return t;
}
const post = (url: string, payload: unknown, method: "POST" | "PATCH" | "PUT" = "POST") => ({
  method,
  url,
  headers: bearer(),
  payload: payload as object,
});

describe("trading controls", () => {
  it("refuses to turn live trading on without LIVE_TRADING (409), and leaves the switch off", async () => {
    const s = await server({ envLiveTrading: false });
    const r = await s.server.inject(post("/api/trading/live", { enabled: true, confirm: "LIVE" }));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe("live_trading_not_allowed");
    expect((await s.store.settings.liveTrading()).value).toBe(false);
    expect(await s.store.audit.list()).toEqual([]);
  });

  it("turns live trading on only with confirm LIVE; off needs no confirmation", async () => {
    const s = await server({ envLiveTrading: true });
    const noConfirm = await s.server.inject(post("/api/trading/live", { enabled: true }));
    expect(noConfirm.statusCode).toBe(400);
    expect(noConfirm.json().error.details).toEqual([
      { field: "confirm", problem: expect.stringContaining("LIVE") },
    ]);
    const wrong = await s.server.inject(post("/api/trading/live", { enabled: true, confirm: "live" }));
    expect(wrong.statusCode).toBe(400);
    expect((await s.store.settings.liveTrading()).value).toBe(false);
    const on = await s.server.inject(post("/api/trading/live", { enabled: true, confirm: "LIVE" }));
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ live_trading: true, env_live_trading: true });
    const off = await s.server.inject(post("/api/trading/live", { enabled: false }));
    expect(off.json().live_trading).toBe(false);
    const audit = await s.store.audit.list({ entity: "settings", entityId: "live_trading" });
    expect(audit.map((a) => [a.actor, a.after])).toEqual([
      ["operator:api", false],
      ["operator:api", true],
    ]);
  });

  it("switches the kill switch through the services, audited as operator:api with an event", async () => {
    const s = await server();
    const r = await s.server.inject(post("/api/trading/kill-switch", { enabled: true }));
    expect(r.json()).toEqual({
      mode: "DRY_RUN",
      live_trading: false,
      env_live_trading: false,
      kill_switch: true,
    });
    const [entry] = await s.store.audit.list({ entityId: "kill_switch" });
    expect(entry).toMatchObject({ actor: "operator:api", action: "settings.set", before: null, after: true });
    const events = await s.store.events.after(0);
    expect(events.map((e) => e.kind)).toContain("settings.changed");
    const get = await s.server.inject({ method: "GET", url: "/api/trading" });
    expect(get.json().kill_switch).toBe(true);
  });

  it("names the field of a bad body", async () => {
    const s = await server();
    const r = await s.server.inject(post("/api/trading/kill-switch", { enabled: "yes" }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: "validation", details: [{ field: "enabled" }] });
    expect(r.json().error.message).toMatch(/enabled/);
    const extra = await s.server.inject(post("/api/trading/kill-switch", { enabled: true, force: 1 }));
    expect(extra.statusCode).toBe(400);
    const missing = await s.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: bearer(),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([{ field: "enabled", problem: expect.any(String) }]);
  });
});

describe("settings", () => {
  it("round-trips a patch with exact decimals and keeps the other fields", async () => {
    const s = await server();
    const before = (await s.server.inject({ method: "GET", url: "/api/settings" })).json();
    expect(before.limits.max_usd_per_order).toBe("100");
    const patch = {
      limits: { max_usd_per_order: "123.456789012345678901234567", cooldown_s: 60 },
      loss_protection: { daily_loss_limit_usd: "0.000000000000000001", daily_loss_limit_pct: null },
      protection: { sl_order_type: "STOP_LOSS" },
    };
    const r = await s.server.inject(post("/api/settings", patch, "PATCH"));
    expect(r.statusCode).toBe(200);
    const got = (await s.server.inject({ method: "GET", url: "/api/settings" })).json();
    expect(got).toEqual(r.json());
    expect(got.limits).toEqual({
      ...before.limits,
      max_usd_per_order: "123.456789012345678901234567",
      cooldown_s: 60,
    });
    expect(got.loss_protection).toMatchObject({
      daily_loss_limit_usd: "0.000000000000000001",
      daily_loss_limit_pct: null,
    });
    expect(got.protection).toEqual({ ...before.protection, sl_order_type: "STOP_LOSS" });
    expect((await s.store.settings.get("limits")).value.maxUsdPerOrder.toFixed()).toBe(
      "123.456789012345678901234567",
    );
    const audit = await s.store.audit.list({ entity: "settings" });
    expect(audit.map((a) => a.entityId).sort()).toEqual(["limits", "loss_protection", "protection"]);
    expect(audit.every((a) => a.actor === "operator:api")).toBe(true);
  });

  it("refuses bad fields by name and changes nothing", async () => {
    const s = await server();
    const r = await s.server.inject(
      post(
        "/api/settings",
        { limits: { max_usd_per_order: 100, cooldown_s: -1 }, protection: { nope: 1 } },
        "PATCH",
      ),
    );
    expect(r.statusCode).toBe(400);
    const fields = (r.json().error.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(["limits.cooldown_s", "limits.max_usd_per_order", "protection"]);
    const cross = await s.server.inject(
      post("/api/settings", { protection: { retry_initial_ms: 9000 } }, "PATCH"),
    );
    expect(cross.json().error.details).toEqual([
      { field: "protection.retry_initial_ms", problem: expect.any(String) },
    ]);
    expect((await s.store.settings.get("limits")).source).toBe("default");
    expect(await s.store.audit.list()).toEqual([]);
  });
});

describe("diagnostics, strategies, demo", () => {
  it("runs the doctor and shows the last report, incidents and the key fingerprint", async () => {
    const s = await server();
    const empty = (await s.server.inject({ method: "GET", url: "/api/diagnostics" })).json();
    expect(empty).toEqual({ last: null, incidents: [], key_fingerprint: "ab12…ef90" });
    await s.store.incidents.open({ method: "private/get-account-summary", code: 40101, category: "auth" });
    s.diagnostics.verdict = "problem";
    const order = { instrument_name: "BTC_USD", side: "BUY", notional: "10" };
    const run = await s.server.inject(post("/api/diagnostics/run", { order }));
    expect(run.statusCode).toBe(200);
    expect(s.diagnostics.runs).toEqual([order]);
    expect(run.json().last).toMatchObject({
      verdict: "problem",
      top_cause: "ip_not_whitelisted",
      trigger: "api",
    });
    expect(run.json().incidents).toEqual([
      expect.objectContaining({ code: 40101, category: "auth", closed_at: null }),
    ]);
    const noOrder = await s.server.inject({ method: "POST", url: "/api/diagnostics/run", headers: bearer() });
    expect(noOrder.statusCode).toBe(200);
    expect(s.diagnostics.runs.at(-1)).toBeUndefined();
  });

  it("puts strategies, refusing problems with the field named", async () => {
    const s = await server();
    const json = { presets: { fast: { rsi_max: 70 } } };
    const ok = await s.server.inject(post("/api/strategies", json, "PUT"));
    expect(ok.json()).toEqual(json);
    s.strategies.problems = ["presets.fast.rsi_max: must be above rsi_min (contradictory)"];
    const bad = await s.server.inject(post("/api/strategies", { presets: {} }, "PUT"));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { field: "presets.fast.rsi_max", problem: "must be above rsi_min (contradictory)" },
    ]);
    expect((await s.server.inject({ method: "GET", url: "/api/strategies" })).json()).toEqual(json);
  });

  it("has the demo fault routes only in the demo", async () => {
    const plain = await server();
    expect((await plain.server.inject({ method: "GET", url: "/api/demo/fault" })).statusCode).toBe(404);
    expect((await plain.server.inject(post("/api/demo/fault", { cause: "clock_skew" }))).statusCode).toBe(
      404,
    );
    await plain.close();
    const demo = await server({ demo: true });
    const set = await demo.server.inject(post("/api/demo/fault", { cause: "clock_skew" }));
    expect(set.json()).toEqual({
      cause: "clock_skew",
      available: ["ip_not_whitelisted", "clock_skew", "key_revoked"],
    });
    expect(demo.demo.cause).toBe("clock_skew");
    const bad = await demo.server.inject(post("/api/demo/fault", { cause: "meteor" }));
    expect(bad.json().error.details).toEqual([{ field: "cause", problem: expect.any(String) }]);
    await demo.server.inject(post("/api/demo/fault", { cause: null }));
    expect((await demo.server.inject({ method: "GET", url: "/api/demo/fault" })).json().cause).toBeNull();
  });
});
