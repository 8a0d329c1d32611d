/**
 * SQLite WAL checkpoints, off the trading path. SQLite's automatic checkpoint runs inside the commit
 * that takes the WAL past 1000 pages: that commit — often an intent's, just before its create-order —
 * then also copies the pages into the database file and fsyncs it (milliseconds on a disk). The
 * connection is opened with `wal_autocheckpoint=0` instead (connect.ts) and this checkpointer runs
 * `PRAGMA wal_checkpoint(PASSIVE)` itself: when the store has been quiet for `idleMs` after at
 * least `minWrites` writes, and after `maxWrites` writes whatever the traffic (the WAL's bound).
 *
 * Invariants:
 * - A checkpoint changes nothing that is stored (it copies committed pages into the database
 *   file); it runs on the store's own connection, so it waits for an open transaction to end.
 * - One checkpoint at a time; a failure is logged and the next one retries (SQLite also
 *   checkpoints when the last connection closes).
 * - Timers come from `time` (unref'd by systemTime: they never keep a process alive); `stop()`
 *   clears them and waits for a checkpoint that is running.
 */
import type { Logger } from "../log/logger.js";
import type { TimerHandle, TimeSource } from "../util/clock.js";

export interface CheckpointPolicy {
  /** Quiet time after the last write before a checkpoint (default 200 ms). */
  idleMs: number;
  /** Writes since the last checkpoint that make a quiet moment worth one (default 100). */
  minWrites: number;
  /** Writes after which a checkpoint runs even without a quiet moment (default 2000). */
  maxWrites: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { idleMs: 200, minWrites: 100, maxWrites: 2000 };

export class Checkpointer {
  /** Checkpoints done so far (for tests). */
  done = 0;
  private writes = 0;
  private lastWriteAt = 0;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private forcing = false;

  constructor(
    private readonly checkpoint: () => Promise<void>,
    private readonly time: TimeSource,
    private readonly log: Logger,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {}

  /** One committed write (the store's write counter calls it). */
  wrote(): void {
    if (this.stopped) return;
    this.writes++;
    this.lastWriteAt = this.time.now();
    if (this.writes >= this.policy.maxWrites) this.arm(0);
    else if (this.writes >= this.policy.minWrites) this.arm(this.policy.idleMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.time.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(ms: number): void {
    if (this.running) return; // its end arms the next one
    if (this.timer !== undefined) {
      if (ms > 0 || this.forcing) return; // the armed timer re-checks when it fires
      this.time.clearTimeout(this.timer); // the bound is reached: now, not at the next quiet moment
    }
    this.forcing = ms === 0;
    this.timer = this.time.setTimeout(() => this.fire(), ms);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const quietFor = this.time.now() - this.lastWriteAt;
    const forced = this.writes >= this.policy.maxWrites;
    if (!forced && quietFor < this.policy.idleMs) {
      this.timer = this.time.setTimeout(() => this.fire(), this.policy.idleMs - quietFor);
      return;
    }
    this.writes = 0;
    this.running = this.checkpoint()
      .then(() => {
        this.done++;
      })
      .catch((e: unknown) =>
        this.log.warn(
          { err: e instanceof Error ? e.message : String(e) },
          "SQLite checkpoint failed; retried later",
        ),
      )
      .finally(() => {
        this.running = undefined;
        // writes made while it ran count towards the next one
        if (this.writes >= this.policy.minWrites) this.arm(this.policy.idleMs);
      });
  }
}
