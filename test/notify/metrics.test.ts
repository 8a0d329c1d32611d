/**
 * Telegram's counts in `GET /metrics`: the notifier (createTelegram over the fake Bot API server)
 * observed by the API's PlatformMetrics as the composition root wires it — unauthorised updates
 * ignored, commands answered, messages sent / failed / unknown, retries that honoured a 429's
 * retry_after — scraped through the real route; a second scrape does not count twice; a notifier
 * without a chat id reports itself disabled.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PlatformMetrics } from "../../src/api/metrics-feed.js";
import { type ApiServer, createApiServer } from "../../src/api/server.js";
import { createTelegram, type TelegramNotifier } from "../../src/notify/index.js";
import { type ApiTestDeps, apiTestDeps } from "../helpers/api-deps.js";
import { until } from "../helpers/fake-telegram.js";
import { testDeps } from "./deps.js";
import { closedEvent, type NotifyFixture, notifyFixture } from "./helpers.js";

let f: NotifyFixture | undefined;
let tg: TelegramNotifier | undefined;
let api: { d: ApiTestDeps; server: ApiServer } | undefined;
afterEach(async () => {
  await tg?.stop();
  await api?.server.close();
  await api?.d.dispose();
  await f?.dispose();
  tg = undefined;
  api = undefined;
  f = undefined;
});

async function metricsOf(source: TelegramNotifier): Promise<() => Promise<Map<string, number>>> {
  const d = await apiTestDeps();
  const metrics = new PlatformMetrics();
  metrics.observeTelegram(() => source.counts());
  const server = await createApiServer({ ...d.deps, metrics });
  api = { d, server };
  return async () => {
    const r = await server.inject({ method: "GET", url: "/metrics" });
    expect(r.statusCode).toBe(200);
    const out = new Map<string, number>();
    for (const line of r.body.split("\n")) {
      const m = /^(atp_telegram_\S+) (\d+)$/.exec(line);
      if (m) out.set(m[1] as string, Number(m[2]));
    }
    return out;
  };
}

describe("Telegram in /metrics", () => {
  it("counts unauthorised updates, commands, messages by outcome and retry_after honoured", async () => {
    f = await notifyFixture();
    const fx = f;
    tg = createTelegram(testDeps(fx));
    await tg.start();
    const scrape = await metricsOf(tg);

    fx.fake.message("666", "/status"); // a chat the bot knows nothing of: dropped, counted
    fx.fake.message("42", "/status");
    await until(() => fx.fake.sent("42").length === 1, 5000, "the /status answer");
    await until(() => tg?.counts().unauthorisedUpdates === 1, 5000, "the unauthorised update counted");
    expect(fx.fake.sent("666")).toEqual([]);

    // one message waits out a 429's retry_after, the next is refused for good (403)
    fx.fake.fail("sendMessage", {
      code: 429,
      description: "Too Many Requests: retry after 30",
      retryAfter: 30,
    });
    await fx.store.events.append(closedEvent(1));
    await until(
      async () => {
        await fx.time.advance(1_000);
        return tg?.counts().retryAfter === 1;
      },
      5000,
      "the 429",
    );
    await until(
      async () => {
        await fx.time.advance(1_000);
        return tg?.counts().sent === 1;
      },
      5000,
      "the retried message sent",
    );
    fx.fake.fail("sendMessage", { code: 403, description: "Forbidden: bot was blocked by the user" });
    await fx.store.events.append(closedEvent(2));
    await until(
      async () => {
        await fx.time.advance(1_000);
        return tg?.counts().failed === 1;
      },
      5000,
      "the 403",
    );

    const want = new Map([
      ['atp_telegram_enabled{part="alerts"}', 1],
      ['atp_telegram_enabled{part="commands"}', 1],
      ["atp_telegram_unauthorised_updates_total", 1],
      ["atp_telegram_commands_total", 1],
      ['atp_telegram_messages_total{outcome="sent"}', 1],
      ['atp_telegram_messages_total{outcome="failed"}', 1],
      ['atp_telegram_messages_total{outcome="unknown"}', 0],
      ['atp_telegram_retries_total{reason="retry_after"}', 1],
      ['atp_telegram_retries_total{reason="backoff"}', 0],
    ]);
    expect(await scrape()).toEqual(want);
    // counters mirror the notifier's totals: scraping again adds nothing
    expect(await scrape()).toEqual(want);
  }, 20_000);

  it("a notifier without an authorised chat id is reported disabled, with zero counts", async () => {
    f = await notifyFixture();
    tg = createTelegram(testDeps(f, { chats: [] }));
    await tg.start();
    const got = await (await metricsOf(tg))();
    expect(got.get('atp_telegram_enabled{part="alerts"}')).toBe(0);
    expect(got.get('atp_telegram_enabled{part="commands"}')).toBe(0);
    expect(got.get("atp_telegram_unauthorised_updates_total")).toBe(0);
  });
});
