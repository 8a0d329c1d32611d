/**
 * Webhooks over HTTP: a secret shown once and stored hashed; a wrong secret is 401; symbol, side and
 * amount forms, with the amount's JSON number text kept exactly in the inbox row; the same signal_id
 * twice is one row (one intent); symbols not traded are blocked with the reason; ATP_WEBHOOK_SECRET.
 */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookAccepted, WebhookCreated } from "../../../src/api/contract/types.js";
import { webhookSignalRowId } from "../../../src/api/webhook-intake.js";
import { dec } from "../../../src/util/decimal.js";
import { type ApiTestServer, bearer } from "../../helpers/api-deps.js";
import { apiDataServer, fakeInboxConsumer } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
let stopConsumer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopConsumer?.();
  stopConsumer = undefined;
  await t?.close();
  t = undefined;
});

async function create(s: ApiTestServer, name: string): Promise<WebhookCreated> {
  const r = await s.server.inject({
    method: "POST",
    url: "/api/webhooks",
    headers: bearer(),
    payload: { name },
  });
  expect(r.statusCode).toBe(201);
  return r.json() as WebhookCreated;
}

const send = (s: ApiTestServer, name: string, body: string, type = "application/json") =>
  s.server.inject({
    method: "POST",
    url: `/api/signals/webhook/${name}`,
    headers: { "content-type": type },
    payload: body,
  });

