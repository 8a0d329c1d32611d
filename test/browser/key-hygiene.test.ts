/**
 * The key hygiene banner in headless Chromium against the fake API (test/browser/fake-api.ts): a
 * Read + Trade key shows none; a withdraw-capable key shows the warning with the fix and the
 * rotation section of docs/operations.md; with ATP_REFUSE_WITHDRAW_KEYS=true it says live trading is
 * refused; the signing proxy's key is named as such. Each state arrives through the event stream
 * (the page re-reads the state), never a reload.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, disposeDashboard, launchBrowser, screenshot, textOnceContains } from "./browser.js";
import { type FakeApi, startFakeApi } from "./fake-api.js";

let webRoot: string;
let fake: FakeApi;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const BANNER = "[data-testid=key-hygiene-banner]";

beforeAll(async () => {
  [webRoot, browser] = await Promise.all([buildDashboard(), launchBrowser()]);
  fake = await startFakeApi({ webRoot });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${fake.url}/login#token=${fake.token}`);
  await page.getByTestId("logged-in").waitFor({ timeout: 10_000 });
  await page.goto(`${fake.url}/#/portfolio`);
  await page.locator("[data-testid=positions]").first().waitFor({ timeout: 5_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  disposeDashboard(webRoot);
});

/** Changes the fake's reading and tells the page (an event makes it re-read the state). */
async function reading(k: FakeApi["world"]["keyHygiene"]): Promise<void> {
  fake.world.keyHygiene = k;
  await textOnceContains(page, "footer", "live updates on");
  fake.emit("settings.changed", null, {});
}

describe("the key hygiene banner", () => {
  it("a key that cannot withdraw: no banner", async () => {
    expect(fake.world.keyHygiene.key_can_withdraw).toBe(false);
    expect(await page.locator(BANNER).count()).toBe(0);
  });

  it("a withdraw-capable key: the warning, the fix and the rotation section of docs/operations.md", async () => {
    await reading({
      key_can_withdraw: true,
      via: "direct",
      detail: "private/get-deposit-address answered",
      trading_refused: false,
    });
    const text = await textOnceContains(page, BANNER, "can withdraw");
    expect(text).toContain("The API key can withdraw funds");
    expect(text).toContain("Read + Trade only (withdrawal off)");
    expect(text).toContain("docs/operations.md#rotating-keys-without-downtime");
    expect(text).toContain("atp still trades with it");
    expect(await page.locator(BANNER).getAttribute("class")).toContain("warn");
    await screenshot(page, "key-hygiene-warning");
  });

  it("ATP_REFUSE_WITHDRAW_KEYS=true: says live trading is refused; the proxy's key is named", async () => {
    await reading({
      key_can_withdraw: true,
      via: "proxy",
      detail: "the proxy's /health: key_can_withdraw true",
      trading_refused: true,
    });
    const text = await textOnceContains(page, BANNER, "Live trading is refused");
    expect(text).toContain("The signing proxy's API key can withdraw funds");
    expect(text).toContain("ATP_REFUSE_WITHDRAW_KEYS=true");
    expect(await page.locator(BANNER).getAttribute("class")).toContain("danger");
    await screenshot(page, "key-hygiene-refused");
  });

  it("the key replaced: the banner goes", async () => {
    await reading({
      key_can_withdraw: false,
      via: "direct",
      detail: "private/get-deposit-address refused (40101)",
      trading_refused: false,
    });
    await page.locator(BANNER).waitFor({ state: "detached", timeout: 5_000 });
    expect(errors).toEqual([]);
  });
});
