/**
 * docs/telegram-examples.md is produced here, not typed by hand: every message type rendered from
 * the fixture events through the real subscriber, outbox and sender (the texts the fake Bot API
 * server received), the daily summary, and every command with its answer. The test fails when the
 * file on disk differs; `ATP_WRITE_DOCS=1 npx vitest run test/notify/examples.test.ts` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { commandSpecs } from "../../src/notify/bot.js";
import { createTelegram, type TelegramNotifier } from "../../src/notify/index.js";
import { DailySummary } from "../../src/notify/summary.js";
import { until } from "../helpers/fake-telegram.js";
import { quietLogger } from "../store/helpers.js";
import { testDeps } from "./deps.js";
import { seedFixtureEvents } from "./fixture-events.js";
import { type NotifyFixture, notifyFixture } from "./helpers.js";

const DOC = new URL("../../docs/telegram-examples.md", import.meta.url);
let f: NotifyFixture;
let tg: TelegramNotifier | undefined;
afterEach(async () => {
  await tg?.stop();
  await f?.dispose();
});

const block = (text: string) => ["```html", text, "```"].join("\n");

const COMMAND_EXAMPLES = [
  "/start",
  "/help",
  "/status",
  "/balance",
  "/portfolio",
  "/positions",
  "/watchlist",
  "/signals",
  "/orders",
  "/diagnose",
  "/pause",
  "/resume",
  "/live on",
  "/live off",
  "/add ETH_USD",
  "/remove ETH_USD",
  "/panic",
  "/settings",
  "/settings order.placed off",
];

describe("docs/telegram-examples.md", () => {
  it("shows a real example of every message type and every command's answer", async () => {
    f = await notifyFixture();
    const fixtures = await seedFixtureEvents(f.store);
    const out: string[] = [
      "# Telegram: examples (generated)",
      "",
      "Produced by `test/notify/examples.test.ts` from fixture events through the real outbox, sender and",
      "command bot against the fake Bot API server; do not edit by hand. The text is what atp sends",
      "with `parse_mode: HTML`. See [telegram.md](telegram.md).",
      "",
      "## Messages",
      "",
    ];
    for (const { event } of fixtures) await f.store.events.append(event);
    const summary = new DailySummary({
      store: f.store,
      time: f.time,
      logger: quietLogger(),
      chatIds: ["42"],
      isLeader: () => true,
      balances: testDeps(f).exchange.balances,
      mode: { demo: false, envLiveTrading: false },
    });
    await summary.enqueue(f.time.now(), "Europe/Berlin", false);
    const s = f.sender();
    s.start();
    const expected = fixtures.length + 1;
    await until(() => f.fake.sent("42").length === expected, 8000, "every example message");
    await s.stop();
    const sent = f.fake.sent("42");
    const labels = [...fixtures.map((x) => x.label), "daily summary"];
    labels.forEach((label, n) => {
      const text = sent[n]!.text;
      expect(text).toMatch(/^<b>\[(🔴 LIVE|🧪 DRY RUN|🎮 DEMO)\]<\/b> /);
      out.push(`### ${label}`, "", block(text), "");
    });
    out.push("## Commands", "");
    tg = createTelegram(testDeps(f, { envLiveTrading: true }));
    await tg.start();
    expect(new Set(COMMAND_EXAMPLES.map((c) => c.split(" ")[0]!.slice(1)))).toEqual(
      new Set(commandSpecs().map((c) => c.name)),
    );
    for (const cmd of COMMAND_EXAMPLES) {
      const before = f.fake.sent("42").length;
      f.fake.message("42", cmd);
      await until(() => f.fake.sent("42").length > before, 5000, cmd);
      out.push(`### \`${cmd}\``, "", block(f.fake.sent("42")[before]!.text), "");
    }
    const text = `${out.join("\n").trimEnd()}\n`;
    if (process.env.ATP_WRITE_DOCS === "1") writeFileSync(DOC, text);
    expect(readFileSync(DOC, "utf8")).toBe(text);
  }, 30_000);
});
