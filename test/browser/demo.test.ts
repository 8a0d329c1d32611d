/**
 * The dashboard against the REAL platform: `atp start --demo-fault key_revoked` (the bundled CLI, a
 * child process, the demo with its in-process emulator) in headless Chromium — the printed one-time
 * login link, the DEMO badge, the auth-failure banner with the doctor's diagnosis, the fault cleared
 * through `POST /api/demo/fault`, and a manual `POST /api/orders` arriving on the Orders page
 * through the event stream (no reload).
 *
 * Invariants:
 * - Everything lives in one temp dir T, the child's working directory (its ./data/demo is fresh):
 *   the bundle at T/dist/app/platform/atp.mjs so the platform's dashboard lookup (`../../web/`,
 *   src/app/platform/api.ts) finds the dashboard built from the current web/ into T/dist/web;
 *   T/dist/config and T/node_modules link to the repository's (strategies.json, external packages).
 * - A free port (PORT); no fixed sleeps: every wait is on the child's output, the API or the page.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../helpers/cli.js";
import { bundleCli } from "../helpers/cli-bundle.js";
import { freePort, StartedAtp, stopAllPlatform } from "../platform/proc.js";
import { buildDashboard, launchBrowser, REPO_ROOT, screenshot, textOnceContains } from "./browser.js";

let dir: string;
let atp: StartedAtp;
let api: string;
let loginUrl: string;
let browser: Browser;
let page: Page;
const errors: string[] = [];

async function startDemo(): Promise<ChildProcess> {
  dir = mkdtempSync(join(tmpdir(), "atp-browser-demo-"));
  const [web, bundle] = await Promise.all([buildDashboard(), bundleCli()]);
  const app = join(dir, "dist", "app", "platform");
  mkdirSync(app, { recursive: true });
  copyFileSync(bundle.file, join(app, "atp.mjs"));
  symlinkSync(web, join(dir, "dist", "web"));
  symlinkSync(join(REPO_ROOT, "config"), join(dir, "dist", "config"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  return spawn(process.execPath, [join(app, "atp.mjs"), "start", "--demo-fault", "key_revoked"], {
    cwd: dir,
    env: cleanEnv({ PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The data dir's API token (`atp start` writes it on the first start). */
const token = () => readFileSync(join(dir, "data", "demo", "api-token"), "utf8").trim();

async function send(
  method: "POST" | "PATCH",
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const post = (path: string, body: unknown) => send("POST", path, body);

beforeAll(async () => {
  const [child, b] = await Promise.all([startDemo(), launchBrowser()]);
  browser = b;
  atp = new StartedAtp(child);
  await atp.line(/^atp start: ready \(/, 20_000);
  loginUrl = (await atp.line(/^ {2}dashboard: /, 1_000)).split(/\s+/)[2] ?? "";
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stopAllPlatform();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the dashboard on the real demo (atp start --demo-fault key_revoked)", () => {
  it("logs in from the printed one-time link and shows mode DEMO", async () => {
    expect(loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=/);
    await page.goto(loginUrl);
    await page.getByTestId("logged-in").waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain("code=");
    await textOnceContains(page, "[data-testid=mode-badge]", "DEMO");
  });

  it("shows the auth-failure banner with the doctor's diagnosis", async () => {
    const banner = await textOnceContains(page, "[data-testid=auth-banner]", "key_invalid_or_revoked");
    expect(banner).toContain("40101");
    await screenshot(page, "demo-auth-failed");
  });

  it("clears the fault through POST /api/demo/fault: the breaker probes at once and the banner goes", async () => {
    const res = await post("/api/demo/fault", { cause: null });
    expect(res).toMatchObject({ status: 200, body: { cause: null } });
    await page.locator("[data-testid=auth-banner]").waitFor({ state: "detached", timeout: 15_000 });
    await screenshot(page, "demo-fault-cleared");
  });

  it("a manual order is filled and appears through the event stream", async () => {
    await page.goto(`${api}/#/orders`);
    await page.locator('nav a[aria-current=page][href="#/orders"]').waitFor({ timeout: 5_000 });
    await textOnceContains(page, "footer", "live updates on");
    const before = Number(await page.getByTestId("event-count").textContent());
    // a coin the demo's strategies do not trade (preset "external": webhook signals only), so no
    // automatic position or cooldown of the demo can stand in the way of this manual order
    const added = await post("/api/watchlist", {
      symbol: "XRP_USD",
      amount_usd: "20",
      sl_pct: "2",
      tp_pct: "3",
      trade_enabled: true,
      preset: "external",
    });
    expect([200, 201]).toContain(added.status);
    // nor the total of open positions: the five demo coins may hold one each (the default limit)
    const limits = await send("PATCH", "/api/settings", { limits: { max_open_positions_total: 50 } });
    expect(limits.status, JSON.stringify(limits.body)).toBe(200);
    const res = await post("/api/orders", { symbol: "XRP_USD", side: "BUY", amount_usd: "20" });
    expect(res, JSON.stringify(res.body)).toMatchObject({
      status: 200,
      body: { outcome: "filled", mode: "DEMO" },
    });
    const id = String(
      (res.body.orders as { id: string; role: string }[]).find((o) => o.role === "ENTRY")?.id,
    );
    // the fallback read comes every 60 s: within 5 s only the stream can have brought it
    const row = page.locator(`[data-testid=executed-orders] [data-testid="order-${id}"]`);
    await row.waitFor({ timeout: 5_000 });
    expect(await row.textContent()).toContain("XRP_USD");
    expect(Number(await page.getByTestId("event-count").textContent())).toBeGreaterThan(before);
    await screenshot(page, "demo-order-filled");
    expect(errors).toEqual([]);
  });
});
