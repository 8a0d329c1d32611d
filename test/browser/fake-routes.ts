/**
 * The fake API's data routes, answering in the contract's shapes from the FakeWorld (see
 * fake-api.ts for auth, events and static files). Validation is the minimum the dashboard's error
 * paths need: unknown symbols (with the closest names), decimals as strings, the LIVE confirmation.
 */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import type {
  ApiErrorBody,
  ApiWatchlistInput,
  ApiWatchlistPatch,
  DemoFaultInput,
  KillSwitchInput,
  LiveSwitchInput,
  NotificationSettingsPatch,
  SettingsPatch,
  TradingState,
} from "../../src/api/contract/types.js";
import type { FakeWorld } from "./fake-world.js";
import { fixtureCandles } from "./fixture-candles.js";
import { fixtureWatchItem } from "./fixtures.js";

export function fakeError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details: unknown = null,
) {
  const body: ApiErrorBody = { error: { code, message, retryable: false, details } };
  return reply.code(status).send(body);
}

const DECIMAL = /^\d+(\.\d+)?$/;
const DEMO_FAULTS = [
  "ip_not_whitelisted",
  "clock_skew",
  "key_invalid_or_revoked",
  "missing_trade_permission",
];

function badDecimal(input: Record<string, unknown>): { field: string; problem: string }[] {
  return ["amount_usd", "sl_pct", "tp_pct"]
    .filter(
      (f) =>
        input[f] !== undefined &&
        input[f] !== null &&
        !(typeof input[f] === "string" && DECIMAL.test(input[f])),
    )
    .map((field) => ({ field, problem: "must be a positive decimal string" }));
}

