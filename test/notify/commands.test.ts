import { afterEach, describe, expect, it } from "vitest";
import { createTelegram, type TelegramNotifier } from "../../src/notify/index.js";
import { until } from "../helpers/fake-telegram.js";
import { testDeps } from "./deps.js";
import { type NotifyFixture, notifyFixture } from "./helpers.js";

let f: NotifyFixture;
let tg: TelegramNotifier | undefined;
afterEach(async () => {
  await tg?.stop();
  tg = undefined;
  await f?.dispose();
});

async function started(o: Parameters<typeof testDeps>[1] = {}) {
  f = await notifyFixture({ chats: ["42", "7"] });
  tg = createTelegram(testDeps(f, { chats: ["42", "7"], ...o }));
  await tg.start();
  return tg;
}

/** Sends `text` from chat 42 and waits for the n-th answer to it. */
async function ask(text: string, chat = "42"): Promise<string> {
  const before = f.fake.sent(chat).length;
  f.fake.message(chat, text);
  await until(() => f.fake.sent(chat).length > before, 5000, `answer to ${text}`);
  return f.fake.sent(chat)[before]!.text;
}

describe("the command bot", () => {
  it("registers the menu, deletes the webhook and long-polls", async () => {
    await started();
    expect(f.fake.callsOf("deleteWebhook")).toHaveLength(1);
    const cmds = f.fake.callsOf("setMyCommands")[0]?.params.commands as { command: string }[];
    expect(cmds.map((c) => c.command)).toEqual(
      expect.arrayContaining([
        "start",
        "help",
        "status",
        "balance",
        "portfolio",
        "positions",
        "watchlist",
        "signals",
        "orders",
        "diagnose",
        "pause",
        "resume",
        "live",
        "add",
        "remove",
        "panic",
        "settings",
      ]),
    );
    await until(() => f.fake.callsOf("getUpdates").length > 0, 3000, "polling");
  });

  it("ignores and counts updates from chats that are not authorised, and never answers them", async () => {
    await started({ chats: ["42"] });
    f.fake.message("666", "/status");
    f.fake.message("666", "/pause");
    f.fake.message("42", "/start");
    await until(() => f.fake.sent("42").length === 1, 5000, "the authorised answer");
    expect(f.fake.sent("666")).toHaveLength(0);
    expect(tg!.counts().unauthorisedUpdates).toBe(2);
    expect((await f.store.settings.killSwitch()).value).toBe(false);
  });

  it("without an authorised chat id commands are disabled: no polling at all", async () => {
    f = await notifyFixture();
    tg = createTelegram(testDeps(f, { chats: [] }));
    await tg.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(f.fake.calls).toHaveLength(0);
    expect(tg.counts().commandsEnabled).toBe(false);
  });

  it("/pause, /resume and /panic switch the kill switch, audited with the chat id", async () => {
    await started();
    expect(await ask("/pause")).toContain("Kill switch ON");
    expect((await f.store.settings.killSwitch()).value).toBe(true);
    expect(await ask("/resume")).toContain("Kill switch off");
    expect((await f.store.settings.killSwitch()).value).toBe(false);
    expect(await ask("/panic")).toContain("keep their exchange-side protection");
    expect((await f.store.settings.killSwitch()).value).toBe(true);
    const audit = await f.store.audit.list({ entity: "settings", entityId: "kill_switch" });
    expect(audit.map((a) => [a.actor, a.after])).toEqual([
      ["telegram:42", true],
      ["telegram:42", false],
      ["telegram:42", true],
    ]);
  });

  it("/live on is refused when the environment does not allow it", async () => {
    await started({ envLiveTrading: false });
    expect(await ask("/live on")).toContain("LIVE_TRADING is not true");
    expect((await f.store.settings.liveTrading()).value).toBe(false);
  });

  it("/live on asks with an inline button and turns live on only when it is pressed, once", async () => {
    await started({ envLiveTrading: true });
    await ask("/live on");
    const asked = f.fake.callsOf("sendMessage").at(-1)!;
    const markup = asked.params.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    const button = markup.inline_keyboard[0]![0]!;
    expect(button.text).toContain("Confirm LIVE");
    expect((await f.store.settings.liveTrading()).value).toBe(false);
    const messageId = 999;
    // a press from another (authorised) chat does nothing
    f.fake.callback("7", button.callback_data, messageId);
    await until(() => f.fake.callsOf("answerCallbackQuery").length === 1, 5000, "foreign press answered");
    expect((await f.store.settings.liveTrading()).value).toBe(false);
    // the token was consumed by the foreign press: ask again and press from this chat
    await ask("/live on");
    const again = f.fake.callsOf("sendMessage").at(-1)!.params.reply_markup as typeof markup;
    f.fake.callback("42", again.inline_keyboard[0]![0]!.callback_data, messageId);
    await until(() => f.fake.callsOf("editMessageText").length === 2, 5000, "confirmation edited");
    expect((await f.store.settings.liveTrading()).value).toBe(true);
    expect(String(f.fake.callsOf("editMessageText")[1]!.params.text)).toContain("LIVE trading is ON");
    const audit = await f.store.audit.list({ entityId: "live_trading" });
    expect(audit.map((a) => a.actor)).toEqual(["telegram:42"]);
    // /live off needs no confirmation
    expect(await ask("/live off")).toContain("OFF");
    expect((await f.store.settings.liveTrading()).value).toBe(false);
  });

  it("a confirmation expires after 60 s (on the injected clock)", async () => {
    await started({ envLiveTrading: true });
    await ask("/live on");
    const m = f.fake.callsOf("sendMessage").at(-1)!.params.reply_markup as {
      inline_keyboard: { callback_data: string }[][];
    };
    await f.time.advance(61_000);
    f.fake.callback("42", m.inline_keyboard[0]![0]!.callback_data, 1);
    await until(() => f.fake.callsOf("editMessageText").length === 1, 5000, "answered");
    expect(String(f.fake.callsOf("editMessageText")[0]!.params.text)).toContain("expired");
    expect((await f.store.settings.liveTrading()).value).toBe(false);
  });

  it("/add and /remove change the watchlist through the services", async () => {
    await started();
    expect(await ask("/add btc_usd")).toContain("is on the watchlist");
    expect((await f.store.watchlist.get("BTC_USD"))?.alertsEnabled).toBe(true);
    expect(await ask("/add NOPE_USD")).toContain("has no");
    expect(await f.store.watchlist.get("NOPE_USD")).toBeUndefined();
    expect(await ask("/remove BTC_USD")).toContain("no longer watched");
    expect(await f.store.watchlist.get("BTC_USD")).toBeUndefined();
    const audit = await f.store.audit.list({ entity: "watchlist" });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["watchlist.remove", "telegram:42"],
      ["watchlist.upsert", "telegram:42"],
    ]);
  });

  it("/settings switches a kind off (and never a critical one) and sets the summary time", async () => {
    await started();
    expect(await ask("/settings order.filled off")).toContain("<code>order.filled</code> <b>off</b>");
    expect(await ask("/settings protection.failed off")).toContain(
      "<code>protection.failed</code> <b>on</b>",
    );
    expect(await ask("/settings summary 08:30 Europe/Berlin")).toContain("<code>08:30</code> Europe/Berlin");
    expect(await ask("/settings summary 8h Mars/Base")).toContain("Not changed");
    const s = (await f.store.settings.get("telegram")).value;
    expect(s.events["order.filled"]).toBe("off");
    expect(s.dailySummary).toEqual({ enabled: true, time: "08:30", timeZone: "Europe/Berlin" });
    expect((await f.store.audit.list({ entityId: "telegram" }))[0]?.actor).toBe("telegram:42");
  });

  it("every answer shows the mode; user text is escaped", async () => {
    await started({ mode: "LIVE" });
    const a = await ask("/add <b>x</b>");
    expect(a.startsWith("<b>[🔴 LIVE]</b>")).toBe(true);
    expect(a).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(a).not.toContain("<b>x</b>");
  });
});
