/**
 * When each webhook was last used (`last_used_at`), off the signal's path: a signal handed to the
 * trader must not wait behind a commit of its own (on SQLite every commit is an fsync, and the one
 * connection is shared with the trader), so the use is kept in memory at once and written to the
 * store later, all pending uses in one transaction.
 *
 * When: once the webhooks have been quiet for `quietMs` (5 s) — a burst of signals is never
 * interleaved with these writes — and at the latest `maxDelayMs` (60 s) after the first use not
 * written yet. Non-durable by design: `last_used_at` is informational (GET /api/webhooks), so a crash
 * may lose the uses not written yet; a clean stop writes them (`close`). GET /api/webhooks shows
 * the newer of the stored and the remembered time, so the list is current at once.
 * (A signal the route stores in the inbox itself writes its use in the inbox row's transaction:
 * webhook-intake.ts.)
 *
 * Invariants: never throws to its caller (a failed write is logged and retried with the next use);
 * one write at a time; the timer does not keep the process alive. Its timers are real (like the
 * route's polls): they pace writes, they date nothing — the times written are the API clock's.
 */
import type { Logger } from "../log/logger.js";
import type { Store } from "../store/types.js";

export const WEBHOOK_USAGE_QUIET_MS = 5_000;
export const WEBHOOK_USAGE_MAX_DELAY_MS = 60_000;

export class WebhookUsage {
  private readonly pending = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  /** performance.now() of the first use not written yet (the cap's start). */
  private firstPending: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly quietMs = WEBHOOK_USAGE_QUIET_MS,
    private readonly maxDelayMs = WEBHOOK_USAGE_MAX_DELAY_MS,
  ) {}

  /** Remembers a use at `at`; written once the webhooks are quiet (or at the cap). */
  used(name: string, at: number): void {
    this.pending.set(name, Math.max(at, this.pending.get(name) ?? at));
    const now = performance.now();
    this.firstPending ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.quietMs, this.firstPending + this.maxDelayMs - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
    this.timer.unref?.();
  }

  /** A use not written yet (newer than the stored one), if any. */
  pendingUse(name: string): number | undefined {
    return this.pending.get(name);
  }

  /** Writes every remembered use (one transaction). */
  async flush(): Promise<void> {
    await this.writing;
    if (this.pending.size === 0) return;
    const uses = [...this.pending];
    this.pending.clear();
    this.firstPending = undefined;
    this.writing = this.store
      .transaction(async (tx) => {
        for (const [name, at] of uses) await tx.webhooks.touch(name, at);
      })
      .catch((e: unknown) => {
        for (const [name, at] of uses) if ((this.pending.get(name) ?? 0) < at) this.pending.set(name, at);
        this.logger.warn(
          { err: e instanceof Error ? e.message : String(e) },
          "api: webhook last-use times not written; retried with the next use",
        );
      })
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
  }

  /** Stops the timer and writes what is pending (the server's close). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
