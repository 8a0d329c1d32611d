/**
 * The store-touching routes on PostgreSQL too: a settings PATCH (several keys in one transaction,
 * decimals exact) and the kill switch's audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestServer, apiTestServer, bearer } from "../../helpers/api-deps.js";
import { createPgSchema } from "../../store/helpers.js";

let t: ApiTestServer;
let drop: () => Promise<void>;
beforeAll(async () => {
  const schema = await createPgSchema();
  drop = schema.drop;
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
});
