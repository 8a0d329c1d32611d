/**
 * Cookie sessions: login with the token (HttpOnly SameSite=Strict cookie, CSRF token for changes),
 * logout, and the one-time login code `atp start` prints (once, ten minutes).
 */
import { afterEach, describe, expect, it } from "vitest";
import { type ApiTestServer, apiTestServer, TEST_API_TOKEN } from "../../helpers/api-deps.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});
async function server() {
  t = await apiTestServer();
  return t;
}
const REMOTE = "198.51.100.20";

function cookieOf(setCookie: string | string[] | undefined): string {
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  expect(raw).toBeDefined();
  return (raw as string).split(";")[0] as string;
}

describe("cookie sessions", () => {
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
