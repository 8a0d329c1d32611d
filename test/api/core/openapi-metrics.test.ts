/**
 * The OpenAPI document lists every registered route,
 * /api/docs renders them without external resources, /metrics speaks the Prometheus text format
 * with what the store's events say, and the route responses match their declared schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricsRegistry } from "../../../src/api/metrics.js";
import { dec } from "../../../src/util/decimal.js";
import { type ApiTestServer, apiTestServer } from "../../helpers/api-deps.js";

let t: ApiTestServer;
beforeAll(async () => {
  t = await apiTestServer({ demo: true });
});
afterAll(() => t.close());

const toOpenApi = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

describe("OpenAPI", () => {
  it("lists every registered route with its auth level", async () => {
    const doc = (await t.server.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    const listed = Object.entries(
      doc.paths as Record<string, Record<string, { "x-atp-auth": string }>>,
    ).flatMap(([p, ops]) =>
      Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${p} ${op["x-atp-auth"]}`),
    );
    const registered = t.server.routes().map((r) => `${r.method} ${toOpenApi(r.url)} ${r.auth}`);
    expect(listed.sort()).toEqual([...registered].sort());
    for (const must of [
      "GET /api/health",
      "POST /api/trading/live",
      "PATCH /api/settings",
      "GET /metrics",
      "POST /api/demo/fault",
    ]) {
      expect(listed.some((l) => l.startsWith(`${must} `))).toBe(true);
    }
    const kill = doc.paths["/api/trading/kill-switch"].post;
    expect(kill.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      properties: { enabled: { type: "boolean" } },
      required: ["enabled"],
    });
    expect(
      doc.paths["/api/settings"].get.responses["200"].content["application/json"].schema.properties.limits,
    ).toBeDefined();
  });

  it("renders /api/docs as self-contained HTML naming every route", async () => {
    const r = await t.server.inject({ method: "GET", url: "/api/docs" });
    expect(r.headers["content-type"]).toMatch(/text\/html/);
    for (const route of t.server.routes()) expect(r.body).toContain(toOpenApi(route.url));
    expect(r.body).not.toMatch(/<script|<link|https?:\/\/(?!127)/);
  });

  it("answers every parameterless GET route in its declared schema", async () => {
    for (const route of t.server
      .routes()
      .filter((x) => x.method === "GET" && !x.url.includes(":") && !x.query)) {
      const r = await t.server.inject({ method: "GET", url: route.url });
      expect({ url: route.url, ok: r.statusCode < 500 }).toEqual({ url: route.url, ok: true });
      const body = route.contentType.startsWith("application/json") ? r.json() : r.body;
      const parsed = route.response.safeParse(body);
      expect({ url: route.url, issues: parsed.success ? [] : parsed.error.issues }).toEqual({
        url: route.url,
        issues: [],
      });
    }
  });
});

describe("metrics", () => {
  it("renders counters, gauges and histograms in the text format, escaping labels", () => {
    const r = new MetricsRegistry();
    r.counter("x_total", "X things", ["code"]).inc({ code: 'a"b\\c\nd' }, 2);
    r.gauge("y", "Y").set({}, 3);
    const h = r.histogram("z_seconds", "Z", ["route"], [0.1, 1]);
    h.observe({ route: "/a" }, 0.05);
    h.observe({ route: "/a" }, 0.5);
    h.observe({ route: "/a" }, 5);
    expect(r.render()).toBe(
      [
        "# HELP x_total X things",
        "# TYPE x_total counter",
        'x_total{code="a\\"b\\\\c\\nd"} 2',
        "# HELP y Y",
        "# TYPE y gauge",
        "y 3",
        "# HELP z_seconds Z",
        "# TYPE z_seconds histogram",
        'z_seconds_bucket{route="/a",le="0.1"} 1',
        'z_seconds_bucket{route="/a",le="1"} 2',
        'z_seconds_bucket{route="/a",le="+Inf"} 3',
        'z_seconds_sum{route="/a"} 5.55',
        'z_seconds_count{route="/a"} 3',
        "",
      ].join("\n"),
    );
    expect(() => r.gauge("x_total", "again")).toThrow(/counter/);
  });

  it("counts store events since start, open orders, exchange calls and HTTP latency", async () => {
    const store = t.store;
    await store.events.append({
      kind: "intent.blocked",
      symbol: "BTC_USD",
      payload: { reasonCode: "KILL_SWITCH" },
    });
    await store.events.append({
      kind: "intent.blocked",
      symbol: "BTC_USD",
      payload: { reasonCode: "KILL_SWITCH" },
    });
    await store.events.append({ kind: "order.filled", symbol: "BTC_USD", payload: {} });
    await store.events.append({ kind: "auth.incident_opened", payload: { code: 40101, category: "auth" } });
    await store.events.append({ kind: "reconcile.correction", payload: { action: "order.adopted" } });
    await store.intents.create({
      idempotencyKey: "k1",
      kind: "ENTRY",
      symbol: "ETH_USD",
      side: "BUY",
      mode: "DRY_RUN",
      actor: "t",
    });
    const intent = await store.intents.findByKey("k1");
    await store.orders.insertAttempt({
      intentId: intent!.id,
      attempt: 1,
      clientOid: "c1",
      symbol: "ETH_USD",
      side: "BUY",
      type: "MARKET",
      role: "ENTRY",
      mode: "DRY_RUN",
      notional: dec("10"),
    });
    t.server.metrics.recordExchangeCall("private/create-order", "error", { code: 50001, category: "server" });
    const r = await t.server.inject({ method: "GET", url: "/metrics" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = r.body;
    expect(m).toContain('atp_guard_blocks_total{reason="KILL_SWITCH"} 2');
    expect(m).toContain('atp_orders_total{status="FILLED"} 1');
    expect(m).toContain('atp_auth_incidents_total{code="40101",category="auth"} 1');
    expect(m).toContain('atp_reconcile_corrections_total{action="order.adopted"} 1');
    expect(m).toContain('atp_open_orders{status="PENDING_SUBMIT",mode="DRY_RUN"} 1');
    expect(m).toContain('atp_exchange_calls_total{method="private/create-order",outcome="error"} 1');
    expect(m).toContain('atp_exchange_errors_total{code="50001",category="server"} 1');
    expect(m).toMatch(
      /atp_http_request_duration_seconds_count\{method="GET",route="\/api\/openapi.json",status="200"\} \d+/,
    );
    // a second scrape does not count the same events again
    const again = (await t.server.inject({ method: "GET", url: "/metrics" })).body;
    expect(again).toContain('atp_guard_blocks_total{reason="KILL_SWITCH"} 2');
    for (const line of again.split("\n").filter((l) => l && !l.startsWith("#"))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eInfNa]+$/);
    }
  });
});