export function registerFakeRoutes(app: FastifyInstance, world: FakeWorld): void {
  const trading = (): TradingState => ({
    mode: "DEMO",
    live_trading: world.liveTrading,
    env_live_trading: true,
    kill_switch: world.killSwitch,
  });
  let demoFault: string | null = null;
  app.addHook("onRequest", async (req, reply) => {
    if (req.method === "GET" && world.failingReads.has(req.url.split("?")[0]!))
      return fakeError(reply, 503, "store_unavailable", "the store is not answering");
  });

  app.get("/api/health", async () => ({ status: "ok", version: "fake", uptime_s: 1 }));
  app.get("/api/dashboard/state", async () => world.state());
  app.get("/api/watchlist", async () => [...world.watchlist.values()]);
  app.post("/api/watchlist", async (req, reply) => {
    const input = req.body as ApiWatchlistInput;
    if (!world.instruments.includes(input.symbol)) {
      const close = world.instruments.filter((s) => s[0] === input.symbol[0]).slice(0, 3);
      return fakeError(reply, 400, "validation", `unknown symbol ${input.symbol}`, [
        {
          field: "symbol",
          problem: `unknown instrument ${input.symbol}; did you mean ${close.join(", ") || "BTC_USD"}?`,
        },
      ]);
    }
    const bad = badDecimal(input as unknown as Record<string, unknown>);
    if (bad.length) return fakeError(reply, 400, "validation", "invalid input", bad);
    const item = {
      ...fixtureWatchItem(input.symbol),
      decision: null,
      indicators: null,
      price: null,
      ...input,
    };
    world.watchlist.set(input.symbol, item);
    return reply.code(201).send(item);
  });
  app.patch<{ Params: { symbol: string } }>("/api/watchlist/:symbol", async (req, reply) => {
    const item = world.watchlist.get(req.params.symbol);
    if (!item) return fakeError(reply, 404, "not_found", `${req.params.symbol} is not watched`);
    const patch = req.body as ApiWatchlistPatch;
    const bad = badDecimal(patch as Record<string, unknown>);
    if (bad.length) return fakeError(reply, 400, "validation", "invalid input", bad);
    const next = { ...item, ...patch };
    world.watchlist.set(item.symbol, next);
    return next;
  });
  app.delete<{ Params: { symbol: string } }>("/api/watchlist/:symbol", async (req, reply) => {
    if (!world.watchlist.delete(req.params.symbol)) return fakeError(reply, 404, "not_found", "not watched");
    return reply.code(204).send();
  });
  app.get<{ Params: { symbol: string }; Querystring: { timeframe?: string; count?: string } }>(
    "/api/candles/:symbol",
    async (req) =>
      fixtureCandles(req.params.symbol, req.query.timeframe ?? "1m", Number(req.query.count ?? "200")),
  );
  app.get<{ Params: { symbol: string } }>("/api/signals/:symbol", async (req) => {
    const d = world.watchlist.get(req.params.symbol)?.decision;
    return { symbol: req.params.symbol, decisions: d ? [d] : [], recent: [] };
  });

  app.get<{ Querystring: { status?: string; symbol?: string } }>("/api/orders", async (req) => ({
    items: world.orders.filter(
      (o) =>
        (!req.query.status || o.status === req.query.status) &&
        (!req.query.symbol || o.symbol === req.query.symbol),
    ),
    next_cursor: null,
  }));
  app.post<{ Params: { id: string } }>("/api/orders/:id/cancel", async (req, reply) => {
    const order = world.orders.find((o) => o.id === req.params.id);
    if (!order) return fakeError(reply, 404, "not_found", "no such order");
    order.status = "CANCELED";
    return order;
  });
  app.get("/api/positions", async () => [world.position]);

  app.get("/api/diagnostics", async () => world.diagnostics);
  app.post("/api/diagnostics/run", async () => {
    world.storeDiagnosis("manual", world.authCause, Date.now());
    return world.diagnostics.last?.report ?? null;
  });

  app.get("/api/trading", async () => trading());
  app.post("/api/trading/live", async (req, reply) => {
    const input = req.body as LiveSwitchInput;
    if (input.enabled && input.confirm !== "LIVE")
      return fakeError(reply, 400, "validation", "confirm must be LIVE", [
        { field: "confirm", problem: 'type "LIVE"' },
      ]);
    world.liveTrading = input.enabled;
    return trading();
  });
  app.post("/api/trading/kill-switch", async (req) => {
    world.killSwitch = (req.body as KillSwitchInput).enabled;
    return trading();
  });
  app.get("/api/settings", async () => world.settings);
  app.patch("/api/settings", async (req) => {
    const patch = req.body as SettingsPatch;
    world.settings = {
      limits: { ...world.settings.limits, ...patch.limits },
      loss_protection: { ...world.settings.loss_protection, ...patch.loss_protection },
      protection: { ...world.settings.protection, ...patch.protection },
    };
    return world.settings;
  });
  app.get("/api/settings/notifications", async () => world.notifications);
  app.patch("/api/settings/notifications", async (req, reply) => {
    const patch = req.body as NotificationSettingsPatch;
    const n = world.notifications;
    const time = patch.daily_summary?.time;
    if (time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
      return fakeError(reply, 400, "validation", "invalid body", [
        { field: "daily_summary.time", problem: 'a 24-hour local time "HH:MM", e.g. "20:00"' },
      ]);
    const events = new Map(Object.entries(patch.events ?? {}));
    world.notifications = {
      events: n.events.map((e) => ({ ...e, value: events.get(e.kind) ?? e.value })),
      daily_summary: { ...n.daily_summary, ...patch.daily_summary },
      throttle_minutes: patch.throttle_minutes ?? n.throttle_minutes,
    };
    return world.notifications;
  });

  app.get("/api/webhooks", async () => [...world.webhooks.values()].map(({ secret: _s, ...info }) => info));
  app.post("/api/webhooks", async (req, reply) => {
    const name = String((req.body as { name?: unknown }).name ?? "");
    if (!/^[a-z0-9_-]{1,40}$/i.test(name))
      return fakeError(reply, 400, "validation", "bad name", [
        { field: "name", problem: "letters, digits, - and _" },
      ]);
    if (world.webhooks.has(name)) return fakeError(reply, 409, "conflict", `webhook ${name} exists`);
    const hook = {
      name,
      created_at: Date.now(),
      last_used_at: null,
      secret: randomBytes(18).toString("base64url"),
    };
    world.webhooks.set(name, hook);
    return reply.code(201).send({ ...hook, url_path: `/api/signals/webhook/${name}` });
  });
  app.delete<{ Params: { name: string } }>("/api/webhooks/:name", async (req, reply) => {
    if (!world.webhooks.delete(req.params.name)) return fakeError(reply, 404, "not_found", "no such webhook");
    return reply.code(204).send();
  });

  app.get("/api/demo/fault", async () => ({ cause: demoFault, available: DEMO_FAULTS }));
  app.post("/api/demo/fault", async (req) => {
    demoFault = (req.body as DemoFaultInput).cause;
    return { cause: demoFault, available: DEMO_FAULTS };
  });
}
