/**
 * Over a real loopback socket: the server listens, answers health and readiness, the seed's
 * loopback read without a token, the bearer requirement for changes, a deep JSON body (400) and a
 * 2 MiB body (413) as a client sends them; the built dashboard is served at `/` with the SPA
 * fallback; the token file is created once with mode 0600.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { API_TOKEN_FILE, loadOrCreateApiToken, secretsEqual } from "../../../src/api/auth/token.js";
import { type ApiTestOptions, type ApiTestServer, apiTestServer, bearer } from "../../helpers/api-deps.js";

let t: ApiTestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function listening(o: ApiTestOptions = {}) {
  t = await apiTestServer(o);
  const base = await t.server.listen("127.0.0.1", 0);
  return { s: t, base };
}

describe("over loopback HTTP", () => {
  it("serves health, readiness, reads without a token and refuses unauthenticated changes", async () => {
    const { s, base } = await listening();
    const h = await request(`${base}/api/health`);
    expect(h.statusCode).toBe(200);
    expect(await h.body.json()).toEqual({ status: "ok", version: "0.0.0-test", uptime_s: 0 });
    s.engine.running = false;
    const ready = await request(`${base}/api/health/ready`);
    expect(ready.statusCode).toBe(503);
    const body = (await ready.body.json()) as { ready: boolean; checks: { name: string; ok: boolean }[] };
    expect(body.ready).toBe(false);
    expect(body.checks.find((c) => c.name === "engine")?.ok).toBe(false);
    expect(body.checks.find((c) => c.name === "store")?.ok).toBe(true);
    s.engine.running = true;
    expect((await request(`${base}/api/health/ready`)).statusCode).toBe(200);

    const read = await request(`${base}/api/settings`);
    expect(read.statusCode).toBe(200);
    expect(
      ((await read.body.json()) as { limits: { max_usd_per_order: string } }).limits.max_usd_per_order,
    ).toBe("100");
    const change = await request(`${base}/api/trading/kill-switch`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ enabled: true }),
    });
    expect(change.statusCode).toBe(401);
    await change.body.dump();
  });

  it("refuses a 100k-deep body with 400 and a 2 MiB body with 413, and keeps serving", async () => {
    const { base } = await listening();
    const headers = { ...bearer(), "content-type": "application/json" };
    const deep = await request(`${base}/api/trading/kill-switch`, {
      method: "POST",
      headers,
      body: `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    });
    expect(deep.statusCode).toBe(400);
    expect(((await deep.body.json()) as { error: { code: string } }).error.code).toBe("validation");
    const big = await request(`${base}/api/trading/kill-switch`, {
      method: "POST",
      headers,
      body: JSON.stringify({ enabled: true, pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    await big.body.dump();
    expect((await request(`${base}/api/health`)).statusCode).toBe(200);
  });

  it("serves the built dashboard at / with the SPA fallback, and 404 JSON under /api", async () => {
    const webRoot = mkdtempSync(join(tmpdir(), "atp-web-"));
    dirs.push(webRoot);
    mkdirSync(join(webRoot, "assets"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>atp</title>");
    writeFileSync(join(webRoot, "assets", "app.js"), "console.log(1)");
    const { base } = await listening({ webRoot, host: "0.0.0.0" });
    const root = await request(`${base}/`);
    expect(root.statusCode).toBe(200);
    expect(await root.body.text()).toContain("<title>atp</title>");
    const asset = await request(`${base}/assets/app.js`);
    expect(await asset.body.text()).toBe("console.log(1)");
    const spa = await request(`${base}/orders/123`);
    expect(spa.statusCode).toBe(200);
    expect(await spa.body.text()).toContain("<title>atp</title>");
    const api = await request(`${base}/api/nope`, { headers: bearer() });
    expect(api.statusCode).toBe(404);
    expect(((await api.body.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("the API token", () => {
  it("is generated once into the data dir with mode 0600, and ATP_API_TOKEN wins", () => {
    const dir = mkdtempSync(join(tmpdir(), "atp-token-"));
    dirs.push(dir);
    const first = loadOrCreateApiToken(dir);
    expect(first.created).toBe(true);
    expect(first.file).toBe(join(dir, API_TOKEN_FILE));
    expect(statSync(first.file as string).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file as string, "utf8").trim()).toBe(first.token);
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    const again = loadOrCreateApiToken(dir);
    expect(again).toEqual({ token: first.token, created: false, file: first.file });
    expect(loadOrCreateApiToken(dir, "from-env")).toEqual({ token: "from-env", created: false, file: null });
  });

  it("compares secrets of any length without throwing", () => {
    expect(secretsEqual("abc", "abc")).toBe(true);
    expect(secretsEqual("abc", "abcd")).toBe(false);
    expect(secretsEqual("", "abc")).toBe(false);
  });
});