describe("webhook management", () => {
  it("shows the secret once, stores only its hash, lists and deletes", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    expect(w).toMatchObject({ name: "tv", url_path: "/api/signals/webhook/tv", last_used_at: null });
    expect(w.secret.length).toBeGreaterThanOrEqual(32);
    const stored = await t.store.webhooks.get("tv");
    expect(stored?.secretHash).toBe(createHash("sha256").update(w.secret).digest("hex"));
    const again = await t.server.inject({
      method: "POST",
      url: "/api/webhooks",
      headers: bearer(),
      payload: { name: "tv" },
    });
    expect(again.statusCode).toBe(409);
    const list = await t.server.inject({ method: "GET", url: "/api/webhooks" });
    expect(list.json()).toEqual([{ name: "tv", created_at: w.created_at, last_used_at: null }]);
    expect(list.body).not.toContain(w.secret);
    const del = await t.server.inject({ method: "DELETE", url: "/api/webhooks/tv", headers: bearer() });
    expect(del.json()).toEqual({ name: "tv", removed: true });
    expect(
      (await send(t, "tv", JSON.stringify({ secret: w.secret, symbol: "BTC_USD", side: "buy" }))).statusCode,
    ).toBe(401);
  });

  it("ATP_WEBHOOK_SECRET is the webhook default, which the API cannot replace or delete", async () => {
    t = await apiDataServer({ webhookSecret: "env-secret-123" });
    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
    expect(
      (
        await t.server.inject({
          method: "POST",
          url: "/api/webhooks",
          headers: bearer(),
          payload: { name: "default" },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await t.server.inject({ method: "DELETE", url: "/api/webhooks/default", headers: bearer() }))
        .statusCode,
    ).toBe(409);
    stopConsumer = fakeInboxConsumer(t.store);
    const r = await send(
      t,
      "default",
      '{"secret":"env-secret-123","symbol":"BTCUSD","side":"BUY","signal_id":"a1"}',
    );
    expect(r.statusCode).toBe(202);
    expect((r.json() as WebhookAccepted).status).toBe("accepted");
    expect((await t.store.webhooks.get("default"))?.lastUsedAt).toBe(t.time.now());
  });
});

describe("POST /api/signals/webhook/{name}", () => {
  it("401 for a wrong or missing secret and for an unknown webhook, the same answer", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    const bodies = [
      JSON.stringify({ secret: `${w.secret}x`, symbol: "BTC_USD", side: "buy" }),
      JSON.stringify({ symbol: "BTC_USD", side: "buy" }),
      JSON.stringify({ secret: 123, symbol: "BTC_USD", side: "buy" }),
    ];
    for (const b of bodies) {
      const r = await send(t, "tv", b);
      expect(r.statusCode).toBe(401);
      expect(r.body).not.toContain(w.secret);
    }
    const unknown = await send(
      t,
      "other",
      JSON.stringify({ secret: w.secret, symbol: "BTC_USD", side: "buy" }),
    );
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([
      401,
      "unknown webhook or wrong secret",
    ]);
    expect(await t.store.signals.list()).toEqual([]);
  });

  it("files the signal with its exact amount and price text, TradingView's text/plain too", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    await t.store.watchlist.upsert({ symbol: "ETH_USD", tradeEnabled: true, amountUsd: dec("10") });
    stopConsumer = fakeInboxConsumer(t.store);
    const body = `{"secret":"${w.secret}","symbol":"CRYPTO:ETHUSD","side":"Sell","amount_usd":12.30000000000000000001,"price":"3000.10","signal_id":"tv-1"}`;
    const r = await send(t, "tv", body, "text/plain; charset=utf-8");
    expect(r.statusCode).toBe(202);
    const a = r.json() as WebhookAccepted;
    expect(a).toMatchObject({ signal_id: "tv-1", status: "accepted", reason_code: null });
    const row = await t.store.signals.get(webhookSignalRowId("tv", "tv-1"));
    expect(row).toMatchObject({
      symbol: "ETH_USD",
      side: "SELL",
      source: "webhook:tv",
      status: "ACCEPTED",
      intentId: a.intent_id,
    });
    expect(row?.price?.toFixed()).toBe("3000.1");
    expect(row?.trace).toEqual({
      request: { actor: "webhook:tv", amountUsd: "12.30000000000000000001" },
      webhook: { name: "tv", signal_id: "tv-1" },
    });
  });

  it("the same signal_id twice is one row and one intent", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
    stopConsumer = fakeInboxConsumer(t.store);
    const body = JSON.stringify({ secret: w.secret, symbol: "BTC/USD", side: "buy", signal_id: "dup-7" });
    const [a, b] = await Promise.all([send(t, "tv", body), send(t, "tv", body)]);
    const c = await send(t, "tv", body);
    const statuses = [a, b, c].map((r) => (r.json() as WebhookAccepted).status).sort();
    expect(statuses).toEqual(["accepted", "duplicate", "duplicate"]);
    expect(await t.store.signals.list()).toHaveLength(1);
    const intents = await t.store.intents.listOpen();
    expect(intents).toHaveLength(1);
    expect((c.json() as WebhookAccepted).intent_id).toBe(intents[0]!.id);
  });

  it("blocks symbols that are not traded, and reports the guards' block", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    await t.store.watchlist.upsert({ symbol: "SOL_USD", tradeEnabled: false });
    const off = await send(t, "tv", JSON.stringify({ secret: w.secret, symbol: "SOL_USD", side: "buy" }));
    expect(off.json()).toMatchObject({ status: "blocked", reason_code: "TRADING_DISABLED", intent_id: null });
    const absent = await send(t, "tv", JSON.stringify({ secret: w.secret, symbol: "ETH_USD", side: "buy" }));
    expect(absent.json()).toMatchObject({ status: "blocked", reason_code: "NOT_IN_WATCHLIST" });
    expect((await t.store.signals.list()).map((s) => s.status)).toEqual(["BLOCKED", "BLOCKED"]);

    await t.store.watchlist.upsert({ symbol: "BTC_USD", tradeEnabled: true });
    stopConsumer = fakeInboxConsumer(t.store, { block: "KILL_SWITCH" });
    const guarded = await send(t, "tv", JSON.stringify({ secret: w.secret, symbol: "BTC_USD", side: "buy" }));
    expect(guarded.json()).toMatchObject({ status: "blocked", reason_code: "KILL_SWITCH" });
  });

  it("names bad fields (400) and bad JSON without echoing the body", async () => {
    t = await apiDataServer();
    const w = await create(t, "tv");
    const r = await send(
      t,
      "tv",
      JSON.stringify({ secret: w.secret, symbol: "ETHUSDD", side: "hold", amount_usd: "1,5" }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      "symbol",
      "side",
      "amount_usd",
    ]);
    expect(r.body).not.toContain(w.secret);
    const broken = await send(t, "tv", `{"secret":"${w.secret}",`);
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, "invalid_json"]);
    expect(broken.body).not.toContain(w.secret);
    const deep = await send(t, "tv", `${"[".repeat(5000)}${"]".repeat(5000)}`);
    expect(deep.statusCode).toBe(400);
  });
});
