/**
 * What the Telegram notifier counts and /metrics shows of it: one shape for the notifier
 * (src/notify, which counts) and the API (src/api/metrics-feed.ts, which reads it through the port
 * the composition root connects).
 */
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
