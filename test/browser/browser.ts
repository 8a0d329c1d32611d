/**
 * The browser tests' plumbing: build the dashboard from web/ into a temp dir (the tests always see
 * the current source, never a stale dist/web), launch the system Chromium through playwright-core
 * (one browser per test file, pages reused), screenshots into test-results/ (gitignored).
 *
 * Invariants: no fixed sleeps — every wait is on a condition in the page (or the fake) with a bound.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SHOTS = join(REPO_ROOT, "test-results");

/** `vite build` of web/ into a fresh temp dir; resolves to that dir. */
/** The newest modification time of the files under `dir` (ms). */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The built dashboard: `dist/web` when `npm run build` made it after the last change under web/
 * (CI builds before testing), else a fresh build into a temporary folder.
 */
export async function buildDashboard(): Promise<string> {
  const built = join(REPO_ROOT, "dist", "web");
  const index = join(built, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestUnder(join(REPO_ROOT, "web"))) return built;
  const outDir = mkdtempSync(join(tmpdir(), "atp-web-"));
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  await promisify(execFile)(
    process.execPath,
    [
      vite,
      "build",
      "--config",
      "web/vite.config.ts",
      "--outDir",
      outDir,
      "--emptyOutDir",
      "--logLevel",
      "error",
    ],
    { cwd: REPO_ROOT, timeout: 60_000 },
  );
  return outDir;
}

/** Removes a dashboard build made by buildDashboard (never the repository's dist/web). */
export function disposeDashboard(dir: string | undefined): void {
  if (dir?.startsWith(tmpdir())) rmSync(dir, { recursive: true, force: true });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(SHOTS, `dashboard-${name}-${width}.png`), fullPage: true });
}

/** Waits until `condition()` holds (polled every 25 ms, at most `ms`); fails with `what`. */
export async function until(what: string, condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The page's text at `selector` once it contains `text` (waits at most 5 s). */
export async function textOnceContains(page: Page, selector: string, text: string): Promise<string> {
  const locator = page.locator(selector).filter({ hasText: text }).first();
  await locator.waitFor({ timeout: 5_000 });
  return (await locator.textContent()) ?? "";
}
