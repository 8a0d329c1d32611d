/**
 * The outbox sender: delivers the telegram channel's rows one at a time in id order (a row waiting
 * for its retry holds the ones after it), on the leader only.
 *
 * Invariants:
 * - Exactly-once as far as it can be known: a row is claimed (PENDING → SENDING, committed) before
 *   its request is written, and marked SENT after Telegram's answer. A row found SENDING when the
 *   sender starts (or becomes leader) was being sent by a process that died: it is marked UNKNOWN,
 *   never re-sent, logged, and a "a message may have been lost" notice is queued in its place. A
 *   send whose outcome is unknown (timeout, connection reset after writing) is treated the same.
 * - Retries: 429 waits Telegram's `retry_after`; 5xx and connection refused back off exponentially
 *   (initial..max); refused (400/401/403/…) or `maxAttempts` reached → FAILED for good.
 * - Every wait is on the injected TimeSource; `stop()` ends the loop after the send in flight.
 */
import type { Api } from "grammy";
import type { Logger } from "../log/logger.js";
import type { OutboxRecord, Store } from "../store/types.js";
import type { TimeSource } from "../util/clock.js";
import { type SendOutcome, sendHtml } from "./bot-api.js";
import { b, code, escapeHtml, messageOf } from "./html.js";
import { currentMode, enqueueForChats, TELEGRAM_CHANNEL } from "./outbox.js";
import { completeMessage, telegramPayloadOf } from "./sender-render.js";

export interface SenderOptions {
  store: Store;
  api: Api;
  token: string;
  time: TimeSource;
  logger: Logger;
  isLeader(): boolean;
  mode: { demo: boolean; envLiveTrading: boolean };
  pollMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  maxAttempts?: number;
  verdictWaitMs?: number;
}

export interface SenderCounts {
  /** Delivered (Telegram answered ok). */
  sent: number;
  /** Sends that will be retried (429, 5xx, connection refused before writing). */
  retried: number;
  /** Of those, 429s whose `retry_after` the retry waits for. */
  retryAfter: number;
  /** Not delivered for good (refused, or attempts used up). */
  failed: number;
  /** Outcome unknown (never re-sent; a notice sent instead). */
  unknown: number;
}

export class OutboxSender {
  private readonly o: Required<SenderOptions>;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private leading = false;
  readonly counts: SenderCounts = { sent: 0, retried: 0, retryAfter: 0, failed: 0, unknown: 0 };

  constructor(o: SenderOptions) {
    this.o = {
      pollMs: 1000,
      retryInitialMs: 1000,
      retryMaxMs: 60_000,
      maxAttempts: 12,
      verdictWaitMs: 60_000,
      ...o,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  /** Looks at the outbox now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let wait = this.o.pollMs;
      try {
        wait = await this.step();
      } catch (e) {
        this.o.logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          "telegram sender: step failed",
        );
      }
      if (wait > 0 && !this.stopped) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const h = this.o.time.setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        this.o.time.clearTimeout(h);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  /** One delivery step; answers how long to wait before the next (0: at once). */
  private async step(): Promise<number> {
    const { store, time } = this.o;
    if (!this.o.isLeader()) {
      this.leading = false;
      return this.o.pollMs;
    }
    if (!this.leading) {
      await this.recoverClaims();
      this.leading = true;
    }
    const head = (await store.outbox.pending(20)).find((r) => r.channel === TELEGRAM_CHANNEL);
    if (!head) return this.o.pollMs;
    const now = time.now();
    if (head.nextAt > now) return Math.min(head.nextAt - now, this.o.pollMs);
    const payload = telegramPayloadOf(head.payload);
    if (!payload) {
      await store.outbox.markFailed(head.id, undefined);
      return 0;
    }
    const done = await completeMessage(store, payload, head.createdAt, now, this.o.verdictWaitMs);
    if (!done.ready) return Math.min(this.o.pollMs, 1000);
    if (!(await store.outbox.claim(head.id))) return 0;
    const out = await sendHtml(this.o.api, this.o.token, {
      chatId: payload.chatId,
      text: done.text,
      silent: payload.silent,
    });
    await this.record(head, out, payload.chatId);
    return 0;
  }

  private async record(row: OutboxRecord, out: SendOutcome, chatId: string): Promise<void> {
    const { store, time, logger } = this.o;
    const log = { id: row.id, key: row.dedupKey, chat: chatId, attempts: row.attempts + 1 };
    if (out.status === "sent") {
      await store.outbox.markSent(row.id, time.now());
      this.counts.sent++;
      return;
    }
    if (out.status === "unknown") {
      await this.markLost(row, out.detail);
      return;
    }
    if (out.status === "retry" && row.attempts + 1 < this.o.maxAttempts) {
      const backoff = Math.min(this.o.retryMaxMs, this.o.retryInitialMs * 2 ** row.attempts);
      const delay = out.retryAfterS !== undefined ? out.retryAfterS * 1000 : backoff;
      await store.outbox.markFailed(row.id, time.now() + delay);
      this.counts.retried++;
      if (out.retryAfterS !== undefined) this.counts.retryAfter++;
      logger.warn(
        { ...log, code: out.code, delayMs: delay, detail: out.detail },
        "telegram: send failed, retrying",
      );
      return;
    }
    await store.outbox.markFailed(row.id, undefined);
    this.counts.failed++;
    logger.error(
      { ...log, code: out.code, detail: out.detail },
      "telegram: message not delivered (failed for good)",
    );
  }

  /** Rows left SENDING by a sender that died: UNKNOWN, never re-sent, with a notice in their place. */
  private async recoverClaims(): Promise<void> {
    for (const row of await this.o.store.outbox.inState("SENDING", 1000)) {
      if (row.channel === TELEGRAM_CHANNEL)
        await this.markLost(row, "found SENDING at start (the sender stopped mid-send)");
    }
  }

  private async markLost(row: OutboxRecord, why: string): Promise<void> {
    const { store, logger } = this.o;
    const payload = telegramPayloadOf(row.payload);
    await store.transaction(async (tx) => {
      if (!(await tx.outbox.markUnknown(row.id))) return;
      if (!payload || payload.kind === "delivery.notice") return;
      const mode = await currentMode(tx, this.o.mode);
      const text = messageOf(mode, `❓ ${b("A message may have been lost")}`, [
        `A ${code(payload.kind)} message (queued ${escapeHtml(new Date(row.createdAt).toISOString())}) may or may not have reached this chat: ${escapeHtml(why)}.`,
        "It is not sent again, to avoid a duplicate. Check /orders and /positions.",
      ]);
      await enqueueForChats(tx, [payload.chatId], `tg:unknown:${row.id}`, {
        kind: "delivery.notice",
        text,
        silent: false,
      });
    });
    this.counts.unknown++;
    logger.warn({ id: row.id, key: row.dedupKey, why }, "telegram: message outcome unknown (not re-sent)");
  }
}
