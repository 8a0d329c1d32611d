/**
 * The store-touching routes on PostgreSQL too: a settings PATCH (several keys in one transaction,
 * decimals exact), the kill switch's audit entry, and webhook secrets held in memory: a webhook
 * another atp deletes or creates on the same database is answered accordingly within 1 s.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/api/webhook-intake.js";
import { WEBHOOK_SECRETS_MAX_AGE_MS } from "../../../src/api/webhook-secrets.js";
import { createLogger } from "../../../src/log/logger.js";
import { openStore } from "../../../src/store/open.js";
import { type ApiTestServer, apiTestServer, bearer } from "../../helpers/api-deps.js";
import { createPgSchema } from "../../store/helpers.js";

let t: ApiTestServer;
let drop: () => Promise<void>;
let url: string;
beforeAll(async () => {
  const schema = await createPgSchema();
  drop = schema.drop;
  url = schema.url;
  t = await apiTestServer({ storeUrl: schema.url });
});
afterAll(async () => {
  await t.close();
  await drop();
});

describe("API on PostgreSQL", () => {
  it("round-trips a settings patch with exact decimals, audited", async () => {
    expect(t.store.dialect).toBe("postgres");
    const patch = {
      limits: { max_notional_per_symbol_per_day: "98765.432109876543210987" },
      protection: { deadline_s: 45 },
    };
    const r = await t.server.inject({
      method: "PATCH",
      url: "/api/settings",
      headers: bearer(),
      payload: patch,
    });
    expect(r.statusCode).toBe(200);
    const got = (await t.server.inject({ method: "GET", url: "/api/settings" })).json();
    expect(got.limits.max_notional_per_symbol_per_day).toBe("98765.432109876543210987");
    expect(got.protection.deadline_s).toBe(45);
    const audit = await t.store.audit.list({ entity: "settings" });
    expect(audit.map((a) => [a.entityId, a.actor]).sort()).toEqual([
      ["limits", "operator:api"],
      ["protection", "operator:api"],
    ]);
  });

  it("audits the kill switch as operator:api", async () => {
    const r = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: bearer(),
      payload: { enabled: true },
    });
    expect(r.json().kill_switch).toBe(true);
    const [entry] = await t.store.audit.list({ entityId: "kill_switch" });
    expect(entry).toMatchObject({ actor: "operator:api", after: true });
  });

  it("a webhook another atp deletes or creates on the same database: within 1 s", async () => {
    const other = await openStore({
      url,
      dataDir: t.dataDir,
      logger: createLogger({ level: "silent", pretty: false }),
      now: () => t.time.now(),
    });
    const send = (name: string, secret: string) =>
      t.server.inject({
        method: "POST",
        url: `/api/signals/webhook/${name}`,
        headers: { "content-type": "application/json" },
        // not in the watchlist: answered at once (blocked), no inbox wait
        payload: JSON.stringify({ secret, symbol: "SOL_USD", side: "buy" }),
      });
    try {
      await other.webhooks.create({ name: "pg-a", secretHash: sha256Hex("secret-a-0123456789") });
      await t.time.advance(WEBHOOK_SECRETS_MAX_AGE_MS);
      const ok = await send("pg-a", "secret-a-0123456789");
      expect([ok.statusCode, ok.json().status]).toEqual([202, "blocked"]);
      await other.webhooks.remove("pg-a");
      await t.time.advance(WEBHOOK_SECRETS_MAX_AGE_MS);
      expect((await send("pg-a", "secret-a-0123456789")).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});
