/**
 * The matching core: order validation with the exchange's codes, balance reservation, fills against
 * a MarketView with maker/taker fees, trigger orders and OCO lists. Pure and synchronous: no HTTP,
 * no timers; time comes from `now()`. The emulator drives it (submit → acknowledge → execute later);
 * a dry-run broker can drive it over a real order book.
 *
 * Invariants:
 * - `submit()` never fills: it validates, reserves and records the order as NEW. `execute()` is the
 *   asynchronous part (matching, post-only/FOK/IOC outcomes, trigger arming).
 * - Balances only move through the Ledger: a reservation is taken at submit, consumed by fills and
 *   released when the last order sharing it is final. Fees are charged in the currency received.
 * - Every state change is published as an EngineEvent, in the order it happened.
 * - Orders never match each other (the simulated market is the only counterparty).
 * - Memory is bounded: every open order is kept, and the `maxFinalOrders` most recently final ones
 *   with their fills (order-store.ts); an older final order is forgotten (a `forgotten` event).
 *
 * Validation is checks.ts (a list of named checks); the predicates validation and execution share
 * (limit-like, post-only, trigger side, crossing) are predicates.ts.
 */
import { FINAL_STATUSES, isTriggerType, type OrderStatus } from "../../domain/orders.js";
import type { Instrument } from "../../exchange/cryptocom/instruments.js";
import { Dec, dec, floorToStep } from "../../util/decimal.js";
import { type CheckEnv, type Plan, type PlanResult, planOrder } from "./checks.js";
import { Ledger } from "./ledger.js";
import { DEFAULT_MAX_FINAL_ORDERS, OrderStore } from "./order-store.js";
import { crosses, isPostOnly, triggerHit, workingKind, wouldTake } from "./predicates.js";
import type {
  EngineEvent,
  MarketView,
  Origin,
  Reservation,
  SubmitResult,
  VenueBookLevel,
  VenueFill,
  VenueOrder,
  VenueOrderRequest,
} from "./types.js";

const ZERO = new Dec(0);

export interface EngineOptions {
  instruments: readonly Instrument[];
  market: MarketView;
  now: () => number;
  fees?: { maker: string; taker: string };
  maxOpenPerInstrument?: number;
  maxOpenPerAccount?: number;
  /** A limit price outside [ref × (1 − r), ref × (1 + r)] is rejected with 315. */
  farLimitRatio?: string;
  /** POST_ONLY that would take: "async" (REJECTED 43005 after the ack) or "sync" (code 43005). */
  postOnlyReject?: "async" | "sync";
  /** Rejections 306/314/315/415 are recorded as REJECTED orders and returned with the order. */
  rejectWithResult?: boolean;
  duplicateClientOidScope?: "all" | "open";
  untriggeredStatus?: "PENDING" | "NEW";
  /** First order id (ids are consecutive decimal strings). */
  idBase?: bigint;
  /**
   * Final orders kept for lookups (get-order-detail, history, trades) besides every open order;
   * beyond it the order final longest ago is forgotten. Default DEFAULT_MAX_FINAL_ORDERS (10,000).
   */
  maxFinalOrders?: number;
}

export interface SubmitOptions {
  origin?: Origin;
}

export interface OrderQuery {
  orderId?: string | undefined;
  clientOid?: string | undefined;
}

export interface OrderFilter {
  instrument?: string | undefined;
  origin?: Origin | "any";
  startTime?: number | undefined;
  endTime?: number | undefined;
  limit?: number | undefined;
}

/** Codes the exchange answers with a `result` (order recorded as REJECTED) when rejectWithResult is on. */
const WITH_RESULT: ReadonlySet<number> = new Set([306, 314, 315, 415]);

