/**
 * The Telegram notifier when it cannot run: no TELEGRAM_BOT_TOKEN, or no authorised chat id (fail
 * closed: no alert stored, no polling, commands disabled). It says which at start and counts
 * nothing. Kept apart from index.ts so a process without Telegram never loads the bot library.
 */
import type { Logger } from "../log/logger.js";
import type { TelegramCounts, TelegramNotifier } from "./index.js";

export function disabledTelegram(logger: Logger, botToken: string | undefined): TelegramNotifier {
  const counts: TelegramCounts = {
    enabled: false,
    commandsEnabled: false,
    unauthorisedUpdates: 0,
    commands: 0,
    sent: 0,
    retried: 0,
    retryAfter: 0,
    failed: 0,
    unknown: 0,
  };
  return {
    async start() {
      if (!botToken) logger.info("telegram: TELEGRAM_BOT_TOKEN is not set: no alerts, no commands");
      else
        logger.warn(
          "telegram: TELEGRAM_CHAT_ID is not set: commands are DISABLED (fail closed) and no alert is sent",
        );
    },
    async stop() {},
    counts: () => ({ ...counts }),
  };
}

/** A token and at least one authorised chat: the only case in which Telegram runs. */
export function telegramEnabled(botToken: string | undefined, chatIds: readonly string[]): boolean {
  return botToken !== undefined && botToken !== "" && chatIds.length > 0;
}
