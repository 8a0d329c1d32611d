/**
 * The emulated exchange without its transports: configuration, clock, simulated market, matching
 * core, keys, faults, rate limiter and the log of every order received. The HTTP server, the
 * WebSocket hub and the admin API all act on one instance.
 *
 * Failure modes: method handlers never throw to the transport; a ParamError becomes its code, and
 * an unexpected exception becomes 50001 (logged by the transport).
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../domain/json-text.js";
import { FINAL_STATUSES, unreachable } from "../domain/orders.js";
import { codeInfo } from "../exchange/cryptocom/error-codes.js";
import type { Clock } from "../util/clock.js";
import { Dec } from "../util/decimal.js";
import { EmulatorClock } from "./clock.js";
import { type EmulatorConfig, MAX_TIMER_MS } from "./config.js";
import { FaultEngine, FaultTimers } from "./faults.js";
import { fail, type Reply } from "./http/envelope.js";
import { toInstrument } from "./instruments.js";
import { type KeyRecord, KeyStore } from "./keys.js";
import { SimulatedMarket } from "./market/market.js";
import { balanceToWire, MatchingEngine } from "./matching/index.js";
import { ParamError } from "./methods/params.js";
import { methodInfo } from "./methods/table.js";
import { orderIdBaseOf } from "./order-ids.js";
import { OrderLog, type ReceivedOrder } from "./order-log.js";
import { SlidingWindowLimiter } from "./rate-limit.js";
import { Rng } from "./rng.js";
import { balancePush, fillPush, orderPushes, type UserPush } from "./user-push.js";

export type { ReceivedOrder } from "./order-log.js";

export interface CallContext {
  method: string;
  params: JsonObject;
  /** The authenticated key (private methods). */
  key?: KeyRecord | undefined;
  /** Nonce text of the request (default client_oid). */
  nonceText?: string | undefined;
  ip: string;
  transport: "rest" | "ws";
}

export type Handler = (ex: EmulatedExchange, ctx: CallContext) => Reply;

/** An authenticated private call as a transport received it (`EmulatedExchange.callPrivate`). */
export interface PrivateRequest {
  method: string;
  key: KeyRecord;
  /** The request's `params`, not yet checked to be an object. */
  params: JsonValue | undefined;
  /** Nonce text of the request (default client_oid). */
  nonceText: string | undefined;
  ip: string;
  transport: "rest" | "ws";
  /** REST: the method named in the signed body, which must be the URL's. */
  bodyMethod?: string | undefined;
}

export class EmulatedExchange {
  readonly clock: EmulatorClock;
  readonly market: SimulatedMarket;
  readonly engine: MatchingEngine;
  readonly keys: KeyStore;
  readonly faults: FaultEngine;
  readonly limiter: SlidingWindowLimiter;
  /** Every order request received, bounded (admin `GET /emulator/admin/orders`). */
  readonly orderLog: OrderLog;
  private readonly startedAt: number;
  private manualAdvance = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Requests held by latency faults: their timers and how to release them. */
  private readonly holds = new Map<NodeJS.Timeout, (completed: boolean) => void>();
  /** One timer per clock_jump fault, counted from when the fault was installed. */
  private readonly clockJumps: FaultTimers<"clock_jump">;
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly userListeners: ((p: UserPush) => void)[] = [];
  private closed = false;

  constructor(
    readonly config: EmulatorConfig,
    opts: { clock?: Clock | undefined } = {},
  ) {
    this.clock = new EmulatorClock(config.clock_offset_ms, opts.clock);
    this.limiter = new SlidingWindowLimiter(() => this.clock.local());
    this.startedAt = this.clock.now();
    const instruments = config.instruments.map((spec) => ({
      inst: toInstrument(spec),
      initialPrice: Number(spec.initial_price),
      dailyVolatility: spec.daily_volatility,
    }));
    this.market = new SimulatedMarket({
      instruments,
      seed: config.seed,
      now: () => this.marketNow(),
      historyEnd: config.start_time_ms ?? this.startedAt,
      historyDays: config.history_days,
      stepMs: Math.max(1, config.market_tick_ms || 1000) * config.speed,
    });
    this.engine = new MatchingEngine({
      instruments: instruments.map((i) => i.inst),
      market: this.market,
      now: () => this.clock.now(),
      fees: config.fees,
      maxOpenPerInstrument: config.limits.max_open_orders_per_instrument,
      maxOpenPerAccount: config.limits.max_open_orders_per_account,
      farLimitRatio: config.limits.far_limit_ratio,
      postOnlyReject: config.switches.post_only_reject,
      rejectWithResult: config.switches.reject_with_result,
      duplicateClientOidScope: config.switches.duplicate_client_oid_scope,
      untriggeredStatus: config.switches.untriggered_status,
      idBase: orderIdBaseOf(config),
      maxFinalOrders: config.limits.max_final_orders,
    });
    for (const [account, a] of Object.entries(config.accounts)) this.engine.setBalances(account, a.balances);
    this.orderLog = new OrderLog(config.limits.order_log_size, (id) => {
      const o = this.engine.orderById(id);
      return o !== undefined && !FINAL_STATUSES.has(o.status);
    });
    this.keys = new KeyStore(config.keys);
    this.faults = new FaultEngine(new Rng(config.seed, "faults"), config.faults);
    this.clockJumps = new FaultTimers(this.faults, "clock_jump", (f) => {
      if (this.faults.isExhausted(f)) return undefined;
      const t = setTimeout(() => {
        if (this.faults.isExhausted(f)) return;
        this.faults.markFired(f);
        this.clock.jump(f.ms);
      }, f.after_ms);
      return t.unref();
    });
    this.market.on((e) => {
      if (e.type === "tick") this.engine.onMarket(e.symbol);
    });
    this.engine.on((e) => {
      switch (e.type) {
        case "order":
          for (const p of orderPushes(e.order)) this.push(p);
          break;
        case "fill":
          this.push(fillPush(e.fill));
          break;
        case "balance":
          this.push(balancePush(e.account, this.balanceRow(e.account)));
          break;
        case "public_trade":
          this.market.print(e.symbol, e.price, e.qty, e.takerSide, this.marketNow());
          break;
        case "forgotten":
          // The order log outlives the engine's memory: its entry keeps the order's final state.
          this.orderLog.settle(e.order.orderId, {
            status: e.order.status,
            reason: e.order.reason ?? null,
            cumulative_quantity: e.order.cumQty.toFixed(),
          });
          break;
        default:
          unreachable(e, "matching event");
      }
    });
  }