export class MatchingEngine {
  readonly ledger = new Ledger();
  private readonly instruments = new Map<string, Instrument>();
  private readonly store: OrderStore;
  private readonly checkEnv: CheckEnv;
  private readonly listeners: ((e: EngineEvent) => void)[] = [];
  private nextId: bigint;
  private nextTrade: bigint;
  private seq = 0;
  private readonly maker: Dec;
  private readonly taker: Dec;
  private readonly farRatio: Dec;
  private readonly opts: Required<
    Pick<
      EngineOptions,
      | "maxOpenPerInstrument"
      | "maxOpenPerAccount"
      | "postOnlyReject"
      | "rejectWithResult"
      | "duplicateClientOidScope"
      | "untriggeredStatus"
    >
  >;
  private touched = new Map<string, Set<string>>();
  private depth = 0;

  constructor(private readonly options: EngineOptions) {
    for (const i of options.instruments) this.instruments.set(i.symbol, i);
    this.maker = dec(options.fees?.maker ?? "0.0025");
    this.taker = dec(options.fees?.taker ?? "0.005");
    this.farRatio = dec(options.farLimitRatio ?? "0.5");
    this.nextId = options.idBase ?? 6_142_909_895_000_000_000n;
    this.nextTrade = this.nextId + 500_000_000_000n;
    this.opts = {
      maxOpenPerInstrument: options.maxOpenPerInstrument ?? 200,
      maxOpenPerAccount: options.maxOpenPerAccount ?? 1000,
      postOnlyReject: options.postOnlyReject ?? "async",
      rejectWithResult: options.rejectWithResult ?? true,
      duplicateClientOidScope: options.duplicateClientOidScope ?? "all",
      untriggeredStatus: options.untriggeredStatus ?? "PENDING",
    };
    this.store = new OrderStore(options.maxFinalOrders ?? DEFAULT_MAX_FINAL_ORDERS, (order) =>
      this.emit({ type: "forgotten", order }),
    );
    const store = this.store;
    this.checkEnv = {
      market: options.market,
      ledger: this.ledger,
      maxOpenPerInstrument: this.opts.maxOpenPerInstrument,
      maxOpenPerAccount: this.opts.maxOpenPerAccount,
      farRatio: this.farRatio,
      duplicateClientOidScope: this.opts.duplicateClientOidScope,
      postOnlyReject: this.opts.postOnlyReject,
      instrument: (symbol) => this.instruments.get(symbol),
      byClientOid: (account, clientOid) => store.byClientOid(account, clientOid),
      openOrders: () => store.openOrders(),
    };
  }

