/**
 * The watchlist routes: add (any symbol form, unknown refused with the closest names), change,
 * remove — audited as operator:api with an event, the market source told, the throttle reset.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ApiWatchlistItem } from "../../../src/api/contract/types.js";
import { type ApiTestServer, bearer } from "../../helpers/api-deps.js";
import { apiDataServer } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const post = (s: ApiTestServer, payload: unknown) =>
  s.server.inject({ method: "POST", url: "/api/watchlist", headers: bearer(), payload: payload as object });

describe("watchlist routes", () => {
  it("adds, changes and removes a coin through the services, audited and watched", async () => {
    t = await apiDataServer();
    const a = await post(t, {
      symbol: "CRYPTO:ETHUSD",
      amount_usd: "25.50",
      sl_pct: "2",
      tp_pct: "3.5",
      trade_enabled: true,
    });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({
      symbol: "ETH_USD",
      amount_usd: "25.5",
      sl_pct: "2",
      tp_pct: "3.5",
      trade_enabled: true,
      alerts_enabled: false,
    });
    expect(t.market.watched.has("ETH_USD")).toBe(true);
    expect((await post(t, { symbol: "ETH_USD" })).statusCode).toBe(409);

    const p = await t.server.inject({
      method: "PATCH",
      url: "/api/watchlist/ETH_USD",
      headers: bearer(),
      payload: { amount_usd: null, alerts_enabled: true },
    });
    expect(p.statusCode).toBe(200);
    expect(p.json()).toMatchObject({ amount_usd: null, alerts_enabled: true, sl_pct: "2" });

    const list = (
      await t.server.inject({ method: "GET", url: "/api/watchlist" })
    ).json() as ApiWatchlistItem[];
    expect(list.map((w) => w.symbol)).toEqual(["ETH_USD"]);

    const d = await t.server.inject({ method: "DELETE", url: "/api/watchlist/ETH_USD", headers: bearer() });
    expect(d.json()).toEqual({ symbol: "ETH_USD", removed: true });
    expect(t.market.watched.has("ETH_USD")).toBe(false);
    expect(
      (await t.server.inject({ method: "DELETE", url: "/api/watchlist/ETH_USD", headers: bearer() }))
        .statusCode,
    ).toBe(404);

    const audit = await t.store.audit.list({ entity: "watchlist", entityId: "ETH_USD" });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ["watchlist.remove", "operator:api"],
      ["watchlist.upsert", "operator:api"],
      ["watchlist.upsert", "operator:api"],
    ]);
    const events = await t.store.events.after(0);
    expect(events.filter((e) => e.kind === "watchlist.changed")).toHaveLength(3);
  });

  it("refuses an unknown symbol with the closest instrument names", async () => {
    t = await apiDataServer();
    const r = await post(t, { symbol: "ETHUSDD" });
    expect(r.statusCode).toBe(400);
    const body = r.json() as { error: { code: string; details: { field: string; suggestions: string[] }[] } };
    expect(body.error.code).toBe("validation");
    expect(body.error.details[0]?.field).toBe("symbol");
    expect(body.error.details[0]?.suggestions[0]).toBe("ETH_USD");
    expect(await t.store.watchlist.list()).toEqual([]);
  });

  it("validates decimals from their text and the preset by name", async () => {
    t = await apiDataServer();
    t.strategies.json = { presets: { swing: {}, scalp: {} } };
    const bad = await post(t, { symbol: "BTC_USD", amount_usd: 25, sl_pct: "150", preset: "nope" });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json() as { error: { details: { field: string }[] } }).error.details.map(
      (d) => d.field,
    );
    expect(fields).toEqual(expect.arrayContaining(["amount_usd", "sl_pct"]));
    const preset = await post(t, { symbol: "BTC_USD", preset: "nope" });
    expect(preset.statusCode).toBe(400);
    expect(preset.json().error.details[0].field).toBe("preset");
    expect((await post(t, { symbol: "BTC_USD", preset: "external" })).statusCode).toBe(201);
    expect(
      (await post(t, { symbol: "SOL_USD", preset: "swing", amount_usd: "0.000000000000000001" })).json(),
    ).toMatchObject({ amount_usd: "0.000000000000000001" });
  });

  it("resets the symbol's signal throttle when its preset or SL/TP change, not for the amount", async () => {
    t = await apiDataServer();
    await post(t, { symbol: "BTC_USD", preset: "external", sl_pct: "2" });
    const rec = {
      symbol: "BTC_USD",
      strategy: "swing",
      side: "BUY" as const,
      price: 65000.5,
      at: 1,
      configHash: "h1",
    };
    await t.store.throttle.save(rec);
    await t.store.throttle.save({ ...rec, symbol: "ETH_USD" });
    await t.server.inject({
      method: "PATCH",
      url: "/api/watchlist/BTC_USD",
      headers: bearer(),
      payload: { amount_usd: "30" },
    });
    expect((await t.store.throttle.load()).map((r) => r.configHash)).toEqual(["h1", "h1"]);
    await t.server.inject({
      method: "PATCH",
      url: "/api/watchlist/BTC_USD",
      headers: bearer(),
      payload: { sl_pct: "2.5" },
    });
    const after = await t.store.throttle.load();
    expect(after.find((r) => r.symbol === "BTC_USD")?.configHash).toBe(`reset:${t.time.now()}`);
    expect(after.find((r) => r.symbol === "ETH_USD")?.configHash).toBe("h1");
  });

  it("needs the token to change anything", async () => {
    t = await apiDataServer();
    expect(
      (await t.server.inject({ method: "POST", url: "/api/watchlist", payload: { symbol: "BTC_USD" } }))
        .statusCode,
    ).toBe(401);
  });
});
