/**
 * The trader: the one pipeline for automatic and manual orders (intake → mode → guards → sizing →
 * placement → confirmation → protection → tracking), its background work and its resume on start.
 *
 * Invariants:
 * - Every side effect first checks `ctx.isLeader()` (and that the trader is not stopping):
 *   a non-leader does nothing.
 * - One background task per key at a time (protect:<lot>, settle:<lot>, exit:<lot>): a request
 *   while it runs reruns it once after, so updates are never lost and work never doubles.
 * - Every order update (stream or poll) goes through tracking/apply-update.ts; every trade the
 *   venue reports is stored as it arrives (tracking/record-fill.ts).
 * - stop(): no new requests; sleeps end at once, background work finishes and the venue updates
 *   already received are applied (what the venue said before the stop is never lost); listeners removed.
 */
import type { Fill, Order } from "../exchange/types.js";
import type { Intent, NewSignal, OrderRecord } from "../store/types.js";
import { isInDoubt, type TradingMode } from "../store/vocabulary.js";
import type { TimerHandle } from "../util/clock.js";
import { dec } from "../util/decimal.js";
import { resolveMode, type TradingContext, type Venue, venueFor } from "./context.js";
import { runExit } from "./exits/exit.js";
import { inboxRequest } from "./inbox.js";
import { pollOnce } from "./pipeline/confirmation.js";
import { duplicateResult, enterNew, runEntry } from "./pipeline/entry.js";
import { appendSignalEvent, intake, intakeSignal } from "./pipeline/intake.js";
import { DEFAULT_ATTEMPT_STALE_MS, errText, type TraderRuntime } from "./pipeline/runtime.js";
import { DEFAULT_SL_PCT, DEFAULT_TP_PCT } from "./protection/prices.js";
import { protectLotNow } from "./protection/protect.js";
import type { OnDecided, RequestDecision, TradeOutcome, TradeRequest, TradeResult } from "./requests.js";
import { resumeIntents, resumeLots } from "./resume/resume.js";
import { applyOrderUpdate } from "./tracking/apply-update.js";
import { recordFill } from "./tracking/record-fill.js";
import { settleLot } from "./tracking/settle.js";

export interface TraderOptions {
  /** Poll interval when the stream is not connected or silent (default 1000 ms). */
  pollMs?: number;
  /** How long submit() waits for an entry/exit to be final (default 15 s). */
  confirmTimeoutMs?: number;
  defaultSlPct?: string;
  defaultTpPct?: string;
  /** See TraderRuntime.attemptStaleMs (default DEFAULT_ATTEMPT_STALE_MS, 65 s). */
  attemptStaleMs?: number;
  /**
   * While the order stream is connected, how long `tick()` leaves an open order alone after the
   * stream or a poll last reported it (default 60 s): a resting order is silent because nothing
   * changed, and reconciliation converges the open orders every pass besides.
   */
  restingPollMs?: number;
}

export const DEFAULT_RESTING_POLL_MS = 60_000;

type Waiter = () => void;

export class Trader {
  private readonly rt: TraderRuntime;
  private stopping = false;
  private readonly waiters = new Map<string, Set<Waiter>>();
  /**
   * When the stream or a poll of tick() last reported an order (by client_oid). tick() keeps only
   * the orders still open in the store: the map never grows with the orders that ended.
   */
  private readonly lastReport = new Map<string, number>();
  private readonly restingPollMs: number;
  private readonly sleeps = new Set<{ handle: TimerHandle; resolve: () => void }>();
  private readonly tasks = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly symbolQueue = new Map<string, Promise<void>>();
  /** Venue updates being applied (stop() waits for them: what the venue said before the stop is kept). */
  private readonly applying = new Set<Promise<void>>();

