/**
 * Telegram in a real `atp start` (the demo: no exchange credentials; the esbuild bundle as a child
 * process) against a fake Bot API server over loopback (TELEGRAM_API_ROOT, TELEGRAM_BOT_TOKEN,
 * TELEGRAM_CHAT_ID in the child's environment):
 * - at start the bot is checked (getMe), the webhook deleted, the command menu registered
 *   (setMyCommands) and updates polled (getUpdates); the start-up log says alerts and commands are on;
 * - the demo trades within seconds: a signal, the entry filled and its protection placed arrive in
 *   that order for one symbol, each with the DEMO badge; every message sent is in the order of its
 *   outbox row (checked against the demo's store after the stop);
 * - `/status` from the authorised chat is answered; the same from another chat is never answered
 *   and is counted in /metrics (`atp_telegram_unauthorised_updates_total`);
 * - `/pause` turns the kill switch on (GET /api/trading) and the audit row names the chat
 *   (`telegram:<chat id>`: read from the demo's store after the process stopped).
 * And a second `atp start` with a token but no TELEGRAM_CHAT_ID says at start that commands are
 * disabled, and never polls.
 * Every wait polls for its condition with a bounded deadline.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { type FakeTelegram, startFakeTelegram } from "../helpers/fake-telegram.js";
import { quietLogger } from "../store/helpers.js";
import { freePort, getJson, StartedAtp, stopAllPlatform, until } from "./proc.js";

const CHAT = "4242";
const STRANGER = "666";

let bundle: CliBundle;
let fake: FakeTelegram;
let silentFake: FakeTelegram;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "atp-telegram-start-"));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  [bundle, fake, silentFake] = await Promise.all([
    bundleCli({ packages: "external" }),
    startFakeTelegram({ chats: [CHAT] }),
    startFakeTelegram({ chats: [CHAT] }),
  ]);
});

afterAll(async () => {
  await stopAllPlatform();
  await fake?.close();
  await silentFake?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Sent {
  text: string;
}
const titleOf = (m: Sent) => m.text.split("\n")[0] ?? "";

/** The index of the first message for `symbol` whose first line matches `re`, at or after `from`. */
function indexOf(sent: Sent[], re: RegExp, symbol: string, from = 0): number {
  return sent.findIndex(
    (m, i) => i >= from && re.test(titleOf(m)) && titleOf(m).includes(`<code>${symbol}</code>`),
  );
}

/** A symbol with a signal, then its entry filled, then its protection placed, in that order. */
function tradeInOrder(sent: Sent[]): { symbol: string; at: [number, number, number] } | undefined {
  const symbols = new Set(
    sent.map((m) => /Protection placed<\/b> · <code>([A-Z_]+)<\/code>/.exec(titleOf(m))?.[1]).filter(Boolean),
  ) as Set<string>;
  for (const symbol of symbols) {
    const protection = indexOf(sent, /Protection placed/, symbol);
    const fills = sent
      .map((m, i) => ({ m, i }))
      .filter(
        ({ m, i }) =>
          i < protection &&
          /Order filled/.test(titleOf(m)) &&
          titleOf(m).includes(symbol) &&
          /\nBUY ENTRY\n/.test(m.text),
      );
    const fill = fills.at(-1)?.i ?? -1;
    const signal =
      fill < 0
        ? -1
        : sent
            .slice(0, fill)
            .findLastIndex((m) => /BUY signal/.test(titleOf(m)) && titleOf(m).includes(symbol));
    if (signal >= 0 && fill > signal && protection > fill) return { symbol, at: [signal, fill, protection] };
  }
  return undefined;
}