  /** Market time: the emulator clock, `speed` times faster since start, plus manual ticks. */
  marketNow(): number {
    const now = this.clock.now();
    return this.startedAt + (now - this.startedAt) * this.config.speed + this.manualAdvance;
  }

  start(): void {
    if (this.config.market_tick_ms > 0) {
      this.tickTimer = setInterval(() => this.market.tick(), this.config.market_tick_ms);
      this.tickTimer.unref();
    }
    this.clockJumps.sync();
  }

  /** Advances the market by `n` nominal steps at once (deterministic for a seed). */
  tick(n = 1): void {
    const step = Math.max(1, this.config.market_tick_ms || 1000) * this.config.speed;
    for (let i = 0; i < n; i++) {
      this.manualAdvance += step;
      this.market.tick(step);
    }
  }

  stop(): void {
    this.closed = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.clockJumps.stop();
    for (const [t, release] of this.holds) {
      clearTimeout(t);
      release(false);
    }
    this.holds.clear();
  }

  /** Requests a latency fault holds right now. */
  heldRequests(): number {
    return this.holds.size;
  }

  /**
   * Holds a request for `ms` (latency faults; capped at MAX_TIMER_MS). Resolves true when the wait
   * is over, false at once when the emulator stops meanwhile: closing never waits for a held request.
   */
  hold(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(
        () => {
          this.holds.delete(t);
          resolve(!this.closed);
        },
        Math.min(ms, MAX_TIMER_MS),
      );
      this.holds.set(t, resolve);
    });
  }

  /** Runs the asynchronous part of an acknowledged order after `order_latency_ms`. */
  scheduleExecute(orderId: string): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) this.engine.execute(orderId);
    }, this.config.order_latency_ms);
    this.timers.add(t);
  }

  // ------------------------------------------------------------ user events

  onUserPush(listener: (p: UserPush) => void): () => void {
    this.userListeners.push(listener);
    return () => {
      const i = this.userListeners.indexOf(listener);
      if (i >= 0) this.userListeners.splice(i, 1);
    };
  }

  private push(p: UserPush): void {
    for (const l of this.userListeners) l(p);
  }

  // ------------------------------------------------------------ helpers for handlers

  /** USD value of one unit of `ccy` (stablecoins count as 1 USD). */
  usdPrice(ccy: string): Dec | undefined {
    if (ccy === "USD" || ccy === "USDT" || ccy === "USDC") return new Dec(1);
    return this.market.mid(`${ccy}_USD`) ?? this.market.mid(`${ccy}_USDT`);
  }

  balanceRow(account: string): Record<string, unknown> {
    return balanceToWire(this.engine.ledger, account, (c) => this.usdPrice(c));
  }

  recordReceived(r: Omit<ReceivedOrder, "received_at">): void {
    this.orderLog.add({ received_at: this.clock.now(), ...r });
  }

  /**
   * The private-call pipeline after authentication, shared by REST and the user WebSocket, in the
   * exchange's order: permission (missing_permission_code) → rate limit per API key and method
   * (42901; one budget whichever transport the call came over) → method (40002) → the body's method
   * matches the URL's (REST only, 40003) → params is an object (40003) → handler. Never throws.
   */
  callPrivate(r: PrivateRequest): Reply {
    const info = methodInfo(r.method);
    if (info?.permission && !r.key.permissions.has(info.permission)) {
      return fail(this.config.missing_permission_code, "UNAUTHORIZED");
    }
    if (this.config.rate_limits && info) {
      const { limit, windowMs } = info.rateLimit;
      if (!this.limiter.allow(`key|${r.key.apiKey}|${r.method}`, limit, windowMs)) {
        return fail(42901, codeInfo(42901).name);
      }
    }
    if (!info?.handler) return fail(40002, "METHOD_NOT_FOUND");
    if (r.bodyMethod !== undefined && r.bodyMethod !== r.method) {
      return fail(
        40003,
        `INVALID_REQUEST: method ${r.bodyMethod} in the body does not match the URL (${r.method})`,
      );
    }
    const params = r.params;
    if (params !== undefined && params !== null && !isJsonObject(params)) {
      return fail(40003, "INVALID_REQUEST: params must be an object");
    }
    return this.call({
      method: r.method,
      params: params ?? Object.create(null),
      key: r.key,
      nonceText: r.nonceText,
      ip: r.ip,
      transport: r.transport,
    });
  }

  /** Dispatches a method call that passed the transport's checks; never throws. */
  call(ctx: CallContext): Reply {
    const info = methodInfo(ctx.method);
    if (!info?.handler) return fail(40002, "METHOD_NOT_FOUND");
    try {
      return info.handler(this, ctx);
    } catch (err) {
      if (err instanceof ParamError) return fail(err.code, err.message);
      return fail(50001, `${codeInfo(50001).name}: ${(err as Error).message}`);
    }
  }
}
