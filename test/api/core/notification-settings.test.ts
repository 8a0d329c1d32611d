/**
 * `GET/PATCH /api/settings/notifications` on a real SQLite store: every kind with its effective
 * switch and default, a patch merged into what is stored (and read by the outbox subscriber's own
 * reading), field-named 400s that store nothing, critical kinds never off, the audit row with
 * actor operator:api, write auth (bearer, or cookie + CSRF), and the route in the OpenAPI document.
 */
import { afterEach, describe, expect, it } from "vitest";
import { switchFor } from "../../../src/trading/services/notifications.js";
import { type ApiTestServer, apiTestServer, bearer, TEST_API_TOKEN } from "../../helpers/api-deps.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
const URL = "/api/settings/notifications";
const patch = (payload: unknown, headers: Record<string, string> = bearer()) => ({
  method: "PATCH" as const,
  url: URL,
  headers,
  payload: payload as object,
});

describe("notification settings API", () => {
  it("lists every kind with its effective switch, its default and whether it is critical", async () => {
    t = await apiTestServer();
    const r = await t.server.inject({ method: "GET", url: URL });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.daily_summary).toEqual({ enabled: true, time: "20:00", time_zone: "UTC" });
    expect(body.throttle_minutes).toBe(60);
    expect(body.events).toHaveLength(14);
    expect(body.events[0]).toEqual({ kind: "signal", value: "on", default_value: "on", critical: false });
    expect(body.events.find((e: { kind: string }) => e.kind === "order.placed")).toEqual({
      kind: "order.placed",
      value: "silent",
      default_value: "silent",
      critical: false,
    });
    expect(
      body.events.filter((e: { critical: boolean }) => e.critical).map((e: { kind: string }) => e.kind),
    ).toEqual(["protection.failed", "position.unprotected", "auth.incident_opened", "delivery.notice"]);
  });

  it("merges a patch into the stored setting, audited as operator:api with an event; the outbox reads it", async () => {
    t = await apiTestServer();
    const r = await t.server.inject(
      patch({
        events: { "order.placed": "off", "order.filled": "silent", "protection.failed": "silent" },
        daily_summary: { time: "08:30", time_zone: "Europe/Berlin" },
      }),
    );
    expect(r.statusCode).toBe(200);
    const kinds = new Map(
      (r.json().events as { kind: string; value: string }[]).map((e) => [e.kind, e.value]),
    );
    expect(kinds.get("order.placed")).toBe("off");
    expect(kinds.get("order.filled")).toBe("silent");
    expect(kinds.get("protection.failed")).toBe("silent");
    expect(kinds.get("signal")).toBe("on");
    expect(r.json().daily_summary).toEqual({ enabled: true, time: "08:30", time_zone: "Europe/Berlin" });

    // a second patch keeps what the first set
    const again = await t.server.inject(patch({ events: { signal: "silent" }, throttle_minutes: 15 }));
    expect(again.statusCode).toBe(200);
    const stored = (await t.store.settings.get("telegram")).value;
    expect(stored.events).toEqual({
      "order.placed": "off",
      "order.filled": "silent",
      "protection.failed": "silent",
      signal: "silent",
    });
    expect(stored.throttleMinutes).toBe(15);
    expect(stored.dailySummary.timeZone).toBe("Europe/Berlin");
    expect(switchFor(stored, "order.placed")).toBe("off");
    expect((await t.server.inject({ method: "GET", url: URL })).json()).toEqual(again.json());

    const audit = await t.store.audit.list({ entity: "settings", entityId: "telegram" });
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.actor)).toEqual(["operator:api", "operator:api"]);
    const first = audit.find((a) => a.before === null);
    expect(first?.after).toMatchObject({ events: { "order.placed": "off" } });
    const events = (await t.store.events.after(0)).filter((e) => e.kind === "settings.changed");
    expect(events.map((e) => (e.payload as { key: string }).key)).toEqual(["telegram", "telegram"]);

    // the same patch again changes nothing: no write, no audit
    await t.server.inject(patch({ events: { signal: "silent" } }));
    expect(await t.store.audit.list({ entity: "settings", entityId: "telegram" })).toHaveLength(2);
  });

  it("names each bad field in a 400 and stores nothing", async () => {
    t = await apiTestServer();
    const cases: [string | object, string, RegExp][] = [
      [
        { events: { "order.filed": "off" } },
        "events",
        /not a notification kind: "order\.filed"; the kinds are signal, /,
      ],
      [{ events: { "order.filled": "loud" } }, "events.order.filled", /on|silent|off/],
      [{ events: { "auth.incident_opened": "off" } }, "events.auth.incident_opened", /never off/],
      ['{"events":{"__proto__":"off"}}', "events", /not a notification kind: "__proto__"/],
      [{ daily_summary: { time: "25:00" } }, "daily_summary.time", /HH:MM/],
      [{ daily_summary: { time_zone: "Mars/Olympus" } }, "daily_summary.time_zone", /IANA time zone/],
      [{ throttle_minutes: 0 }, "throttle_minutes", /.+/],
      [{ throttle_minutes: 1.5 }, "throttle_minutes", /.+/],
      [{ sound: true }, "body", /sound/],
    ];
    for (const [body, field, problem] of cases) {
      const r = await t.server.inject({
        method: "PATCH",
        url: URL,
        headers: { ...bearer(), "content-type": "application/json" },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      const err = r.json().error;
      expect(err.code).toBe("validation");
      const details = err.details as { field: string; problem: string }[];
      const hit = details.find((d) => d.field === field);
      expect(hit, `${JSON.stringify(body)} → ${JSON.stringify(details)}`).toBeDefined();
      expect(`${hit?.field}: ${hit?.problem}`).toMatch(problem);
    }
    expect((await t.store.settings.get("telegram")).source).toBe("default");
    expect(await t.store.audit.list({ entity: "settings" })).toEqual([]);
  });

  it("is a write route: no token → 401; a cookie session needs its CSRF token", async () => {
    t = await apiTestServer();
    const remote = "198.51.100.20";
    const none = await t.server.inject({ ...patch({ throttle_minutes: 5 }, {}), remoteAddress: remote });
    expect(none.statusCode).toBe(401);
    const login = await t.server.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { token: TEST_API_TOKEN },
    });
    const cookie = String(login.headers["set-cookie"]).split(";")[0] as string;
    const csrf = login.json().csrf_token as string;
    const noCsrf = await t.server.inject({
      ...patch({ throttle_minutes: 5 }, { cookie }),
      remoteAddress: remote,
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await t.store.settings.get("telegram")).source).toBe("default");
    const ok = await t.server.inject({
      ...patch({ throttle_minutes: 5 }, { cookie, "x-csrf-token": csrf }),
      remoteAddress: remote,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().throttle_minutes).toBe(5);
  });

  it("is in the OpenAPI document with its kinds", async () => {
    t = await apiTestServer();
    const doc = (await t.server.inject({ method: "GET", url: "/api/openapi.json" })).json();
    const path = doc.paths[URL];
    expect(path.get["x-atp-auth"]).toBe("read");
    expect(path.patch["x-atp-auth"]).toBe("write");
    const body = path.patch.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual(["daily_summary", "events", "throttle_minutes"]);
    expect(JSON.stringify(body.properties.events)).toContain("order.filled");
  });
});
