/**
 * The auth matrix: loopback reads without a token while bound to loopback; writes need the token;
 * a wrong token is 401 and, repeated, 429 with Retry-After (per client IP, ManualTime-driven);
 * bound to a non-loopback host every route but /api/health needs auth; no CORS headers unless
 * configured. (Cookie sessions: auth-session.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_BLOCK_MS, AUTH_MAX_FAILURES } from "../../../src/api/auth/throttle.js";
import {
  type ApiTestOptions,
  type ApiTestServer,
  apiTestServer,
  bearer,
  TEST_API_TOKEN,
} from "../../helpers/api-deps.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
async function server(o: ApiTestOptions = {}) {
  t = await apiTestServer(o);
  return t;
}
const REMOTE = "198.51.100.20";

describe("auth on a loopback-bound server", () => {
  it("lets loopback clients read without a token, but not change", async () => {
    const s = await server();
    expect((await s.server.inject({ method: "GET", url: "/api/trading" })).statusCode).toBe(200);
    const w = await s.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      payload: { enabled: true },
    });
    expect(w.statusCode).toBe(401);
    expect(w.json().error.code).toBe("unauthorized");
    expect(w.headers["www-authenticate"]).toMatch(/Bearer/);
    expect((await s.store.settings.killSwitch()).value).toBe(false);
    const ok = await s.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: bearer(),
      payload: { enabled: true },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().kill_switch).toBe(true);
  });

  it("refuses reads from a non-loopback client without the token", async () => {
    const s = await server();
    const r = await s.server.inject({ method: "GET", url: "/api/trading", remoteAddress: REMOTE });
    expect(r.statusCode).toBe(401);
    const h = await s.server.inject({ method: "GET", url: "/api/health", remoteAddress: REMOTE });
    expect(h.statusCode).toBe(200);
  });

  it("answers a wrong token with 401, then 429 with Retry-After for that IP only, until the block ends", async () => {
    const s = await server();
    const bad = {
      method: "GET" as const,
      url: "/api/trading",
      headers: bearer("wrong"),
      remoteAddress: REMOTE,
    };
    for (let i = 0; i < AUTH_MAX_FAILURES; i++) expect((await s.server.inject(bad)).statusCode).toBe(401);
    const blocked = await s.server.inject(bad);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({ code: "throttled", retryable: true });
    expect(Number(blocked.headers["retry-after"])).toBe(AUTH_BLOCK_MS / 1000);
    // even the right token waits while blocked; another IP is not affected
    const right = { ...bad, headers: bearer() };
    expect((await s.server.inject(right)).statusCode).toBe(429);
    expect((await s.server.inject({ ...right, remoteAddress: "198.51.100.21" })).statusCode).toBe(200);
    await s.time.advance(AUTH_BLOCK_MS - 10_000);
    expect(Number((await s.server.inject(right)).headers["retry-after"])).toBe(10);
    await s.time.advance(10_000);
    expect((await s.server.inject(right)).statusCode).toBe(200);
    const metrics = await s.server.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toMatch(/atp_api_auth_failures_total\{reason="bad bearer token"\} 5/);
  });
});

describe("auth on a non-loopback server", () => {
  it("needs credentials for every route but /api/health, even from loopback clients", async () => {
    const s = await server({ host: "0.0.0.0" });
    for (const url of [
      "/api/trading",
      "/api/settings",
      "/metrics",
      "/api/openapi.json",
      "/api/health/ready",
    ]) {
      const r = await s.server.inject({ method: "GET", url });
      expect({ url, status: r.statusCode }).toEqual({ url, status: 401 });
    }
    expect((await s.server.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    expect(
      (await s.server.inject({ method: "GET", url: "/api/trading", headers: bearer() })).statusCode,
    ).toBe(200);
  });

  it("warns loudly without TLS, and not with it", async () => {
    const lines: string[] = [];
    await server({ host: "0.0.0.0", logLines: lines });
    expect(lines.join("\n")).toMatch(/"level":40.*0\.0\.0\.0 WITHOUT TLS/);
    expect(lines.join("\n")).not.toContain(TEST_API_TOKEN);
    await t?.close();
    const quiet: string[] = [];
    await server({ host: "0.0.0.0", tls: true, logLines: quiet });
    expect(quiet.join("\n")).not.toMatch(/WITHOUT TLS/);
  });
});

describe("CORS", () => {
  it("sends no CORS headers unless configured", async () => {
    const s = await server();
    const r = await s.server.inject({
      method: "GET",
      url: "/api/trading",
      headers: { origin: "https://evil.example" },
    });
    expect(r.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers configured origins only, preflight included", async () => {
    const s = await server({ corsOrigins: ["https://ok.example"] });
    const pre = await s.server.inject({
      method: "OPTIONS",
      url: "/api/trading/kill-switch",
      headers: { origin: "https://ok.example" },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("https://ok.example");
    const other = await s.server.inject({
      method: "GET",
      url: "/api/trading",
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
