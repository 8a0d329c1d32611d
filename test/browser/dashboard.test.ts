/**
 * The dashboard in headless Chromium against the fake API (test/browser/fake-api.ts): log in, every
 * page at 1280 and 390 px, edit a watchlist row, add and remove a coin, an order arriving through
 * the event stream, cancel, kill and live switches, settings, Telegram notification switches,
 * webhooks, a diagnosis run, the auth-failure banner, and "waiting for data" (not stale) before the
 * first data after a start. Each step asserts what the page shows and what the API received.
 * One browser and one page for the flows (steps run in order and share the session).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDashboard,
  disposeDashboard,
  launchBrowser,
  screenshot,
  textOnceContains,
  until,
} from "./browser.js";
import { type FakeApi, startFakeApi } from "./fake-api.js";
import { fixtureOrder } from "./fixtures.js";

let webRoot: string;
let fake: FakeApi;
let browser: Browser;
let page: Page;
const errors: string[] = [];

async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${fake.url}/#/${hash}`);
  await page.locator(ready).first().waitFor({ timeout: 5_000 });
}

beforeAll(async () => {
  [webRoot, browser] = await Promise.all([buildDashboard(), launchBrowser()]);
  fake = await startFakeApi({ webRoot });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => void d.accept());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  disposeDashboard(webRoot);
});

describe("the dashboard in a browser", () => {
  it("logs in from the printed link; the token leaves the address bar and the cookie is HttpOnly", async () => {
    await page.goto(`${fake.url}/login#token=${fake.token}`);
    await page.getByTestId("logged-in").waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain(fake.token);
    expect(await page.evaluate("document.cookie")).toBe("");
    expect(await page.evaluate('sessionStorage.getItem("atp.csrf")')).toMatch(/^[0-9a-f]{32}$/);
  });

  it("right after a start: WAITING FOR DATA, not STALE, until the first data arrives", async () => {
    fake.world.startUp();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${fake.url}/#/watchlist`);
      const badge = fresh.getByTestId("waiting-badge");
      await badge.waitFor({ timeout: 5_000 });
      expect(await fresh.getByTestId("stale-badge").count()).toBe(0);
      expect(await badge.getAttribute("title")).toContain("BTC_USD: no ticker received yet");
      await fresh.getByTestId("watch-BTC_USD").getByText("waiting").waitFor({ timeout: 5_000 });
      await screenshot(fresh, "waiting-for-data");
      fake.world.dataArrived();
      fake.emit("price", "BTC_USD", { last: "97250.50" });
      // the data is here; CRO_USD's is stale in the fixture, and now the badge says so
      await fresh.getByTestId("stale-badge").waitFor({ timeout: 5_000 });
      expect(await fresh.getByTestId("stale-badge").getAttribute("title")).toContain(
        "CRO_USD: no ticker for 45 s",
      );
    } finally {
      fake.world.dataArrived();
      await context.close();
    }
  });

  it("a failed read is shown and tried again, not left loading (trading state, settings, webhooks)", async () => {
    const reads = ["/api/trading", "/api/settings", "/api/webhooks"];
    for (const r of reads) fake.world.failingReads.add(r); // the store does not answer
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${fake.url}/#/settings`);
      for (const what of ["trading state", "settings", "webhooks"])
        await textOnceContains(fresh, "[data-testid=read-error]", `Could not read the ${what} (`);
      // the reason is the API's own message
      await textOnceContains(fresh, "[data-testid=read-error]", "the store is not answering");
      // it answers again: the next try (every 2 s) shows the panels, and the errors go
      fake.world.failingReads.clear();
      await fresh.getByTestId("kill-toggle").waitFor({ timeout: 10_000 });
      await fresh.getByText("Save settings").waitFor({ timeout: 10_000 });
      await expect.poll(() => fresh.locator(".error").count(), { timeout: 10_000 }).toBe(0);
    } finally {
      fake.world.failingReads.clear();
      await context.close();
    }
  });

  it("without a session a change asks for the token, and works once logged in", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${fake.url}/#/settings`);
      await fresh.getByTestId("kill-toggle").click();
      const dialog = fresh.getByTestId("login-dialog");
      await dialog.waitFor({ timeout: 5_000 });
      expect(fake.world.killSwitch).toBe(false);
      await dialog.getByLabel("API token").fill("wrong");
      await dialog.getByRole("button", { name: "Log in" }).click();
      await textOnceContains(fresh, "[data-testid=login-dialog] .error", "wrong token");
      await dialog.getByLabel("API token").fill(fake.token);
      await dialog.getByRole("button", { name: "Log in" }).click();
      await fresh.getByTestId("logged-in").waitFor({ timeout: 5_000 });
      await fresh.getByTestId("kill-toggle").click();
      await until("kill switch on", () => fake.world.killSwitch);
      await fresh.getByTestId("kill-toggle").click();
      await until("kill switch off", () => !fake.world.killSwitch);
    } finally {
      await context.close();
    }
  });

  it("portfolio: balances, total and positions exactly as the API sent them", async () => {
    await open("portfolio", "[data-testid=positions]");
    expect(await page.getByTestId("total-usd").textContent()).toBe("12345.67890000");
    expect(await page.getByTestId("balances").textContent()).toContain("11990.29990000");
    const positions = (await page.getByTestId("positions").textContent()) ?? "";
    expect(positions).toContain("PROTECTED");
    expect(positions).toContain("0.02494000");
    expect(await page.getByTestId("mode-badge").textContent()).toBe("DEMO");
    // CRO_USD's market data is stale in the fixture: the badge says so
    expect(await page.getByTestId("stale-badge").getAttribute("title")).toContain(
      "CRO_USD: no ticker for 45 s",
    );
  });

  it("watchlist: indicators, the decision's conditions and the chart with markers", async () => {
    await open("watchlist/BTC_USD", "[data-testid=chart-info]");
    // indicators rounded for reading (RSI to 1 decimal, the volume ratio to 2), every digit in the title
    const rsi = page.locator("[data-testid=watch-BTC_USD] td[data-label=RSI]");
    expect(await rsi.textContent()).toBe("28.4");
    expect(await rsi.getAttribute("title")).toBe("28.4012345678901");
    const ratio = page.locator("[data-testid=watch-BTC_USD] td[data-label='Vol ratio']");
    expect(await ratio.textContent()).toBe("1.80");
    await page.getByTestId("decision-BTC_USD").hover();
    await textOnceContains(page, "[data-testid=watch-BTC_USD] [role=tooltip]", "rsi_below");
    expect(await page.getByTestId("chart-info").textContent()).toContain("200 candles · 2 markers");
    expect(await page.locator("[data-testid=chart] canvas").count()).toBeGreaterThan(0);
  });

  it("edits a watchlist row inline and toggles trading; only the changed fields are sent", async () => {
    const row = page.getByTestId("watch-BTC_USD");
    await row.getByRole("button", { name: "Edit" }).click();
    await row.getByLabel("Amount USD BTC_USD").fill("25.50");
    await row.getByLabel("SL % BTC_USD").fill("3");
    await row.getByRole("button", { name: "Save" }).click();
    await textOnceContains(page, "[data-testid=watch-BTC_USD]", "25.50");
    expect(fake.world.received).toContainEqual({
      method: "PATCH",
      url: "/api/watchlist/BTC_USD",
      body: { amount_usd: "25.50", sl_pct: "3" },
    });
    await page.getByLabel("Trade DOGE_USD").click(); // applied once the API confirms
    await until("DOGE_USD trading on", () => fake.world.watchlist.get("DOGE_USD")?.trade_enabled === true);
    await page.locator("[aria-label='Trade DOGE_USD']:checked").waitFor({ timeout: 5_000 });
  });

  it("adds a coin (an unknown one is refused with the closest names) and removes it", async () => {
    const form = page.getByTestId("add-coin");
    await form.getByPlaceholder("Symbol (BTC_USD)").fill("XRB_USD");
    await form.getByRole("button", { name: "Add coin" }).click();
    await textOnceContains(page, "[data-testid=add-coin] .error", "did you mean XRP_USD");
    await form.getByPlaceholder("Symbol (BTC_USD)").fill("xrp_usd");
    await form.getByPlaceholder("Amount USD").fill("15");
    await form.getByRole("button", { name: "Add coin" }).click();
    await page.getByTestId("watch-XRP_USD").waitFor({ timeout: 5_000 });
    expect(fake.world.watchlist.get("XRP_USD")?.amount_usd).toBe("15");
    await page.getByTestId("watch-XRP_USD").getByRole("button", { name: "Remove" }).click();
    await page.getByTestId("watch-XRP_USD").waitFor({ state: "detached", timeout: 5_000 });
    expect(fake.world.watchlist.has("XRP_USD")).toBe(false);
  });

  it("shows an order that arrives through the event stream, and cancels it", async () => {
    await open("orders", "[data-testid=protection-legs]");
    // a stop-limit leg: its limit price, and its trigger under it; a limit order has no trigger line
    const slPrice = page.locator("[data-testid=protection-legs] [data-testid=order-o-sl] [data-label=Price]");
    expect(await slPrice.textContent()).toBe("94575.00trigger 95060.00");
    expect(await page.locator("[data-testid=protection-legs] [data-testid=trigger-o-sl]").textContent()).toBe(
      "trigger 95060.00",
    );
    await until("the page's event stream", () => fake.streams() > 0);
    const before = Number(await page.getByTestId("event-count").textContent());
    fake.world.orders.push(
      fixtureOrder({
        id: "o-live",
        symbol: "ETH_USD",
        type: "LIMIT",
        status: "ACTIVE",
        price: "3390.00",
        filled_quantity: "0",
        avg_price: null,
      }),
    );
    fake.emit("order.placed", "ETH_USD", { order_id: "o-live" });
    // the fallback read comes every 60 s: within 5 s only the stream can have brought it
    await page.locator("[data-testid=open-orders] [data-testid=order-o-live]").waitFor({ timeout: 5_000 });
    expect(await page.getByTestId("trigger-o-live").count()).toBe(0);
    expect(Number(await page.getByTestId("event-count").textContent())).toBeGreaterThan(before);
    await page.getByTestId("cancel-o-live").click();
    await page.locator("[data-testid=order-o-live]").first().waitFor({ state: "detached", timeout: 5_000 });
    expect(fake.world.orders.find((o) => o.id === "o-live")?.status).toBe("CANCELED");
  });

  it("settings: kill switch, live switch with the typed confirmation, limits, a webhook", async () => {
    await open("settings", "[data-testid=kill-toggle]");
    await page.getByTestId("kill-toggle").click();
    await textOnceContains(page, "[data-testid=kill-badge]", "KILL SWITCH ON");
    expect(fake.world.killSwitch).toBe(true);
    await page.getByTestId("kill-toggle").click();
    await textOnceContains(page, "[data-testid=kill-badge]", "kill switch off");

    await page.getByRole("button", { name: "Turn live trading off" }).click();
    await page.getByTestId("live-on").click();
    const confirm = page.getByTestId("live-confirm");
    await confirm.getByLabel("Type LIVE to confirm").fill("live");
    expect(await confirm.getByRole("button", { name: "Turn on" }).isDisabled()).toBe(true);
    await confirm.getByLabel("Type LIVE to confirm").fill("LIVE");
    await confirm.getByRole("button", { name: "Turn on" }).click();
    await textOnceContains(page, "[data-testid=live-state]", "on");
    expect(fake.world.received.filter((r) => r.url === "/api/trading/live").map((r) => r.body)).toEqual([
      { enabled: false },
      { enabled: true, confirm: "LIVE" },
    ]);

    await page.getByLabel("Max USD per order").fill("150.00");
    await page.getByLabel("Daily loss limit (USD)").fill("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await until("settings saved", () => fake.world.settings.limits.max_usd_per_order === "150.00");
    expect(fake.world.settings.loss_protection.daily_loss_limit_usd).toBeNull();

    await page.getByLabel("Webhook name").fill("tv-btc");
    await page.getByRole("button", { name: "Create webhook" }).click();
    const secret = fake.world.webhooks.get("tv-btc")?.secret ?? "missing";
    await textOnceContains(page, "[data-testid=webhook-secret]", secret);
    await screenshot(page, "settings-webhook-created");
    await page.getByRole("button", { name: "I have saved it" }).click();
    await page.getByTestId("webhook-tv-btc").waitFor({ timeout: 5_000 });
    expect(await page.content()).not.toContain(secret);
    await page.getByTestId("webhook-tv-btc").getByRole("button", { name: "Delete" }).click();
    await page.getByTestId("webhook-tv-btc").waitFor({ state: "detached", timeout: 5_000 });
  });

  it("settings: Telegram notification switches per kind, critical never off; only the changes are sent", async () => {
    await open("settings", "[data-testid=notification-switches]");
    const form = page.getByTestId("notification-switches");
    const save = form.getByRole("button", { name: "Save notifications" });
    expect(await save.isDisabled()).toBe(true);
    // a critical kind offers on and silent, never off
    const critical = await form
      .getByTestId("notify-protection.failed")
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as { value: string }).value));
    expect(critical).toEqual(["on", "silent"]);
    expect(await form.getByTestId("notify-order.placed").inputValue()).toBe("silent");

    await form.getByTestId("notify-order.placed").selectOption("off");
    await form.getByTestId("notify-signal").selectOption("silent");
    await form.getByLabel("Summary time (HH:MM)").fill("25:00");
    await save.click();
    await textOnceContains(page, "[data-testid=notification-switches] .error", "daily_summary.time");
    expect(fake.world.notifications.daily_summary.time).toBe("20:00");

    await form.getByLabel("Summary time (HH:MM)").fill("08:30");
    await form.getByLabel("Summary time zone").fill("Europe/Berlin");
    await save.click();
    await until("notifications saved", () => fake.world.notifications.daily_summary.time === "08:30");
    const sent = fake.world.received.filter((r) => r.url === "/api/settings/notifications");
    expect(sent.at(-1)).toEqual({
      method: "PATCH",
      url: "/api/settings/notifications",
      body: {
        events: { signal: "silent", "order.placed": "off" },
        daily_summary: { time: "08:30", time_zone: "Europe/Berlin" },
      },
    });
    const kinds = new Map(fake.world.notifications.events.map((e) => [e.kind, e.value]));
    expect(kinds.get("order.placed")).toBe("off");
    expect(kinds.get("order.filled")).toBe("on");
    // the form shows the stored answer, nothing left to save
    await page
      .locator("[data-testid=notification-switches] button[type=submit]:disabled")
      .waitFor({ timeout: 5_000 });
    expect(await form.getByTestId("notify-order.placed").inputValue()).toBe("off");
    await screenshot(page, "settings-notifications");
  });

  it("runs a diagnosis and shows the stored report", async () => {
    await open("diagnostics", "[data-testid=last-report]");
    expect(await page.getByTestId("outbound-ip").textContent()).toBe("203.0.113.7");
    await page.getByTestId("run-diagnosis").click();
    await textOnceContains(page, "[data-testid=last-report]", "trigger manual");
    expect(fake.world.diagnosisRuns).toBe(1);
  });

  it("shows the banner while the exchange rejects our key, with the diagnosis and a link to it", async () => {
    await open("portfolio", "[data-testid=positions]");
    fake.world.failAuth("key_invalid_or_revoked", Date.now());
    fake.emit("trading.auth_circuit_open", null);
    const banner = await textOnceContains(page, "[data-testid=auth-banner]", "key_invalid_or_revoked");
    expect(banner).toContain("40101 UNAUTHORIZED");
    expect(await page.getByTestId("stale-badge").getAttribute("title")).toContain("balances not verified");
    await screenshot(page, "auth-failed");
    await page.getByRole("link", { name: /See the diagnosis/ }).click();
    await textOnceContains(page, "[data-testid=causes]", "Create a new key on the exchange");
    expect(page.url()).toMatch(/#\/diagnostics$/);
  });

  it("every page fits 1280 px and a 390 px phone screen without side scrolling", async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const name of ["portfolio", "watchlist", "orders", "diagnostics", "settings"]) {
        await open(name, `nav a[aria-current=page][href="#/${name}"]`);
        await page.locator("main section").waitFor({ timeout: 5_000 });
        expect(
          await page.evaluate("document.documentElement.scrollWidth"),
          `${name} at ${width}`,
        ).toBeLessThanOrEqual(width);
        await screenshot(page, name);
      }
    }
    expect(errors).toEqual([]);
  });
});