  constructor(
    private readonly ctx: TradingContext,
    opts: TraderOptions = {},
  ) {
    this.restingPollMs = opts.restingPollMs ?? DEFAULT_RESTING_POLL_MS;
    this.rt = {
      ctx,
      pollMs: opts.pollMs ?? 1000,
      confirmTimeoutMs: opts.confirmTimeoutMs ?? 15_000,
      defaultSlPct: dec(opts.defaultSlPct ?? DEFAULT_SL_PCT),
      defaultTpPct: dec(opts.defaultTpPct ?? DEFAULT_TP_PCT),
      attemptStaleMs: opts.attemptStaleMs ?? DEFAULT_ATTEMPT_STALE_MS,
      act: () => !this.stopping && ctx.isLeader(),
      waitUpdate: (oids, ms) => this.waitUpdate(oids, ms),
      apply: (order, record) => this.applyFor(order, record.mode),
      sleep: (ms) => this.sleep(ms),
      background: (key, fn) => this.background(key, fn),
    };
  }

  async start(): Promise<void> {
    for (const venue of this.venues()) {
      const onOrder = (o: Order) => {
        this.lastReport.set(o.clientOid, this.ctx.time.now());
        const p = this.onVenueUpdate(o, venue.mode)
          .catch((e) => this.ctx.logger.error({ err: errText(e) }, "order update failed"))
          .finally(() => this.applying.delete(p));
        this.applying.add(p);
      };
      // background work, so stop() waits for it; the leader stores it, a pass catches the rest
      const onTrade = (f: Fill) => {
        if (this.rt.act())
          this.background(`fill:${f.tradeId}`, () => recordFill(this.ctx.store, f, venue.mode));
      };
      venue.updates.on("order", onOrder);
      venue.updates.on("triggerOrder", onOrder);
      venue.updates.on("trade", onTrade);
      this.unsubscribe.push(() => {
        venue.updates.off("order", onOrder);
        venue.updates.off("triggerOrder", onOrder);
        venue.updates.off("trade", onTrade);
      });
    }
    if (!this.rt.act()) return;
    await resumeIntents(this.rt);
    await resumeLots(this.rt, {
      protect: (id) => this.scheduleProtect(id),
      reprotect: (id) => this.scheduleProtect(id),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const s of this.sleeps) {
      this.ctx.time.clearTimeout(s.handle);
      s.resolve();
    }
    this.sleeps.clear();
    await this.settled();
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Requests of one symbol run one after another (an exit never races another exit or entry of the symbol). */
  submit(req: TradeRequest): Promise<TradeResult> {
    return this.enqueue(req.symbol, async () => {
      if (req.side === "BUY" && this.rt.act()) return enterNew(this.rt, req);
      return this.afterIntake(req, await intake(this.rt, req));
    });
  }

  /**
   * The engine's path for a strategy signal. When this process acts and no request of the symbol is
   * running, the inbox row and its intent commit in ONE transaction (no separate inbox commit): a
   * BUY with its guards' verdict and first attempt row (pipeline/entry.ts `enterNew`), a SELL
   * before its exit; otherwise the row is stored PENDING and the inbox takes it (it never waits unstored).
   */
  async acceptSignal(row: NewSignal, onDecided?: OnDecided): Promise<TradeResult | undefined> {
    if (!this.rt.act() || this.symbolQueue.has(row.symbol)) {
      await this.ctx.store.transaction(async (tx) => {
        const stored = await tx.signals.insert(row);
        await appendSignalEvent(tx, stored.id, stored.symbol, (await resolveMode(this.ctx)).mode);
      });
      await this.processInbox();
      return undefined;
    }
    // told once: as soon as the entry's commit decided it, else from the result
    let told = false;
    const tell: OnDecided = (d) => {
      if (told) return;
      told = true;
      onDecided?.(d);
    };
    const result = await this.enqueue(row.symbol, async () => {
      if (row.side === "BUY" && this.rt.act()) {
        const signal = { ...row, id: row.id ?? this.ctx.store.newId() };
        return enterNew(this.rt, inboxRequest(signal), signal, tell);
      }
      const { req, ...taken } = await intakeSignal(this.rt, row);
      return this.afterIntake(req, taken);
    });
    tell({ outcome: decisionOf(result.outcome), intent: result.intent });
    return result;
  }

  private enqueue(symbol: string, fn: () => Promise<TradeResult>): Promise<TradeResult> {
    const prev = this.symbolQueue.get(symbol) ?? Promise.resolve();
    const run = prev.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.symbolQueue.set(symbol, tail);
    void tail.then(() => {
      if (this.symbolQueue.get(symbol) === tail) this.symbolQueue.delete(symbol);
    });
    return run;
  }

  private async afterIntake(
    req: TradeRequest,
    { created, intent }: { created: boolean; intent: Intent },
  ): Promise<TradeResult> {
    if (!created) return duplicateResult(this.rt, req, intent);
    if (!this.rt.act()) {
      return { outcome: "failed", intent, orders: [], message: "not the leader (or stopping): nothing sent" };
    }
    if (intent.side === "BUY") return runEntry(this.rt, intent, req);
    return runExit(this.rt, intent, req, (id) => this.scheduleProtect(id));
  }

  async processInbox(limit = 20): Promise<number> {
    if (!this.rt.act()) return 0;
    const claimed = await this.ctx.store.signals.claimPending(limit);
    for (const s of claimed) await this.submit(inboxRequest(s));
    return claimed.length;
  }

  /** (Re)protects a lot through the same one-task-per-lot queue as the trader's own work (never two OCOs at once). */
  async protectLot(lotId: string): Promise<void> {
    this.scheduleProtect(lotId);
    await this.tasks.get(`protect:${lotId}`);
  }

  /**
   * Cancels one of our open orders at its venue (the API's cancel), audited as `actor`, then reads
   * it back once; answers the order as stored. A protective leg is cancelled with its whole OCO
   * list; the lot is then unprotected, so tracking protects it again with a new OCO (the API asks
   * for an explicit confirmation first).
   */
  async cancelOrder(orderId: string, actor: string): Promise<OrderRecord> {
    const { store } = this.ctx;
    const rec = await store.orders.get(orderId);
    if (!rec) throw new Error(`order ${orderId} not found`);
    const venue = venueFor(this.ctx, rec.mode);
    if (!venue || !this.rt.act()) throw new Error("not the leader (or no venue): nothing cancelled");
    const leg = rec.role === "TAKE_PROFIT" || rec.role === "STOP_LOSS";
    // a protective leg goes with its OCO list: half a protection is never left standing
    if (leg && rec.listId) await venue.client.cancelOco(rec.listId);
    else
      await venue.client.cancelOrder(
        rec.exchangeOrderId ? { orderId: rec.exchangeOrderId } : { clientOid: rec.clientOid ?? "" },
      );
    await store.audit.append({
      actor,
      action: "order.cancel",
      entity: "order",
      entityId: rec.id,
      before: { status: rec.status },
      after: { cancel: "requested" },
    });
    await pollOnce(this.rt, venue, rec);
    return (await store.orders.get(orderId)) ?? rec;
  }

  async onVenueUpdate(order: Order, mode: TradingMode): Promise<void> {
    await this.applyFor(order, mode);
  }

  /** Resolves when no request is running or queued, no venue update is being applied and no background work is left. */
  async settled(): Promise<void> {
    while (this.tasks.size > 0 || this.symbolQueue.size > 0 || this.applying.size > 0)
      await Promise.allSettled([...this.tasks.values(), ...this.symbolQueue.values(), ...this.applying]);
  }

  async tick(): Promise<void> {
    if (!this.rt.act()) return;
    for (const lot of await this.ctx.store.lots.listUnprotected()) {
      if (lot.status === "OPEN") this.scheduleProtect(lot.id);
    }
    const open = await this.ctx.store.orders.listNonFinal();
    // forget the reports of orders that ended: the map holds only what is still open
    const oids = new Set(open.map((o) => o.clientOid));
    for (const oid of this.lastReport.keys()) if (!oids.has(oid)) this.lastReport.delete(oid);
    for (const o of open) {
      if (o.external || isInDoubt(o)) continue;
      const venue = venueFor(this.ctx, o.mode);
      if (!venue || (venue.updates.connected && this.reportedWithin(o.clientOid, this.restingPollMs)))
        continue;
      if (o.clientOid) this.lastReport.set(o.clientOid, this.ctx.time.now());
      await pollOnce(this.rt, venue, o);
    }
  }

  /** How many orders' last report the trader keeps (the open ones after a tick; tests). */
  get reportsKept(): number {
    return this.lastReport.size;
  }

  // --- internals ------------------------------------------------------------------------------

  /** The stream or a poll of tick() reported the order less than `ms` ago. */
  private reportedWithin(clientOid: string | undefined, ms: number): boolean {
    const last = clientOid ? this.lastReport.get(clientOid) : undefined;
    return last !== undefined && this.ctx.time.now() - last < ms;
  }

  private venues(): Venue[] {
    const v = this.ctx.venues;
    return v.live && v.live !== v.dry && v.live.updates !== v.dry.updates ? [v.dry, v.live] : [v.dry];
  }

  private async applyFor(order: Order, mode: TradingMode): Promise<void> {
    const known = order.clientOid ? await this.ctx.store.orders.findByClientOid(order.clientOid) : undefined;
    const venue = venueFor(this.ctx, known?.mode ?? mode);
    if (!venue) return;
    const res = await applyOrderUpdate(this.ctx, venue, order, known?.mode ?? mode);
    this.notify(res.record);
    for (const f of res.followUps) {
      if (f.kind === "protect") this.scheduleProtect(f.lotId);
      else this.scheduleSettle(f.lotId, venue);
    }
  }

  private scheduleProtect(lotId: string): void {
    this.background(`protect:${lotId}`, async () => {
      await protectLotNow(this.rt, lotId);
    });
  }

  private scheduleSettle(lotId: string, venue: Venue): void {
    this.background(`settle:${lotId}`, async () => {
      const r = await settleLot(this.rt, venue, lotId);
      if (r === "unprotected") this.scheduleProtect(lotId);
    });
  }

  private notify(rec: OrderRecord): void {
    const set = rec.clientOid ? this.waiters.get(rec.clientOid) : undefined;
    if (!set) return;
    for (const w of [...set]) w();
  }

  private waitUpdate(oids: readonly string[], ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (v: boolean) => {
        if (done) return;
        done = true;
        for (const o of oids) this.waiters.get(o)?.delete(waiter);
        this.ctx.time.clearTimeout(handle);
        resolve(v);
      };
      const waiter = () => finish(true);
      for (const o of oids) {
        const set = this.waiters.get(o) ?? new Set<Waiter>();
        set.add(waiter);
        this.waiters.set(o, set);
      }
      const handle = this.ctx.time.setTimeout(() => finish(false), ms);
      if (this.stopping) finish(false);
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        handle: this.ctx.time.setTimeout(() => {
          this.sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleeps.add(entry);
    });
  }

  private background(key: string, fn: () => Promise<void>): void {
    if (this.tasks.has(key)) {
      this.again.add(key);
      return;
    }
    const run = async (): Promise<void> => {
      try {
        await fn();
      } catch (e) {
        this.ctx.logger.error({ err: errText(e), task: key }, "background work failed");
      }
      if (this.again.delete(key) && this.rt.act()) return run();
    };
    const p = run().finally(() => this.tasks.delete(key));
    this.tasks.set(key, p);
  }
}

/** A finished request's outcome as a decision (placed, filled or failed at the venue: past its guards). */
function decisionOf(outcome: TradeOutcome): RequestDecision["outcome"] {
  return outcome === "duplicate" || outcome === "blocked" ? outcome : "accepted";
}