  // ---------------------------------------------------------------- events

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Groups balance events: one per account per top-level operation. */
  private batch<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0 && this.touched.size > 0) {
        const touched = this.touched;
        this.touched = new Map();
        for (const [account, ccys] of touched) {
          this.emit({ type: "balance", account, currencies: [...ccys].sort() });
        }
      }
    }
  }

  private touch(account: string, ccy: string): void {
    let s = this.touched.get(account);
    if (!s) {
      s = new Set();
      this.touched.set(account, s);
    }
    s.add(ccy);
  }

  // ---------------------------------------------------------------- instruments & balances

  instrument(symbol: string): Instrument | undefined {
    return this.instruments.get(symbol);
  }

  instrumentList(): Instrument[] {
    return [...this.instruments.values()];
  }

  /** The one place an instrument's tradable flag lives (orders, get-instruments and admin read it here). */
  setTradable(symbol: string, tradable: boolean): boolean {
    const i = this.instruments.get(symbol);
    if (!i) return false;
    this.instruments.set(symbol, { ...i, tradable });
    return true;
  }

  /** Sets an account's owned balances (reservations of open orders are kept). */
  setBalances(account: string, balances: Record<string, string>): void {
    this.batch(() => {
      this.ledger.ensureAccount(account);
      for (const [ccy, amount] of Object.entries(balances)) {
        this.ledger.setTotal(account, ccy, dec(amount));
        this.touch(account, ccy);
      }
    });
  }

  // ---------------------------------------------------------------- queries

  /** An order of the account by id or client_oid (open, or final and still remembered). */
  order(account: string, q: OrderQuery): VenueOrder | undefined {
    if (q.orderId !== undefined) {
      const o = this.store.get(q.orderId);
      return o && o.account === account ? o : undefined;
    }
    if (q.clientOid !== undefined) return this.store.byClientOid(account, q.clientOid);
    return undefined;
  }

  /** Any order by id, whoever owns it (admin). */
  orderById(orderId: string): VenueOrder | undefined {
    return this.store.get(orderId);
  }

  /** Every order remembered (open, and the retained final ones), in creation order. */
  allOrders(): VenueOrder[] {
    return this.store.all();
  }

  /** Open orders, every account. */
  openCount(): number {
    return this.store.openCount;
  }

  /** Final orders forgotten since start (beyond `maxFinalOrders`). */
  forgottenCount(): number {
    return this.store.forgotten;
  }

  /** The account's open orders in time priority. */
  open(account: string, f: OrderFilter = {}): VenueOrder[] {
    return [...this.store.openOrders()].filter((o) => o.account === account && matches(o, f));
  }

  /** The account's final orders (remembered ones), latest update first. */
  history(account: string, f: OrderFilter = {}): VenueOrder[] {
    const out = [...this.store.finalOrders()]
      .filter((o) => o.account === account && matches(o, f))
      .filter((o) => inWindow(o.updateTime, f))
      .sort((a, b) => b.updateTime - a.updateTime || b.seq - a.seq);
    return f.limit !== undefined ? out.slice(0, f.limit) : out;
  }

  /** The account's fills (of remembered orders), newest first. */
  trades(account: string, f: OrderFilter = {}): VenueFill[] {
    const out = [...this.store.fills()]
      .filter((t) => t.account === account && (!f.instrument || t.instrument.symbol === f.instrument))
      .filter((t) => inWindow(t.time, f))
      .sort((a, b) => b.time - a.time);
    return f.limit !== undefined ? out.slice(0, f.limit) : out;
  }

  // ---------------------------------------------------------------- submit (synchronous part)

  /**
   * Validates an order as the exchange does at the request and records it as NEW (reserving
   * balance). Returns the exchange's code on rejection. Call `execute(order.orderId)` afterwards.
   */
  submit(account: string, req: VenueOrderRequest, opts: SubmitOptions = {}): SubmitResult {
    return this.batch(() => {
      const origin = opts.origin ?? "plain";
      const check = this.check(account, req, { skipBalance: false });
      if (!check.ok) return this.rejected(account, req, check, origin);
      const order = this.create(account, req, check.plan, origin, undefined);
      this.reserveFor(order, check.plan);
      this.emit({ type: "order", order });
      return { ok: true, order };
    });
  }

  /**
   * An OCO list: exactly one LIMIT leg and one trigger leg, same instrument and side. One balance
   * reservation (the larger of the two) is shared; a fill or trigger of one leg cancels the other.
   */
  submitOco(
    account: string,
    legs: readonly VenueOrderRequest[],
  ): { ok: true; listId: string; orders: VenueOrder[] } | { ok: false; code: number; message: string } {
    return this.batch(() => {
      if (legs.length !== 2) {
        return { ok: false, code: 40004, message: "order_list must contain exactly 2 orders for OCO" };
      }
      const [a, b] = legs as [VenueOrderRequest, VenueOrderRequest];
      const limits = legs.filter((l) => l.type === "LIMIT").length;
      const triggers = legs.filter((l) => isTriggerType(l.type)).length;
      if (limits !== 1 || triggers !== 1) {
        return { ok: false, code: 40004, message: "OCO needs one LIMIT order and one trigger order" };
      }
      if (a.instrument_name !== b.instrument_name || a.side !== b.side) {
        return { ok: false, code: 40004, message: "OCO legs must have the same instrument_name and side" };
      }
      for (const l of legs) {
        if (isTriggerType(l.type) && l.ref_price_type !== undefined && l.ref_price_type !== "MARK_PRICE") {
          return { ok: false, code: 230, message: "OCO trigger legs accept ref_price_type MARK_PRICE only" };
        }
      }
      if (a.client_oid === b.client_oid) {
        return { ok: false, code: 204, message: "OCO legs need different client_oid values" };
      }
      const plans: Plan[] = [];
      for (const l of legs) {
        const c = this.check(account, l, { skipBalance: true });
        if (!c.ok) return { ok: false, code: c.code, message: c.message };
        plans.push(c.plan);
      }
      const [pa, pb] = plans as [Plan, Plan];
      const amount = Dec.max(pa.reserveAmount, pb.reserveAmount);
      if (this.ledger.available(account, pa.reserveCcy).lt(amount)) {
        return {
          ok: false,
          code: 306,
          message: `insufficient available ${pa.reserveCcy}: need ${amount.toFixed()}, available ${this.ledger.available(account, pa.reserveCcy).toFixed()}`,
        };
      }
      const listId = this.newId();
      const reservation: Reservation = { account, ccy: pa.reserveCcy, amount };
      this.ledger.reserve(account, pa.reserveCcy, amount);
      this.touch(account, pa.reserveCcy);
      const orders = legs.map((l, i) => {
        const o = this.create(account, l, plans[i]!, "advanced", listId);
        o.reservation = reservation;
        return o;
      });
      this.store.addList(listId, orders);
      for (const o of orders) this.emit({ type: "order", order: o });
      return { ok: true, listId, orders };
    });
  }

  private check(account: string, req: VenueOrderRequest, o: { skipBalance: boolean }): PlanResult {
    return planOrder(this.checkEnv, account, req, o.skipBalance);
  }

  private rejected(
    account: string,
    req: VenueOrderRequest,
    check: PlanResult & { ok: false },
    origin: Origin,
  ): SubmitResult {
    if (this.opts.rejectWithResult && WITH_RESULT.has(check.code) && check.plan) {
      const order = this.create(account, req, check.plan, origin, undefined, true);
      this.finish(order, "REJECTED", check.code);
      return { ok: false, code: check.code, message: check.message, order };
    }
    return { ok: false, code: check.code, message: check.message };
  }

  /** The next id of the seeded sequence (orders and OCO lists; the emulator's withdrawals too). */
  newId(): string {
    const id = this.nextId;
    this.nextId += 1n;
    return id.toString();
  }

  private create(
    account: string,
    req: VenueOrderRequest,
    p: Plan,
    origin: Origin,
    listId: string | undefined,
    rejected = false,
  ): VenueOrder {
    const now = this.options.now();
    const order: VenueOrder = {
      orderId: this.newId(),
      clientOid: req.client_oid,
      account,
      instrument: p.inst,
      side: req.side,
      type: req.type,
      timeInForce: p.tif,
      execInst: p.execInst,
      quantity: p.quantity,
      notional: p.notional,
      price: p.price,
      refPrice: p.refPrice,
      refPriceType: p.refPriceType,
      status: "NEW",
      reason: undefined,
      cumQty: ZERO,
      cumValue: ZERO,
      cumFee: ZERO,
      feeCcy: req.side === "BUY" ? p.inst.baseCcy : p.inst.quoteCcy,
      makerFeeRate: this.maker,
      takerFeeRate: this.taker,
      createTime: now,
      updateTime: now,
      origin,
      listId,
      contingencyType: listId ? "OCO" : undefined,
      triggered: false,
      processed: false,
      reservation: undefined,
      seq: ++this.seq,
    };
    this.store.add(order, rejected);
    return order;
  }

  private reserveFor(order: VenueOrder, p: Plan): void {
    if (p.reserveAmount.lte(0)) return;
    order.reservation = { account: order.account, ccy: p.reserveCcy, amount: p.reserveAmount };
    this.ledger.reserve(order.account, p.reserveCcy, p.reserveAmount);
    this.touch(order.account, p.reserveCcy);
  }

  // ---------------------------------------------------------------- execute (asynchronous part)

  /** Runs the asynchronous part of an acknowledged order. Safe to call twice. */
  execute(orderId: string): void {
    const order = this.store.get(orderId);
    if (!order || order.processed || FINAL_STATUSES.has(order.status)) return;
    this.batch(() => {
      order.processed = true;
      if (isTriggerType(order.type)) {
        order.status = this.opts.untriggeredStatus;
        order.updateTime = this.options.now();
        if (!this.checkTrigger(order)) this.emit({ type: "order", order });
        return;
      }
      this.work(order);
    });
  }

  /** Convenience for callers without an acknowledgement step: submit, then execute at once. */
  place(account: string, req: VenueOrderRequest, opts: SubmitOptions = {}): SubmitResult {
    const r = this.submit(account, req, opts);
    if (r.ok) this.execute(r.order.orderId);
    return r;
  }

  /** Matching of a live (non-trigger or triggered) order as a taker, then rest / cancel. */
  private work(order: VenueOrder): void {
    if (workingKind(order.type) === "LIMIT") {
      const price = order.price!;
      if (
        isPostOnly(order.execInst) &&
        wouldTake(this.options.market, order.instrument.symbol, order.side, price)
      ) {
        this.finish(order, "REJECTED", 43005);
        return;
      }
      if (order.timeInForce === "FILL_OR_KILL") {
        const can = this.fillable(order, price);
        if (can.lt(order.quantity!)) {
          this.finish(order, "CANCELED", 43003);
          return;
        }
      }
      this.take(order, price);
      if (this.remainingQty(order).lte(0)) {
        this.finish(order, "FILLED", undefined);
      } else if (order.timeInForce !== "GOOD_TILL_CANCEL") {
        this.finish(order, "CANCELED", order.timeInForce === "FILL_OR_KILL" ? 43003 : 43004);
      } else {
        order.status = "ACTIVE";
        order.updateTime = this.options.now();
        this.trimReservation(order);
        this.emit({ type: "order", order });
      }
      return;
    }
    // MARKET (or a triggered STOP_LOSS / TAKE_PROFIT).
    this.take(order, undefined);
    if (this.isComplete(order)) this.finish(order, "FILLED", undefined);
    else this.finish(order, "CANCELED", order.cumQty.gt(0) ? undefined : 43004);
  }

  private remainingQty(o: VenueOrder): Dec {
    return o.quantity ? o.quantity.sub(o.cumQty) : ZERO;
  }

  private isComplete(o: VenueOrder): boolean {
    if (o.quantity) return this.remainingQty(o).lte(0);
    if (o.notional) {
      const minStep = this.options.market
        .levels(o.instrument.symbol, "asks")[0]
        ?.price.mul(o.instrument.qtyTickSize);
      return o.notional.sub(o.cumValue).lt(minStep ?? o.notional);
    }
    return true;
  }

  /** Quantity the opposite book can fill at `limit` or better. */
  private fillable(order: VenueOrder, limit: Dec): Dec {
    let sum = ZERO;
    for (const l of this.opposite(order)) {
      if (!crosses(order.side, l.price, limit)) break;
      sum = sum.add(l.qty);
    }
    return sum;
  }

  private opposite(order: VenueOrder): readonly VenueBookLevel[] {
    return this.options.market.levels(order.instrument.symbol, order.side === "BUY" ? "asks" : "bids");
  }

  /** Takes liquidity as a taker, at each level's price, up to `limit` when given. */
  private take(order: VenueOrder, limit: Dec | undefined): void {
    const inst = order.instrument;
    const levels = this.opposite(order).map((l) => ({ price: l.price, qty: l.qty }));
    for (const l of levels) {
      if (limit && !crosses(order.side, l.price, limit)) break;
      let qty: Dec;
      if (order.quantity) {
        qty = Dec.min(l.qty, this.remainingQty(order));
      } else {
        const left = order.notional!.sub(order.cumValue);
        qty = Dec.min(l.qty, floorToStep(left.div(l.price), inst.qtyTickSize));
      }
      if (qty.lte(0)) break;
      if (!this.applyFill(order, l.price, qty, "TAKER")) break;
      if (order.quantity && this.remainingQty(order).lte(0)) break;
    }
  }

  /** Books one fill: balances, fees, order totals, events. False when the account cannot pay. */
  private applyFill(order: VenueOrder, price: Dec, qty: Dec, role: "MAKER" | "TAKER"): boolean {
    const inst = order.instrument;
    const account = order.account;
    const quote = price.mul(qty);
    const rate = role === "MAKER" ? order.makerFeeRate : order.takerFeeRate;
    const payCcy = order.side === "BUY" ? inst.quoteCcy : inst.baseCcy;
    const payAmount = order.side === "BUY" ? quote : qty;
    const res = order.reservation;
    const fromRes = res && res.ccy === payCcy ? Dec.min(res.amount, payAmount) : ZERO;
    const rest = payAmount.sub(fromRes);
    if (rest.gt(0) && this.ledger.available(account, payCcy).lt(rest)) return false;
    if (fromRes.gt(0)) {
      res!.amount = res!.amount.sub(fromRes);
      this.ledger.spendReserved(account, payCcy, fromRes);
    }
    if (rest.gt(0)) this.ledger.spend(account, payCcy, rest);
    const gotCcy = order.side === "BUY" ? inst.baseCcy : inst.quoteCcy;
    const gross = order.side === "BUY" ? qty : quote;
    const fee = gross.mul(rate);
    this.ledger.credit(account, gotCcy, gross.sub(fee));
    this.touch(account, payCcy);
    this.touch(account, gotCcy);
    order.cumQty = order.cumQty.add(qty);
    order.cumValue = order.cumValue.add(quote);
    order.cumFee = order.cumFee.add(fee);
    const now = this.options.now();
    order.updateTime = now;
    const tradeId = this.nextTrade.toString();
    this.nextTrade += 1n;
    const fill: VenueFill = {
      tradeId,
      matchId: tradeId,
      orderId: order.orderId,
      clientOid: order.clientOid,
      account,
      instrument: inst,
      side: order.side,
      price,
      quantity: qty,
      fee,
      feeCcy: gotCcy,
      role,
      time: now,
    };
    this.store.addFill(fill);
    const bookSide = order.side === "BUY" ? "asks" : "bids";
    this.options.market.consume?.(inst.symbol, bookSide, price, qty);
    this.emit({ type: "fill", fill });
    this.emit({
      type: "public_trade",
      symbol: inst.symbol,
      price,
      qty,
      takerSide: role === "TAKER" ? order.side : order.side === "BUY" ? "SELL" : "BUY",
      time: now,
    });
    if (order.listId) this.cancelSiblings(order);
    return true;
  }

  /**
   * A resting BUY that took liquidity below its limit keeps only remaining × limit reserved
   * (the price improvement is released). OCO reservations are shared and left alone.
   */
  private trimReservation(order: VenueOrder): void {
    const res = order.reservation;
    if (!res || order.listId || order.side !== "BUY" || !order.price) return;
    const need = this.remainingQty(order).mul(order.price);
    if (res.amount.gt(need)) {
      this.ledger.release(res.account, res.ccy, res.amount.sub(need));
      this.touch(res.account, res.ccy);
      res.amount = need;
    }
  }

  /** Moves an order to a final status, releases its reservation, publishes it. */
  private finish(order: VenueOrder, status: OrderStatus, reason: number | undefined): void {
    order.status = status;
    order.reason = reason;
    order.updateTime = this.options.now();
    this.store.settle(order);
    this.releaseIfDone(order);
    this.emit({ type: "order", order });
  }

  private releaseIfDone(order: VenueOrder): void {
    const res = order.reservation;
    if (!res || res.amount.lte(0)) return;
    if (order.listId) {
      const others = (this.store.list(order.listId) ?? []).filter((o) => o !== order);
      if (others.some((o) => !FINAL_STATUSES.has(o.status))) return;
    }
    this.ledger.release(res.account, res.ccy, res.amount);
    this.touch(res.account, res.ccy);
    res.amount = ZERO;
  }

  private cancelSiblings(order: VenueOrder): void {
    for (const s of this.store.list(order.listId!) ?? []) {
      if (s === order || FINAL_STATUSES.has(s.status)) continue;
      this.finish(s, "CANCELED", undefined);
    }
  }

  // ---------------------------------------------------------------- market updates

  /**
   * Re-checks resting orders and triggers of `symbol` (all instruments when omitted) after the
   * market moved. Resting limits that the book now crosses fill as MAKER at their limit price.
   */
  onMarket(symbol?: string): void {
    this.batch(() => {
      const candidates = [...this.store.openOrders()].filter(
        (o) => o.processed && (!symbol || o.instrument.symbol === symbol),
      );
      for (const o of candidates) {
        if (FINAL_STATUSES.has(o.status)) continue;
        if (isTriggerType(o.type) && !o.triggered) {
          this.checkTrigger(o);
          continue;
        }
        if (workingKind(o.type) !== "LIMIT" || o.status !== "ACTIVE") continue;
        const limit = o.price!;
        const levels = this.opposite(o).map((l) => ({ price: l.price, qty: l.qty }));
        let changed = false;
        for (const l of levels) {
          if (!crosses(o.side, l.price, limit)) break;
          const qty = Dec.min(l.qty, this.remainingQty(o));
          if (qty.lte(0)) break;
          if (!this.applyFill(o, limit, qty, "MAKER")) break;
          changed = true;
          if (FINAL_STATUSES.has(o.status)) break;
        }
        if (!changed || FINAL_STATUSES.has(o.status)) continue;
        if (this.remainingQty(o).lte(0)) this.finish(o, "FILLED", undefined);
        else this.emit({ type: "order", order: o });
      }
    });
  }

  /** Triggers the order when its condition holds; returns whether it did. */
  private checkTrigger(o: VenueOrder): boolean {
    const ref = this.options.market.refPrice(o.instrument.symbol, o.refPriceType ?? "MARK_PRICE");
    if (!ref || !o.refPrice) return false;
    if (!triggerHit(o.type, o.side, o.refPrice, ref)) return false;
    o.triggered = true;
    o.status = "ACTIVE";
    o.updateTime = this.options.now();
    if (o.listId) this.cancelSiblings(o);
    this.work(o);
    return true;
  }

  // ---------------------------------------------------------------- cancels

  cancel(
    account: string,
    q: OrderQuery,
  ): { ok: true; order: VenueOrder } | { ok: false; code: number; message: string } {
    return this.batch(() => {
      const o = this.order(account, q);
      if (!o) return { ok: false, code: 212, message: "order not found for this account" };
      if (FINAL_STATUSES.has(o.status)) {
        return { ok: false, code: 316, message: `order is already ${o.status}` };
      }
      this.finish(o, "CANCELED", undefined);
      return { ok: true, order: o };
    });
  }

  /** Cancels open orders; `kind` LIMIT = non-trigger orders, TRIGGER = untriggered trigger orders. */
  cancelAll(
    account: string,
    f: { instrument?: string | undefined; origin: Origin; kind: "LIMIT" | "TRIGGER" | "ALL" },
  ): VenueOrder[] {
    return this.batch(() => {
      const targets = this.open(account, { instrument: f.instrument, origin: f.origin }).filter((o) => {
        if (f.kind === "ALL") return true;
        const trig = isTriggerType(o.type) && !o.triggered;
        return f.kind === "TRIGGER" ? trig : !trig;
      });
      for (const o of targets) if (!FINAL_STATUSES.has(o.status)) this.finish(o, "CANCELED", undefined);
      return targets;
    });
  }

  cancelList(account: string, listId: string): { ok: true } | { ok: false; code: number; message: string } {
    return this.batch(() => {
      const legs = this.store.list(listId);
      if (!legs || legs[0]?.account !== account)
        return { ok: false, code: 212, message: `unknown list_id ${listId}` };
      const open = legs.filter((o) => !FINAL_STATUSES.has(o.status));
      if (open.length === 0) return { ok: false, code: 316, message: "the OCO list has no active order" };
      for (const o of open) this.finish(o, "CANCELED", undefined);
      return { ok: true };
    });
  }
}

function matches(o: VenueOrder, f: OrderFilter): boolean {
  if (f.instrument && o.instrument.symbol !== f.instrument) return false;
  const origin = f.origin ?? "any";
  if (origin === "advanced" && o.origin !== "advanced") return false;
  if (origin === "plain" && !(o.origin === "plain" || o.triggered)) return false;
  return true;
}

function inWindow(t: number, f: OrderFilter): boolean {
  if (f.startTime !== undefined && t < f.startTime) return false;
  if (f.endTime !== undefined && t > f.endTime) return false;
  return true;
}
