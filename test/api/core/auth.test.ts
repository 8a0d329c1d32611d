/**
 * The auth matrix: loopback reads without a token while bound to loopback; writes need the token;
 * a wrong token is 401 and, repeated, 429 with Retry-After (per client IP, ManualTime-driven);
 * cookie login with CSRF for changes; the one-time login code; bound to a non-loopback host every
 * route but /api/health needs auth; no CORS headers unless configured.
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

function cookieOf(setCookie: string | string[] | undefined): string {
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  expect(raw).toBeDefined();
  return (raw as string).split(";")[0] as string;
}

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

  it("logs in with the token: HttpOnly SameSite=Strict cookie; changes through it need X-CSRF-Token", async () => {
    const s = await server();
    const badLogin = await s.server.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { token: "nope" },
    });
    expect(badLogin.statusCode).toBe(401);
    const login = await s.server.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { token: TEST_API_TOKEN },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers["set-cookie"]);
    expect(setCookie).toMatch(/^atp_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TEST_API_TOKEN);
    const cookie = cookieOf(login.headers["set-cookie"]);
    const csrf = login.json().csrf_token as string;
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const read = await s.server.inject({
      method: "GET",
      url: "/api/trading",
      headers: { cookie },
      remoteAddress: REMOTE,
    });
    expect(read.statusCode).toBe(200);
    const change = {
      method: "POST" as const,
      url: "/api/trading/kill-switch",
      payload: { enabled: true },
      remoteAddress: REMOTE,
    };
    const noCsrf = await s.server.inject({ ...change, headers: { cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe("forbidden");
    const wrongCsrf = await s.server.inject({ ...change, headers: { cookie, "x-csrf-token": `${csrf}x` } });
    expect(wrongCsrf.statusCode).toBe(403);
    const withCsrf = await s.server.inject({ ...change, headers: { cookie, "x-csrf-token": csrf } });
    expect(withCsrf.statusCode).toBe(200);
    expect((await s.store.settings.killSwitch()).value).toBe(true);

    const session = await s.server.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } });
    expect(session.json()).toEqual({ authenticated: true, via: "cookie", csrf_token: csrf });
    await s.server.inject({ method: "POST", url: "/api/auth/logout", headers: { cookie } });
    const after = await s.server.inject({
      method: "GET",
      url: "/api/trading",
      headers: { cookie },
      remoteAddress: REMOTE,
    });
    expect(after.statusCode).toBe(401);
  });

  it("redeems a one-time login code once: cookie and redirect to /", async () => {
    const s = await server();
    const code = s.server.issueLoginCode();
    const r = await s.server.inject({ method: "GET", url: `/login?code=${code}`, remoteAddress: REMOTE });
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe("/");
    const cookie = cookieOf(r.headers["set-cookie"]);
    const read = await s.server.inject({
      method: "GET",
      url: "/api/settings",
      headers: { cookie },
      remoteAddress: REMOTE,
    });
    expect(read.statusCode).toBe(200);
    const again = await s.server.inject({ method: "GET", url: `/login?code=${code}`, remoteAddress: REMOTE });
    expect(again.statusCode).toBe(401);
  });

  it("expires login codes after ten minutes", async () => {
    const s = await server();
    const code = s.server.issueLoginCode();
    await s.time.advance(10 * 60_000 + 1);
    expect((await s.server.inject({ method: "GET", url: `/login?code=${code}` })).statusCode).toBe(401);
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
