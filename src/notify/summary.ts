/**
 * The daily summary scheduler (leader only): at the configured local time in the configured time
 * zone (the `telegram` setting, re-read at least every minute) it enqueues the summary of that
 * local day for every chat, dedup key `tg:summary:<local date>`: two instances, or a restart at the
 * minute, still store one summary per day.
 */
import type { Logger } from "../log/logger.js";
import type { Store } from "../store/types.js";
import { switchFor } from "../trading/services/notifications.js";
import type { TimeSource } from "../util/clock.js";
import type { NotifierBalances } from "./deps.js";
import { renderDailySummary } from "./messages/summary.js";
import { currentMode, enqueueForChats, notificationSettings } from "./outbox.js";
import { localDate, localMidnight, nextLocalTime } from "./schedule.js";

export interface SummaryOptions {
  store: Store;
  time: TimeSource;
  logger: Logger;
  chatIds: readonly string[];
  isLeader(): boolean;
  balances(): NotifierBalances;
  mode: { demo: boolean; envLiveTrading: boolean };
  /** Called after a summary was stored (the sender's wake-up). */
  onEnqueued?: () => void;
}

export class DailySummary {
  private timer: ReturnType<TimeSource["setTimeout"]> | undefined;
  private target: { at: number; key: string } | undefined;
  private stopped = true;

  constructor(private readonly o: SummaryOptions) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.o.time.clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { time, store, logger } = this.o;
    try {
      const s = await notificationSettings(store, logger);
      const { time: hhmm, timeZone, enabled } = s.dailySummary;
      const key = `${hhmm}|${timeZone}|${enabled}`;
      const now = time.now();
      if (!enabled || switchFor(s, "daily.summary") === "off") this.target = undefined;
      else if (this.target && this.target.key === key && now >= this.target.at) {
        if (this.o.isLeader())
          await this.enqueue(this.target.at - 60_000, timeZone, switchFor(s, "daily.summary") === "silent");
        this.target = { at: nextLocalTime(now, hhmm, timeZone), key };
      } else if (!this.target || this.target.key !== key)
        this.target = { at: nextLocalTime(now, hhmm, timeZone), key };
    } catch (e) {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "telegram: daily summary failed");
    }
    if (this.stopped) return;
    const wait = this.target ? Math.max(0, Math.min(this.target.at - time.now(), 60_000)) : 60_000;
    this.timer = time.setTimeout(() => void this.tick(), wait);
  }

  /** Stores the summary of the local day containing `dayInstant`. */
  async enqueue(dayInstant: number, timeZone: string, silent: boolean): Promise<void> {
    const { store } = this.o;
    const date = localDate(dayInstant, timeZone);
    await store.transaction(async (tx) => {
      const text = await renderDailySummary({
        mode: await currentMode(tx, this.o.mode),
        date,
        timeZone,
        since: localMidnight(dayInstant, timeZone),
        balances: this.o.balances(),
        reads: tx,
      });
      await enqueueForChats(tx, this.o.chatIds, `tg:summary:${date}`, {
        kind: "daily.summary",
        text,
        silent,
      });
    });
    this.o.onEnqueued?.();
  }
}
