/**
 * `createTelegram(deps)`: the Telegram notifier and command bot, as the composition root starts it
 * with `atp start`. Parts: the outbox subscriber (outbox.ts, registered at creation so no event
 * appended after it is missed), the sender (sender.ts, leader only), the daily summary
 * (summary.ts, leader only) and the command bot (bot.ts).
 *
 * Invariants:
 * - Without TELEGRAM_BOT_TOKEN nothing runs (disabled.ts; the composition root then never loads this
 *   module, nor the bot library); without an authorised chat id no alert is stored and
 *   commands are disabled (fail closed, no polling at all): the start-up log says which.
 * - `counts()` is plain numbers for /metrics.
 */

import type { TelegramCounts } from "../domain/telegram-counts.js";
import { CommandBot } from "./bot.js";
import { createBotApi } from "./bot-api.js";
import type { NotifierDeps } from "./deps.js";
import { disabledTelegram, telegramEnabled } from "./disabled.js";
import { subscribeOutbox } from "./outbox.js";
import { OutboxSender } from "./sender.js";
import { DailySummary } from "./summary.js";

export type { TelegramCounts } from "../domain/telegram-counts.js";
export type { NotifierDeps, TelegramConnection } from "./deps.js";
export { parseChatIds } from "./deps.js";

export interface TelegramNotifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  counts(): TelegramCounts;
}

export function createTelegram(deps: NotifierDeps): TelegramNotifier {
  const { botToken, chatIds, apiRoot } = deps.telegram;
  if (!botToken || !telegramEnabled(botToken, chatIds)) return disabledTelegram(deps.logger, botToken);
  const mode = { demo: deps.demo, envLiveTrading: deps.engine.envLiveTrading };
  const unsubscribe = subscribeOutbox(deps.store, { chatIds, ...mode, logger: deps.logger });
  const sender = new OutboxSender({
    store: deps.store,
    api: createBotApi(botToken, apiRoot),
    token: botToken,
    time: deps.time,
    logger: deps.logger,
    isLeader: deps.isLeader,
    mode,
  });
  const summary = new DailySummary({
    store: deps.store,
    time: deps.time,
    logger: deps.logger,
    chatIds,
    isLeader: deps.isLeader,
    balances: () => deps.exchange.balances(),
    mode,
    onEnqueued: () => sender.wake(),
  });
  const bot = new CommandBot(deps);
  return {
    async start() {
      sender.start();
      summary.start();
      await bot.start();
      deps.logger.info(
        { bot: bot.bot.botInfo.username, chats: chatIds.length },
        "telegram: alerts and commands enabled",
      );
    },
    async stop() {
      unsubscribe();
      summary.stop();
      await bot.stop();
      await sender.stop();
    },
    counts: () => ({
      enabled: true,
      commandsEnabled: true,
      unauthorisedUpdates: bot.counts.unauthorisedUpdates,
      commands: bot.counts.commands,
      ...sender.counts,
    }),
  };
}
