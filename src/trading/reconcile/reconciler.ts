/**
 * `Reconciler`: converges the store with what a venue says — at start, every `intervalMs`, and
 * whenever `requestPass()` asks (the lead calls it on the user stream's `ready` after a reconnect).
 *
 * Invariants:
 * - Passes never overlap: every pass runs after the previous one settled, and a request while
 *   one is waiting joins that waiting pass instead of queueing another.
 * - A pass reads the whole venue snapshot before it writes anything; a read failure (exchange
 *   down, auth circuit open) fails the pass with nothing written. A scheduled or requested pass
 *   that fails is logged and retried at the next interval; it never throws out.
 * - Nothing is written when this process is not the leader (`ctx.isLeader()`).
 * - Order of work: trades first (so lot effects see fills), then orders, then lots, then balances.
 * - Every wait goes through `ctx.time`.
 */
import type { TimerHandle } from "../../util/clock.js";
import { convergeOrders, type OrderPassEnv } from "./orders.js";
import { compareBalances, insertTrades, protectLots } from "./positions.js";
import { readVenueSnapshot } from "./snapshot.js";
import { emptyReconcileReport, type ReconcileReport, type ReconcilerOptions } from "./types.js";

export const DEFAULT_RECONCILE_INTERVAL_MS = 15_000;
export const DEFAULT_HISTORY_WINDOW_MS = 3_600_000;
export const DEFAULT_PENDING_GRACE_MS = 120_000;
export const DEFAULT_OUR_PREFIXES: readonly string[] = ["atp-", "dry-"];

export class Reconciler {
  private readonly opts: ReconcilerOptions;
  private readonly intervalMs: number;
  private readonly historyWindowMs: number;
  private readonly pendingGraceMs: number;
  private readonly ourPrefixes: readonly string[];
  private readonly flagged = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();
  private waiting: Promise<ReconcileReport> | undefined;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(opts: ReconcilerOptions) {
    this.opts = opts;
    this.intervalMs = opts.intervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
    this.historyWindowMs = opts.historyWindowMs ?? DEFAULT_HISTORY_WINDOW_MS;
    this.pendingGraceMs = opts.pendingGraceMs ?? DEFAULT_PENDING_GRACE_MS;
    this.ourPrefixes = opts.ourPrefixes ?? DEFAULT_OUR_PREFIXES;
  }

  /** Runs a pass at once, then one every `intervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.requestPass();
  }

  /** No further passes; resolves when the pass in flight (if any) settled. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.opts.ctx.time.clearTimeout(this.timer);
    this.timer = undefined;
    await this.tail;
  }

  /** Runs a pass as soon as possible (after the one in flight); failures are logged. */
  requestPass(): void {
    this.pass().catch((e: unknown) =>
      this.opts.ctx.logger.error({ err: e }, "reconcile pass failed; retrying at the next interval"),
    );
  }

  /** One pass (queued behind the one in flight); rejects when the venue could not be read. */
  pass(): Promise<ReconcileReport> {
    if (this.waiting) return this.waiting;
    const p = this.tail.then(() => {
      this.waiting = undefined;
      return this.runPass();
    });
    this.waiting = p;
    this.tail = p.then(
      () => this.schedule(),
      () => this.schedule(),
    );
    return p;
  }

  /** The next scheduled pass, `intervalMs` after the last one settled (none while one waits). */
  private schedule(): void {
    if (this.timer) this.opts.ctx.time.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.waiting) return;
    this.timer = this.opts.ctx.time.setTimeout(() => {
      this.timer = undefined;
      this.requestPass();
    }, this.intervalMs);
  }

  private async runPass(): Promise<ReconcileReport> {
    const { ctx, venue } = this.opts;
    const started = ctx.time.now();
    const report = emptyReconcileReport();
    if (!ctx.isLeader()) return { ...report, skipped: "not_leader" };
    const snap = await readVenueSnapshot(venue.client, started - this.historyWindowMs);
    const env: OrderPassEnv = {
      ctx,
      venue,
      hooks: this.opts.hooks,
      ourPrefixes: this.ourPrefixes,
      pendingGraceMs: this.pendingGraceMs,
      report,
    };
    await insertTrades(env, snap.trades);
    await convergeOrders(env, snap);
    await protectLots(env, this.flagged);
    await compareBalances(env, snap);
    report.durationMs = ctx.time.now() - started;
    if (report.corrections > 0 || report.flagged > 0 || report.unresolved > 0) {
      ctx.logger.info({ ...report, mode: venue.mode }, "reconcile pass");
    }
    return report;
  }
}
