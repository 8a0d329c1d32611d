/**
 * `createTelegram(deps)`: the Telegram notifier and command bot, as the composition root starts it
 * with `atp start`. Parts: the outbox subscriber (outbox.ts, registered at creation so no event
 * appended after it is missed), the sender (sender.ts, leader only), the daily summary
 * (summary.ts, leader only) and the command bot (bot.ts).
 *
 * Invariants:
 * - Without TELEGRAM_BOT_TOKEN nothing runs; without an authorised chat id no alert is stored and
 *   commands are disabled (fail closed, no polling at all): the start-up log says which.
 * - `counts()` is plain numbers for /metrics.
 */
import { CommandBot } from "./bot.js";
import { createBotApi } from "./bot-api.js";
import type { NotifierDeps } from "./deps.js";
import { subscribeOutbox } from "./outbox.js";
import { OutboxSender } from "./sender.js";
import { DailySummary } from "./summary.js";

export type { NotifierDeps, TelegramConnection } from "./deps.js";
export { parseChatIds } from "./deps.js";

/** What /metrics shows of Telegram (src/api/metrics-feed.ts `TelegramMetricsSource`). */
export interface TelegramCounts {
  /** A token and at least one authorised chat: alerts are stored and sent. */
  enabled: boolean;
  /** Commands are answered (the same condition: no chat id, no polling at all). */
  commandsEnabled: boolean;
  /** Updates from chats that are not authorised: dropped, never answered. */
  unauthorisedUpdates: number;
  commands: number;
  sent: number;
  retried: number;
  /** Retries that waited Telegram's `retry_after` (429). */
  retryAfter: number;
  failed: number;
  unknown: number;
}

export interface TelegramNotifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  counts(): TelegramCounts;
}

export function createTelegram(deps: NotifierDeps): TelegramNotifier {
  const { botToken, chatIds, apiRoot } = deps.telegram;
  const enabled = botToken !== undefined && botToken !== "" && chatIds.length > 0;
  const mode = { demo: deps.demo, envLiveTrading: deps.engine.envLiveTrading };
  const unsubscribe = enabled
    ? subscribeOutbox(deps.store, { chatIds, ...mode, logger: deps.logger })
    : () => {};
  const sender = enabled
    ? new OutboxSender({
        store: deps.store,
        api: createBotApi(botToken, apiRoot),
        token: botToken,
        time: deps.time,
        logger: deps.logger,
        isLeader: deps.isLeader,
        mode,
      })
    : undefined;
  const summary = enabled
    ? new DailySummary({
        store: deps.store,
        time: deps.time,
        logger: deps.logger,
        chatIds,
        isLeader: deps.isLeader,
        balances: () => deps.exchange.balances(),
        mode,
        onEnqueued: () => sender?.wake(),
      })
    : undefined;
  const bot = enabled ? new CommandBot(deps) : undefined;
  return {
    async start() {
      if (!botToken) {
        deps.logger.info("telegram: TELEGRAM_BOT_TOKEN is not set: no alerts, no commands");
        return;
      }
      if (chatIds.length === 0) {
        deps.logger.warn(
          "telegram: TELEGRAM_CHAT_ID is not set: commands are DISABLED (fail closed) and no alert is sent",
        );
        return;
      }
      sender?.start();
      summary?.start();
      await bot?.start();
      deps.logger.info(
        { bot: bot?.bot.botInfo.username, chats: chatIds.length },
        "telegram: alerts and commands enabled",
      );
    },
    async stop() {
      unsubscribe();
      summary?.stop();
      await bot?.stop();
      await sender?.stop();
    },
    counts: () => ({
      enabled,
      commandsEnabled: enabled,
      unauthorisedUpdates: bot?.counts.unauthorisedUpdates ?? 0,
      commands: bot?.counts.commands ?? 0,
      ...(sender?.counts ?? { sent: 0, retried: 0, retryAfter: 0, failed: 0, unknown: 0 }),
    }),
  };
}
