/**
 * `atp telegram test`: checks the bot token (getMe) and sends one test message to every
 * TELEGRAM_CHAT_ID, printing what Telegram answered and what it means (bad token 401, chat not
 * found 400, bot blocked 403). Exit codes: 0 every chat got the message, 1 Telegram refused or did
 * not answer, 2 usage or configuration error (no token, no chat id, invalid configuration).
 *
 * Invariant: the token is never printed (only the bot's @username and the API root).
 */
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { loadSources } from "../../config/sources.js";
import { VARIABLE_BY_NAME } from "../../config/variables.js";
import { classifySendError, createBotApi, explainTelegramCode, sendHtml } from "../../notify/bot-api.js";
import { parseChatIds } from "../../notify/deps.js";
import { messageOf } from "../../notify/html.js";
import { displayUrl } from "../../util/url.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

const options = {
  timeout: option.int(
    "how long to wait for each Telegram answer",
    { min: 1, max: 120, unit: "seconds" },
    { value: "SECONDS", default: 15 },
  ),
};

export const command = defineCommand({
  name: "telegram",
  summary: "Telegram: `atp telegram test` sends one test message and explains Telegram's answer",
  notes:
    "Exit codes: 0 the message was delivered to every chat, 1 Telegram refused it, 2 usage or configuration error.",
  options,
  positionals: [{ name: "action", help: "test: send one test message", choices: ["test"] }],
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp telegram: ${invalid}`);
    return 2;
  }
  const token = report.config.telegram.botToken;
  const chats = parseChatIds(report.config.telegram.chatId);
  if (!token) {
    process.stderr.write(
      "atp telegram: TELEGRAM_BOT_TOKEN is not set (create a bot with @BotFather and copy its token)\n",
    );
    return 2;
  }
  if (chats.length === 0) {
    process.stderr.write(
      "atp telegram: TELEGRAM_CHAT_ID is not set (the numeric id of your chat; several: comma-separated)\n",
    );
    return 2;
  }
  const apiRoot =
    loadSources(process.cwd(), process.env).raw.get("TELEGRAM_API_ROOT")?.value ??
    VARIABLE_BY_NAME.get("TELEGRAM_API_ROOT")?.default ??
    "https://api.telegram.org";
  const print = (s: string) => process.stdout.write(`${s}\n`);
  print(`atp telegram test → ${displayUrl(apiRoot)}`);
  const api = createBotApi(token, apiRoot, values.timeout);
  try {
    const me = await api.getMe();
    print(`PASS getMe: the token belongs to @${me.username}`);
  } catch (e) {
    const c = classifySendError(e, token);
    const codeText = c.status === "unknown" ? "no answer" : String(c.code ?? "");
    print(`FAIL getMe: ${codeText} ${c.detail}`);
    if (c.status === "refused" || (c.status === "retry" && c.code !== undefined))
      print(`     ${explainTelegramCode(c.code ?? 0)}`);
    else print("     Telegram did not answer: check the network and TELEGRAM_API_ROOT");
    return 1;
  }
  const mode = report.config.liveTrading ? "LIVE" : "DRY_RUN";
  const text = messageOf(mode, "✅ <b>atp test message</b>", ["Alerts and commands reach this chat."]);
  let failed = 0;
  for (const chatId of chats) {
    const out = await sendHtml(api, token, { chatId, text, silent: false });
    if (out.status === "sent") {
      print(`PASS sendMessage to ${chatId}: delivered (message ${out.messageId})`);
      continue;
    }
    failed++;
    if (out.status === "unknown")
      print(
        `FAIL sendMessage to ${chatId}: no answer (${out.detail}); the message may or may not have arrived`,
      );
    else {
      print(`FAIL sendMessage to ${chatId}: ${out.code ?? ""} ${out.detail}`);
      print(`     ${explainTelegramCode(out.code ?? 0)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}
