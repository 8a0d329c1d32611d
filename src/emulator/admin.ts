/**
 * The admin API in process: read and set keys, balances, clock offset, faults and instrument state;
 * set or nudge a price; step the market; read the order log (bounded, paged by seq). The HTTP admin routes
 * (/emulator/admin/*, loopback callers only) call exactly these methods. Inputs are validated with
 * the configuration's schemas; AdminError carries the HTTP status and names the field.
 * Secrets are never returned: keys are listed with `len=N fp=…` instead of the secret.
 */

import { z } from "zod";
import { AtpError, type Disposition } from "../domain/errors.js";
import { dec } from "../util/decimal.js";
import {
  accountSchema,
  clockOffsetSchema,
  type FaultConfig,
  type FaultInput,
  faultSchema,
  type KeyInput,
  keySchema,
} from "./config.js";
import { issueProblems, reservedKeyProblems } from "./config-problems.js";
import type { EmulatedExchange } from "./exchange.js";
import { keyToPublic } from "./keys.js";
import type { LoggedOrder } from "./order-log.js";

export class AdminError extends AtpError {
  get errorCode(): string {
    return "emulator.admin_request";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "AdminError";
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const reserved = reservedKeyProblems(value, [what]);
  const r = schema.safeParse(value);
  if (!r.success || reserved.length > 0) {
    const issues = issueProblems(r.error?.issues ?? [], [what]);
    throw new AdminError(400, [...reserved, ...issues].join("; "));
  }
  return r.data;
}

/** The same rules as `accounts.*.balances` in the config. */
const balancesSchema = accountSchema.shape.balances;

const DEFAULT_PAGE = 1_000;
const MAX_PAGE = 10_000;

/** A received order request (`response_code`: 0 = accepted) with its current state. */
export interface AdminOrder extends LoggedOrder {
  /** Current status (REJECTED for a request refused before an order existed). */
  status: string;
  reason: number | null;
  cumulative_quantity: string | null;
}

export interface OrdersPage {
  orders: AdminOrder[];
  next_after: number | null;
  total: number;
  dropped: number;
  received: number;
}

export interface BalanceView {
  total: string;
  reserved: string;
  available: string;
}

/** Callbacks the transports register (WebSocket drops). */
export interface AdminHooks {
  dropWebSockets?: () => number;
}

export class EmulatorAdmin {
  constructor(
    private readonly ex: EmulatedExchange,
    private readonly hooks: AdminHooks = {},
  ) {}

  // ---- keys
  keys(): Record<string, unknown>[] {
    return this.ex.keys.list().map(keyToPublic);
  }

  setKeys(keys: KeyInput[]): void {
    const parsed = parse(z.array(keySchema), keys, "keys");
    for (const [i, k] of parsed.entries()) this.requireAccount(k.account, `keys[${i}].account`);
    this.ex.keys.replace(parsed);
  }

  upsertKey(key: KeyInput): void {
    const k = parse(keySchema, key, "key");
    this.requireAccount(k.account, "key.account");
    this.ex.keys.upsert(k);
  }

  removeKey(apiKey: string): void {
    if (!this.ex.keys.remove(apiKey)) throw new AdminError(404, `no key ${apiKey}`);
  }

  setKeyEnabled(apiKey: string, enabled: boolean): void {
    const k = this.ex.keys.get(apiKey);
    if (!k) throw new AdminError(404, `no key ${apiKey}`);
    k.enabled = enabled;
  }

  private requireAccount(account: string, field: string): void {
    if (!this.ex.engine.ledger.hasAccount(account)) {
      throw new AdminError(400, `${field}: no account named "${account}" (set its balances first)`);
    }
  }

  // ---- balances
  accounts(): string[] {
    return this.ex.engine.ledger.accountNames();
  }

  balances(account: string): Record<string, BalanceView> {
    const ledger = this.ex.engine.ledger;
    if (!ledger.hasAccount(account)) throw new AdminError(404, `no account ${account}`);
    const out: Record<string, BalanceView> = Object.create(null);
    for (const [ccy, row] of ledger.rows(account)) {
      out[ccy] = {
        total: row.total.toFixed(),
        reserved: row.reserved.toFixed(),
        available: ledger.available(account, ccy).toFixed(),
      };
    }
    return out;
  }

  /** Sets owned balances (creates the account when new); reservations of open orders are kept. */
  setBalances(account: string, balances: Record<string, string>): void {
    if (typeof account !== "string" || account === "") throw new AdminError(400, "account: must be a name");
    this.ex.engine.setBalances(account, parse(balancesSchema, balances, "balances"));
  }

  // ---- clock
  clock(): { now: number; offset_ms: number } {
    return { now: this.ex.clock.now(), offset_ms: this.ex.clock.offset };
  }

  setClockOffset(ms: number): void {
    this.ex.clock.setOffset(parse(clockOffsetSchema, ms, "offset_ms"));
  }

