/**
 * Events → outbox rows, in the transaction that appended the event (`store.onEvent`): a message is
 * stored if and only if its event is. One row per authorised chat.
 *
 * Invariants:
 * - Dedup key `tg:<event seq>@<chat id>`: re-running a subscriber for one event never adds a
 *   second message. Throttled kinds use `tg:<throttle key>:<window>@<chat id>` instead (the window
 *   is the event time divided by `throttleMinutes`): identical ones are stored once per window.
 * - A switch "off" stores nothing; "silent" stores the message with `silent: true`.
 * - A renderer failure is logged and stores nothing; it never rolls back the event.
 */
import { isTradingMode, type TradingMode } from "../domain/trading.js";
import type { Logger } from "../log/logger.js";
import { SETTING_DEFAULTS } from "../store/repositories/settings.js";
import type { EventRecord, Json, Store, TelegramNotificationSettings, Tx } from "../store/types.js";
import { type NotificationKind, switchFor } from "../trading/services/notifications.js";
import { EVENT_RENDERERS } from "./messages/index.js";
import { PayloadReader } from "./messages/payload.js";

export const TELEGRAM_CHANNEL = "telegram";

/** What an outbox row of the telegram channel holds. */
export interface TelegramOutboxPayload {
  chatId: string;
  kind: string;
  text: string;
  silent: boolean;
  /** Set for `auth.incident_opened`: the sender appends the stored verdict of this incident. */
  incidentId?: string;
}

export interface OutboxSubscription {
  chatIds: readonly string[];
  /** LIVE_TRADING=true in the environment. */
  envLiveTrading: boolean;
  demo: boolean;
  logger: Logger;
}

/** The mode an event without its own shows: the mode a new intent would get now. */
export async function currentMode(tx: Pick<Tx, "settings">, o: { demo: boolean; envLiveTrading: boolean }) {
  if (o.demo) return "DEMO" as const;
  return o.envLiveTrading && (await tx.settings.liveTrading()).value
    ? ("LIVE" as const)
    : ("DRY_RUN" as const);
}

export async function notificationSettings(tx: Pick<Tx, "settings">, logger: Logger) {
  try {
    return (await tx.settings.get("telegram")).value;
  } catch (e) {
    logger.warn(
      { err: e instanceof Error ? e.message : String(e) },
      "telegram settings unreadable: defaults used",
    );
    return SETTING_DEFAULTS.telegram;
  }
}

/** Enqueues `text` for every chat; `key` is the dedup key without the chat suffix. */
export async function enqueueForChats(
  tx: Pick<Tx, "outbox">,
  chatIds: readonly string[],
  key: string,
  msg: { kind: NotificationKind; text: string; silent: boolean; incidentId?: string | undefined },
): Promise<number> {
  let created = 0;
  for (const chatId of chatIds) {
    const payload: TelegramOutboxPayload = {
      chatId,
      kind: msg.kind,
      text: msg.text,
      silent: msg.silent,
      ...(msg.incidentId ? { incidentId: msg.incidentId } : {}),
    };
    const r = await tx.outbox.enqueue({
      dedupKey: `${key}@${chatId}`,
      channel: TELEGRAM_CHANNEL,
      payload: payload as unknown as Json,
    });
    if (r.created) created++;
  }
  return created;
}

function windowOf(at: number, s: TelegramNotificationSettings): number {
  return Math.floor(at / (s.throttleMinutes * 60_000));
}

/** Registers the subscriber; returns the unsubscribe function. */
export function subscribeOutbox(store: Store, o: OutboxSubscription): () => void {
  return store.onEvent(async (tx: Tx, event: EventRecord) => {
    const render = EVENT_RENDERERS.get(event.kind);
    if (!render || o.chatIds.length === 0) return;
    try {
      const p = new PayloadReader(event.payload);
      const own = p.str("mode");
      const mode: TradingMode = own && isTradingMode(own) ? own : await currentMode(tx, o);
      const draft = await render({ event, p, mode, tx });
      if (!draft) return;
      const settings = await notificationSettings(tx, o.logger);
      const sw = switchFor(settings, draft.kind);
      if (sw === "off") return;
      const key = draft.throttleKey
        ? `tg:${draft.throttleKey}:${windowOf(event.at, settings)}`
        : `tg:${event.seq}`;
      await enqueueForChats(tx, o.chatIds, key, {
        kind: draft.kind,
        text: draft.text,
        silent: sw === "silent",
        incidentId: event.kind === "auth.incident_opened" ? p.str("incidentId") : undefined,
      });
    } catch (e) {
      o.logger.error(
        { err: e instanceof Error ? e.message : String(e), kind: event.kind, seq: event.seq },
        "telegram: message not stored",
      );
    }
  });
}
