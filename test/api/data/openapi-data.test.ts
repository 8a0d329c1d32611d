/** Every data route is in the OpenAPI document, with its decimals documented as strings. */
import { afterEach, describe, expect, it } from "vitest";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { apiDataServer } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DATA_ROUTES = [
  "get /api/dashboard/state",
  "get /api/watchlist",
  "post /api/watchlist",
  "patch /api/watchlist/{symbol}",
  "delete /api/watchlist/{symbol}",
  "get /api/signals",
  "get /api/signals/{symbol}",
  "get /api/candles/{symbol}",
  "get /api/orders",
  "get /api/orders/{id}",
  "post /api/orders",
  "post /api/orders/{id}/cancel",
  "get /api/positions",
  "post /api/webhooks",
  "get /api/webhooks",
  "delete /api/webhooks/{name}",
  "post /api/signals/webhook/{name}",
  "get /api/events",
];

describe("OpenAPI document", () => {
  it("lists every data route", async () => {
    t = await apiDataServer();
    const r = await t.server.inject({ method: "GET", url: "/api/openapi.json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json() as { paths: Record<string, Record<string, unknown>> };
    const have = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(have).toEqual(expect.arrayContaining(DATA_ROUTES));
    expect(JSON.stringify(doc.paths["/api/orders/{id}"])).toContain('"exchange_order_id"');
  });
});