  // ---- faults
  faults(): ReturnType<EmulatedExchange["faults"]["list"]> {
    return this.ex.faults.list();
  }

  setFaults(faults: FaultInput[]): void {
    this.ex.faults.replace(parse(z.array(faultSchema), faults, "faults") as FaultConfig[]);
  }

  addFault(fault: FaultInput): void {
    this.ex.faults.add(parse(faultSchema, fault, "fault") as FaultConfig);
  }

  clearFaults(): void {
    this.ex.faults.clear();
  }

  // ---- market
  private requireInstrument(symbol: string): void {
    if (!this.ex.market.has(symbol))
      throw new AdminError(404, `instrument_name: unknown instrument ${symbol}`);
  }

  price(symbol: string): string {
    this.requireInstrument(symbol);
    return this.ex.market.mid(symbol)!.toFixed();
  }

  /** Sets the mid price; resting orders and triggers are re-checked at once. Returns the price set. */
  setPrice(symbol: string, price: string): string {
    this.requireInstrument(symbol);
    let p: ReturnType<typeof dec>;
    try {
      p = dec(price);
    } catch {
      throw new AdminError(400, `price: ${JSON.stringify(price)} is not a decimal string`);
    }
    if (p.lte(0)) throw new AdminError(400, "price: must be positive");
    const inst = this.ex.engine.instrument(symbol)!;
    this.ex.market.setPrice(symbol, this.ex.market.toTick(inst, p.toNumber()));
    return this.price(symbol);
  }

  /** Moves the price by `pct` percent (e.g. -5); returns the new price. */
  nudgePrice(symbol: string, pct: number): string {
    this.requireInstrument(symbol);
    if (typeof pct !== "number" || !Number.isFinite(pct) || pct <= -100) {
      throw new AdminError(400, "nudge_pct: must be a number above -100");
    }
    return this.ex.market.nudgePrice(symbol, pct).toFixed();
  }

  /** Advances the market `count` ticks (deterministic for a seed). */
  tick(count = 1): void {
    this.ex.tick(parse(z.number().int().min(1).max(100_000), count, "count"));
  }

  setTradable(symbol: string, tradable: boolean): void {
    this.requireInstrument(symbol);
    this.ex.engine.setTradable(symbol, parse(z.boolean(), tradable, "tradable"));
  }

  // ---- orders
  /** Every retained order request (accepted or not), oldest first, with its current status. */
  orders(): AdminOrder[] {
    return this.ex.orderLog.all().map((r) => this.withStatus(r));
  }

  /**
   * One page of the order log: up to `limit` (1–10000, default 1000) entries with `seq` > `after`
   * (default 0), oldest first. `next_after` is the `after` of the next page (null on the last);
   * `total` entries are retained, `dropped` (all final) were dropped to stay within
   * `limits.order_log_size`, `received` = total + dropped.
   */
  ordersPage(q: { after?: unknown; limit?: unknown } = {}): OrdersPage {
    const after = parse(
      z
        .number({ error: "must be a whole number (the seq of the last entry read, 0 for the start)" })
        .int("must be a whole number")
        .min(0, "must be 0 or more")
        .default(0),
      q.after,
      "after",
    );
    const limit = parse(
      z
        .number({ error: `must be a whole number from 1 to ${MAX_PAGE}` })
        .int(`must be a whole number from 1 to ${MAX_PAGE}`)
        .min(1, `must be from 1 to ${MAX_PAGE}`)
        .max(MAX_PAGE, `must be from 1 to ${MAX_PAGE}`)
        .default(DEFAULT_PAGE),
      q.limit,
      "limit",
    );
    const log = this.ex.orderLog;
    const page = log.page(after, limit);
    return {
      orders: page.entries.map((r) => this.withStatus(r)),
      next_after: page.next ?? null,
      total: log.size,
      dropped: log.dropped,
      received: log.received,
    };
  }

  private withStatus(r: LoggedOrder): AdminOrder {
    const o = r.order_id ? this.ex.engine.orderById(r.order_id) : undefined;
    if (o)
      return { ...r, status: o.status, reason: o.reason ?? null, cumulative_quantity: o.cumQty.toFixed() };
    // An order the engine no longer keeps (beyond limits.max_final_orders): its last state.
    const settled = r.order_id ? this.ex.orderLog.settled(r.order_id) : undefined;
    if (settled) return { ...r, ...settled };
    return { ...r, status: "REJECTED", reason: r.response_code, cumulative_quantity: null };
  }

  openOrderCount(): number {
    return this.ex.engine.openCount();
  }

  /** Final orders the matching engine forgot (beyond limits.max_final_orders). */
  forgottenOrderCount(): number {
    return this.ex.engine.forgottenCount();
  }

  // ---- websockets
  /** Drops every WebSocket connection now (without a close frame); returns how many. */
  dropWebSockets(): number {
    return this.hooks.dropWebSockets?.() ?? 0;
  }
}