describe("atp start with Telegram (the demo, a fake Bot API server)", () => {
  it("registers the commands, delivers the demo's trades in order, answers /status only to its chat, /pause is audited with the chat id", async () => {
    const cwd = tempDir();
    const silentCwd = tempDir();
    const [port, silentPort] = await Promise.all([freePort(), freePort()]);
    const api = `http://127.0.0.1:${port}`;
    const atp = new StartedAtp(
      bundle.spawn(
        ["start"],
        {
          PORT: String(port),
          TELEGRAM_API_ROOT: fake.apiRoot,
          TELEGRAM_BOT_TOKEN: fake.token,
          TELEGRAM_CHAT_ID: CHAT,
          LOG_PRETTY: "false",
        },
        cwd,
      ),
    );
    // a second demo beside it: a token, no chat id
    const silent = new StartedAtp(
      bundle.spawn(
        ["start"],
        {
          PORT: String(silentPort),
          TELEGRAM_API_ROOT: silentFake.apiRoot,
          TELEGRAM_BOT_TOKEN: silentFake.token,
          LOG_PRETTY: "false",
        },
        silentCwd,
      ),
    );
    await Promise.all([
      atp.line(/^atp start: ready \(/, 20_000),
      silent.line(/^atp start: ready \(/, 20_000),
    ]);

    // start-up: the bot checked, the webhook deleted, the menu registered, updates polled; the log says so
    expect(fake.callsOf("getMe").length).toBeGreaterThan(0);
    expect(fake.callsOf("deleteWebhook").length).toBeGreaterThan(0);
    const menu = fake.callsOf("setMyCommands")[0]?.params.commands as { command: string }[] | undefined;
    expect(menu?.map((c) => c.command)).toEqual(
      expect.arrayContaining(["start", "help", "status", "pause", "resume", "live", "panic", "settings"]),
    );
    expect(menu).toHaveLength(17);
    await until("polling", 5_000, async () => (fake.callsOf("getUpdates").length > 0 ? true : undefined));
    await until("the start-up log line", 5_000, async () =>
      /telegram: alerts and commands enabled/.test(atp.stderr) ? true : undefined,
    );

    // no chat id: disabled, said at start, never polled (and nothing sent)
    await until("the disabled log line", 5_000, async () =>
      /TELEGRAM_CHAT_ID is not set: commands are DISABLED \(fail closed\)/.test(silent.stderr)
        ? true
        : undefined,
    );
    expect(silentFake.callsOf("getUpdates")).toEqual([]);
    expect(silentFake.callsOf("sendMessage")).toEqual([]);
    silent.child.kill("SIGINT");

    // the demo trades: signal → entry filled → protection placed, in order, each marked DEMO
    const trade = await until("a signal, its entry filled and protection placed", 15_000, async () =>
      tradeInOrder(fake.sent(CHAT)),
    );
    for (const i of trade.at) expect(fake.sent(CHAT)[i]?.text).toMatch(/^<b>\[🎮 DEMO\]<\/b> /);

    // /status: answered to the authorised chat; never to another chat, which is counted
    const before = fake.sent(CHAT).length;
    fake.message(STRANGER, "/status");
    fake.message(CHAT, "/status");
    const status = await until("the /status answer", 5_000, async () =>
      fake
        .sent(CHAT)
        .slice(before)
        .find((m) => titleOf(m).includes("<b>Status</b>")),
    );
    expect(status.text).toMatch(/Mode: <b>DEMO<\/b>/);
    expect(status.text).toMatch(/Leader: this process/);
    await until("the stranger counted in /metrics", 5_000, async () => {
      const m = await fetch(`${api}/metrics`).then((r) => r.text());
      return /^atp_telegram_unauthorised_updates_total 1$/m.test(m) ? m : undefined;
    });
    expect(fake.sent(STRANGER)).toEqual([]);
    expect(fake.callsOf("answerCallbackQuery")).toEqual([]);

    // /pause: the kill switch on through the same services the API uses
    expect((await getJson(`${api}/api/trading`)).body).toMatchObject({ kill_switch: false });
    fake.message(CHAT, "/pause");
    await until("the kill switch on", 5_000, async () =>
      ((await getJson(`${api}/api/trading`)).body as { kill_switch: boolean }).kill_switch ? true : undefined,
    );
    await until("the /pause answer", 5_000, async () =>
      fake.sent(CHAT).find((m) => titleOf(m).includes("<b>Paused</b>")),
    );

    atp.child.kill("SIGINT");
    expect((await atp.exited(12_000)).code).toBe(0);
    expect((await silent.exited(12_000)).code).toBe(0);
    const store = await openStore({
      dataDir: join(cwd, "data", "demo"),
      logger: quietLogger(),
      now: Date.now,
    });
    try {
      const audit = await store.audit.list({ entity: "settings", entityId: "kill_switch" });
      expect(audit.map((a) => [a.actor, a.after])).toContainEqual([`telegram:${CHAT}`, true]);
      // delivered in the order of their events: the sent outbox rows, by id, are what Telegram got
      const rows = (await store.outbox.inState("SENT", 1000)).sort((a, b) => a.id - b.id);
      const texts = rows.map((r) => (r.payload as { text: string }).text);
      expect(texts.length).toBeGreaterThanOrEqual(3);
      const stored = new Set(texts);
      expect(
        fake
          .sent(CHAT)
          .map((m) => m.text)
          .filter((t) => stored.has(t)),
      ).toEqual(texts);
    } finally {
      await store.close();
    }
  }, 60_000);
});
