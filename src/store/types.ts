/**
 * The store's public face: the `Store` and its repositories, and the records they take and return.
 * Trading code, the CLI and (later) the API depend on this file only; nothing here mentions Kysely
 * or a driver.
 *
 * Invariants every implementation keeps:
 * - Money is `Dec` in and out: converted to exact decimal text at the boundary (TEXT in SQLite,
 *   NUMERIC in PostgreSQL), never through a JS `number`. Exchange ids and trade ids are strings.
 * - Times are integer milliseconds since the epoch, taken from the store's injected clock when the
 *   caller gives none.
 * - Enum columns are read back through their closed lists (vocabulary.ts), never cast.
 * - Every write of one call is atomic; `transaction(fn)` makes several calls atomic, and every
 *   repository of the `tx` it passes is bound to that one transaction.
 * - An event is appended in the same transaction as the state change it reports, and every
 *   `onEvent` subscriber runs inside that transaction: its writes commit or roll back with the event.
 */

import type { Fill as ExchangeFill, Order as ExchangeOrder } from "../exchange/types.js";
import type { ThrottleStore } from "../strategy/throttle.js";
import type { Dec } from "../util/decimal.js";
import type {
  IntentKind,
  IntentStatus,
  Liquidity,
  LotExitReason,
  LotProtection,
  LotStatus,
  OrderRole,
  OrderType,
  OutboxState,
  Side,
  SignalStatus,
  StoredOrderStatus,
  TradingMode,
} from "./vocabulary.js";

/** Milliseconds since the epoch. */
export type Millis = number;

/** Any JSON value (stored as TEXT; money inside JSON is a decimal string). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type StoreDialect = "sqlite" | "postgres";

// --- watchlist -------------------------------------------------------------------------------------

export interface WatchlistItem {
  symbol: string;
  alertsEnabled: boolean;
  tradeEnabled: boolean;
  /** Amount per entry in USD; undefined = not configured (the AMOUNT_NOT_SET guard blocks). */
  amountUsd: Dec | undefined;
  slPct: Dec | undefined;
  tpPct: Dec | undefined;
  preset: string | undefined;
  /** Preset overrides as configured (JSON object). */
  overrides: { [key: string]: Json };
  createdAt: Millis;
  updatedAt: Millis;
}

/** Upsert input: fields left out keep their stored value (or the default on insert). */
export interface WatchlistInput {
  symbol: string;
  alertsEnabled?: boolean;
  tradeEnabled?: boolean;
  amountUsd?: Dec | null;
  slPct?: Dec | null;
  tpPct?: Dec | null;
  preset?: string | null;
  overrides?: { [key: string]: Json };
}

export interface WatchlistRepo {
  get(symbol: string): Promise<WatchlistItem | undefined>;
  list(): Promise<WatchlistItem[]>;
  /** Inserts or updates; defaults on insert: alerts off, trading off, nothing configured. */
  upsert(input: WatchlistInput): Promise<WatchlistItem>;
  remove(symbol: string): Promise<boolean>;
}

// --- settings --------------------------------------------------------------------------------------

export interface Limits {
  maxOpenPositionsPerSymbol: number;
  maxOpenPositionsTotal: number;
  cooldownS: number;
  maxUsdPerOrder: Dec;
  maxOrdersPerSymbolPerDay: number;
  maxNotionalPerSymbolPerDay: Dec;
}

export interface LossProtection {
  /** Daily realised-loss limit in USD (undefined = none). */
  dailyLossLimitUsd: Dec | undefined;
  /** Daily realised-loss limit in % of equity (undefined = none). */
  dailyLossLimitPct: Dec | undefined;
  /** Pause a symbol after this many stop-loss exits … */
  stoplossGuardCount: number;
  /** … within this many hours. */
  stoplossGuardHours: number;
}

export interface ProtectionSettings {
  slOrderType: "STOP_LIMIT" | "STOP_LOSS";
  /** Limit price of a STOP_LIMIT this % beyond its trigger. */
  stopLimitSlippagePct: Dec;
  /** Protection must be confirmed within this many seconds, or the lot is flattened. */
  deadlineS: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

/** What a notification kind does: sent with sound, sent silently, or not sent at all. */
export type NotificationSwitch = "on" | "silent" | "off";

/** The `telegram` setting: per-kind switches, the daily summary and the throttle window. */
export interface TelegramNotificationSettings {
  /** Kind (e.g. "order.filled", "daily.summary") → switch; a kind not listed uses its default. */
  events: { [kind: string]: NotificationSwitch };
  dailySummary: {
    enabled: boolean;
    /** Local time "HH:MM" (24 h) in `timeZone`. */
    time: string;
    /** An IANA time zone, e.g. "Europe/Berlin". */
    timeZone: string;
  };
  /** Identical throttled messages (guard blocks, repeated rejections) at most once per window. */
  throttleMinutes: number;
}

export interface SettingValues {
  live_trading: boolean;
  kill_switch: boolean;
  limits: Limits;
  loss_protection: LossProtection;
  protection: ProtectionSettings;
  telegram: TelegramNotificationSettings;
}
export type SettingKey = keyof SettingValues;

/** A setting as read: the stored value, or the default when no row exists. */
export interface SettingRead<K extends SettingKey> {
  value: SettingValues[K];
  source: "stored" | "default";
  updatedAt: Millis | undefined;
}

/**
 * A boolean switch read the fail-safe way: `value` is the safe value (not live, kill switch on)
 * unless the stored row says otherwise; `why` says which case applied.
 */
export interface SwitchRead {
  value: boolean;
  why: "stored" | "missing" | "invalid" | "read_error";
  detail?: string;
}

export interface SettingsRepo {
  /** The stored value, validated, or the default; a stored value that fails validation throws StoreDataError. */
  get<K extends SettingKey>(key: K): Promise<SettingRead<K>>;
  /** Validates (zod) and stores; returns the value as stored. */
  set<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<SettingValues[K]>;
  /** Fails CLOSED: any read error, missing row or invalid value → false. */
  liveTrading(): Promise<SwitchRead>;
  /** Fails SAFE: any read error or invalid value → engaged (true); a missing row → the default (off). */
  killSwitch(): Promise<SwitchRead>;
  /**
   * Every setting as of one read (one query): what one decision uses, so its switches, limits and
   * loss protections are of the same instant. Never rejects: a failed read makes both switches
   * fail as above (`read_error`) and `get` throw that error.
   */
  snapshot(): Promise<SettingsSnapshot>;
}

/** The settings of one read (`SettingsRepo.snapshot`), with the same rules as the repository's reads. */
export interface SettingsSnapshot {
  /** As `SettingsRepo.get`, from this read: throws StoreDataError for an invalid value, or the read's error. */
  get<K extends SettingKey>(key: K): SettingRead<K>;
  /** As `SettingsRepo.liveTrading` (fails CLOSED). */
  readonly liveTrading: SwitchRead;
  /** As `SettingsRepo.killSwitch` (fails SAFE). */
  readonly killSwitch: SwitchRead;
}

// --- signals (also the inbox) ----------------------------------------------------------------------

export interface SignalRecord {
  id: string;
  symbol: string;
  side: Side;
  /** Who produced it: "engine", "cli", "webhook", … */
  source: string;
  strategy: string;
  price: Dec | undefined;
  candleTime: Millis | undefined;
  receivedAt: Millis;
  trace: Json;
  status: SignalStatus;
  reasonCode: string | undefined;
  intentId: string | undefined;
}

export interface NewSignal {
  id?: string;
  symbol: string;
  side: Side;
  source: string;
  strategy: string;
  price?: Dec | undefined;
  candleTime?: Millis | undefined;
  receivedAt?: Millis;
  trace?: Json;
  /** What became of it, when decided in the transaction that stores it (default PENDING: the inbox takes it). */
  status?: SignalStatus;
  reasonCode?: string | undefined;
  intentId?: string | undefined;
}

export interface SignalsRepo {
  /** Inserts a signal: PENDING unless `status` says what became of it. */
  insert(input: NewSignal): Promise<SignalRecord>;
  get(id: string): Promise<SignalRecord | undefined>;
  /**
   * The oldest PENDING signals, in arrival order. Inside a PostgreSQL transaction the rows are
   * locked (`FOR UPDATE SKIP LOCKED`), so two consumers never claim the same signal; the consumer
   * changes their status in that transaction.
   */
  claimPending(limit: number): Promise<SignalRecord[]>;
  updateStatus(
    id: string,
    update: { status: SignalStatus; reasonCode?: string | undefined; intentId?: string | undefined },
  ): Promise<SignalRecord | undefined>;
  list(filter?: { symbol?: string; limit?: number }): Promise<SignalRecord[]>;
}

// --- intents ---------------------------------------------------------------------------------------

export interface Intent {
  id: string;
  idempotencyKey: string;
  kind: IntentKind;
  symbol: string;
  side: Side;
  mode: TradingMode;
  amountUsd: Dec | undefined;
  quantity: Dec | undefined;
  status: IntentStatus;
  reasonCode: string | undefined;
  /** Number of the latest attempt (0 = none yet). */
  attempt: number;
  lotId: string | undefined;
  signalId: string | undefined;
  guardTrace: Json;
  actor: string;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface NewIntent {
  id?: string;
  idempotencyKey: string;
  kind: IntentKind;
  symbol: string;
  side: Side;
  mode: TradingMode;
  amountUsd?: Dec | undefined;
  quantity?: Dec | undefined;
  status?: IntentStatus;
  /** Attempts already opened with the intent (default 0; 1 for an entry created SUBMITTING with its attempt row). */
  attempt?: number;
  reasonCode?: string | undefined;
  lotId?: string | undefined;
  signalId?: string | undefined;
  guardTrace?: Json;
  actor: string;
}

export type CreateIntentResult = { created: true; intent: Intent } | { created: false; existing: Intent };

export interface IntentTransition {
  to: IntentStatus;
  /** Only when the current status is one of these (compare-and-set). */
  from?: readonly IntentStatus[];
  reasonCode?: string | undefined;
  guardTrace?: Json;
  lotId?: string | undefined;
}

export type TransitionResult = { ok: true; intent: Intent } | { ok: false; current: Intent | undefined };

export interface IntentsRepo {
  /** Creates the intent, or returns the existing one of the same idempotency key (never two). */
  create(input: NewIntent): Promise<CreateIntentResult>;
  get(id: string): Promise<Intent | undefined>;
  findByKey(idempotencyKey: string): Promise<Intent | undefined>;
  /**
   * Moves the intent to `to` if its current status is in `from` (when given) and the move is allowed
   * (final statuses BLOCKED/DONE/FAILED never change); else `{ ok: false, current }`.
   */
  transition(id: string, t: IntentTransition): Promise<TransitionResult>;
  /** Increments the attempt counter atomically and returns the new attempt number. */
  nextAttempt(id: string): Promise<number>;
  /** Intents not yet final, oldest first (what a restart resumes). */
  listOpen(filter?: { symbol?: string; mode?: TradingMode }): Promise<Intent[]>;
}

// --- orders ----------------------------------------------------------------------------------------

export interface OrderRecord {
  id: string;
  intentId: string | undefined;
  attempt: number | undefined;
  /** Undefined only for an external order the exchange reported without one. */
  clientOid: string | undefined;
  exchangeOrderId: string | undefined;
  listId: string | undefined;
  symbol: string;
  side: Side;
  type: OrderType;
  role: OrderRole;
  parentId: string | undefined;
  lotId: string | undefined;
  status: StoredOrderStatus;
  quantity: Dec | undefined;
  notional: Dec | undefined;
  price: Dec | undefined;
  refPrice: Dec | undefined;
  filledQuantity: Dec;
  avgPrice: Dec | undefined;
  fee: Dec;
  feeCurrency: string | undefined;
  reason: string | undefined;
  mode: TradingMode;
  /** The exchange object as last received (JSON, money as strings). */
  raw: Json;
  /** Not placed by this atp (found on the exchange by reconciliation). */
  external: boolean;
  createdAt: Millis;
  updatedAt: Millis;
  exchangeTime: Millis | undefined;
}

/** The attempt row, committed before the request is written. */
export interface NewAttempt {
  id?: string;
  intentId: string;
  attempt: number;
  clientOid: string;
  symbol: string;
  side: Side;
  type: OrderType;
  role: OrderRole;
  mode: TradingMode;
  parentId?: string | undefined;
  lotId?: string | undefined;
  listId?: string | undefined;
  quantity?: Dec | undefined;
  notional?: Dec | undefined;
  price?: Dec | undefined;
  refPrice?: Dec | undefined;
}

/** How to file an exchange order that has no local row yet (adoption by reconciliation). */
export interface AdoptAs {
  role: OrderRole;
  mode: TradingMode;
  external: boolean;
  intentId?: string | undefined;
  attempt?: number | undefined;
  lotId?: string | undefined;
  parentId?: string | undefined;
}

export interface OrderApplyResult {
  order: OrderRecord;
  /** The row before the update (undefined when inserted). */
  before: OrderRecord | undefined;
  inserted: boolean;
  /** False when the update was stale (older than the stored state) and nothing changed. */
  changed: boolean;
}

/** An entry order's creation time and what it is worth (orders.entryValuesSince). */
export type EntryOrderValue = Pick<
  OrderRecord,
  "createdAt" | "notional" | "quantity" | "price" | "avgPrice" | "refPrice"
>;

export interface StoredOrderFilter {
  status?: StoredOrderStatus | readonly StoredOrderStatus[];
  symbol?: string;
  role?: OrderRole;
  mode?: TradingMode;
  /** created_at ≥ this. */
  since?: Millis;
}

export interface OrderPage {
  items: OrderRecord[];
  /** Pass as `cursor` for the next page; undefined on the last page. */
  nextCursor: string | undefined;
}

/**
 * An order as lists show it (the API's order lists, the dashboard): the columns of `OrderRecord`
 * but the exchange's raw object, the attempt number and the exchange time, with money as its exact
 * decimal text — the same text `Dec.toFixed()` gives (read-only: nothing computes with it).
 */
export type OrderListing = MoneyAsText<Omit<OrderRecord, "raw" | "attempt" | "exchangeTime">>;

/** `T` with every `Dec` (or optional `Dec`) field as its decimal text instead. */
type MoneyAsText<T> = {
  [K in keyof T]: T[K] extends Dec ? string : T[K] extends Dec | undefined ? string | undefined : T[K];
};

export interface OrderListingPage {
  items: OrderListing[];
  nextCursor: string | undefined;
}

export interface OrdersRepo {
  insertAttempt(input: NewAttempt): Promise<OrderRecord>;
  /**
   * Files what the exchange says of an order, matched by client_oid, then exchange order id. An
   * unknown order is inserted as `adoptAs` says (or as external EXIT/LIVE when not given). Never
   * regresses: a final status is not replaced by a non-final one, the filled quantity never
   * decreases, and an update older than the stored exchange time changes nothing.
   */
  applyExchange(order: ExchangeOrder, adoptAs?: AdoptAs): Promise<OrderApplyResult>;
  /** Sets a local status (UNKNOWN, REJECTED before the exchange saw it, …) and reason. */
  setStatus(
    id: string,
    status: StoredOrderStatus,
    reason?: string | undefined,
  ): Promise<OrderRecord | undefined>;
  /** Sets the OCO list id, lot and/or parent of an order. */
  link(
    id: string,
    link: { listId?: string; lotId?: string; parentId?: string },
  ): Promise<OrderRecord | undefined>;
  get(id: string): Promise<OrderRecord | undefined>;
  findByClientOid(clientOid: string): Promise<OrderRecord | undefined>;
  findByExchangeId(exchangeOrderId: string): Promise<OrderRecord | undefined>;
  listByListId(listId: string): Promise<OrderRecord[]>;
  listByIntent(intentId: string): Promise<OrderRecord[]>;
  listByLot(lotId: string): Promise<OrderRecord[]>;
  /** Orders not in a final status (what reconciliation converges). */
  listNonFinal(filter?: { symbol?: string; mode?: TradingMode }): Promise<OrderRecord[]>;
  /**
   * The ENTRY orders of `symbol` in `mode` created at or after `since`, every status but REJECTED,
   * newest first: their creation time and value only (what the pace guards read).
   */
  entryValuesSince(filter: { symbol: string; mode: TradingMode; since: Millis }): Promise<EntryOrderValue[]>;
  /** Newest first, by (created_at, id); filters combine with AND. */
  page(filter?: StoredOrderFilter & { cursor?: string | undefined; limit?: number }): Promise<OrderPage>;
  /**
   * The same page as `page` (order, filters, limit, cursors interchangeable) as listings: only the
   * listed columns are read, and money stays text (no decimal parsing per value).
   */
  listingPage(
    filter?: StoredOrderFilter & { cursor?: string | undefined; limit?: number },
  ): Promise<OrderListingPage>;
  /** The orders of these lots (at most 500 lots), as listings, oldest first by (created_at, id). */
  listingsByLots(lotIds: readonly string[]): Promise<OrderListing[]>;
}

// --- fills -----------------------------------------------------------------------------------------

export interface FillRecord {
  tradeId: string;
  /** The exchange order id (no foreign key: a trade may arrive before its order is adopted). */
  orderId: string;
  clientOid: string | undefined;
  symbol: string;
  side: Side;
  price: Dec;
  quantity: Dec;
  fee: Dec;
  feeCurrency: string | undefined;
  liquidity: Liquidity | undefined;
  time: Millis;
  mode: TradingMode;
}

export interface FillsRepo {
  /** Idempotent by trade id: `inserted` is false when the trade was already stored. */
  insert(fill: ExchangeFill, mode: TradingMode): Promise<{ inserted: boolean; fill: FillRecord }>;
  get(tradeId: string): Promise<FillRecord | undefined>;
  listByOrder(exchangeOrderId: string): Promise<FillRecord[]>;
  /** Oldest first. */
  list(filter?: { symbol?: string; since?: Millis; limit?: number }): Promise<FillRecord[]>;
}

// --- lots (positions) ------------------------------------------------------------------------------

export interface Lot {
  id: string;
  symbol: string;
  mode: TradingMode;
  status: LotStatus;
  protection: LotProtection;
  entryOrderId: string | undefined;
  entryPrice: Dec | undefined;
  quantity: Dec;
  openQuantity: Dec;
  slPrice: Dec | undefined;
  tpPrice: Dec | undefined;
  ocoListId: string | undefined;
  protectDeadline: Millis | undefined;
  exitReason: LotExitReason | undefined;
  realisedPnl: Dec;
  fees: Dec;
  openedAt: Millis;
  closedAt: Millis | undefined;
}

export interface NewLot {
  id?: string;
  symbol: string;
  mode: TradingMode;
  status?: LotStatus;
  protection?: LotProtection;
  entryOrderId?: string | undefined;
  entryPrice?: Dec | undefined;
  quantity: Dec;
  openQuantity?: Dec;
  slPrice?: Dec | undefined;
  tpPrice?: Dec | undefined;
  protectDeadline?: Millis | undefined;
  openedAt?: Millis;
}

/** Fields an update may change; `null` clears an optional field. */
export interface LotPatch {
  status?: LotStatus;
  protection?: LotProtection;
  entryOrderId?: string | null;
  entryPrice?: Dec | null;
  quantity?: Dec;
  openQuantity?: Dec;
  slPrice?: Dec | null;
  tpPrice?: Dec | null;
  ocoListId?: string | null;
  protectDeadline?: Millis | null;
  exitReason?: LotExitReason | null;
  realisedPnl?: Dec;
  fees?: Dec;
  closedAt?: Millis | null;
}

export interface LotsRepo {
  create(input: NewLot): Promise<Lot>;
  get(id: string): Promise<Lot | undefined>;
  /** Applies the patch if the lot's status is in `expectStatus` (when given); undefined otherwise. */
  update(id: string, patch: LotPatch, expectStatus?: readonly LotStatus[]): Promise<Lot | undefined>;
  /** Lots not CLOSED, oldest first. */
  listOpen(filter?: { symbol?: string; mode?: TradingMode }): Promise<Lot[]>;
  /** Open lots whose protection is not PROTECTED or NOT_NEEDED (what a pass must protect or flatten). */
  listUnprotected(filter?: { mode?: TradingMode }): Promise<Lot[]>;
  /** Lots closed at or after `since`, oldest first (daily loss, stop-loss guard). */
  closedSince(
    since: Millis,
    filter?: { symbol?: string; mode?: TradingMode; exitReason?: LotExitReason },
  ): Promise<Lot[]>;
  /**
   * In one query, what `listOpen(filter)` and `closedSince(since, filter)` return: the open lots
   * (oldest opened first) and the lots closed at or after `since` (oldest closed first).
   */
  openAndClosedSince(since: Millis, filter?: { mode?: TradingMode }): Promise<{ open: Lot[]; closed: Lot[] }>;
}

// --- diagnosis reports, auth incidents ---------------------------------------------------------------

export interface DiagnosisReportRecord {
  id: string;
  createdAt: Millis;
  trigger: string;
  context: Json;
  verdict: string;
  topCause: string | undefined;
  report: Json;
}

export interface ReportsRepo {
  insert(
    input: Omit<DiagnosisReportRecord, "id" | "createdAt"> & { id?: string; createdAt?: Millis },
  ): Promise<DiagnosisReportRecord>;
  get(id: string): Promise<DiagnosisReportRecord | undefined>;
  /** Newest first. */
  list(limit?: number): Promise<DiagnosisReportRecord[]>;
}

export interface AuthIncident {
  id: string;
  openedAt: Millis;
  closedAt: Millis | undefined;
  method: string;
  code: number | undefined;
  category: string;
  diagnosisId: string | undefined;
  probes: number;
  nextProbeAt: Millis | undefined;
}

export interface IncidentsRepo {
  open(input: {
    id?: string;
    openedAt?: Millis;
    method: string;
    code?: number | undefined;
    category: string;
    diagnosisId?: string | undefined;
    nextProbeAt?: Millis | undefined;
  }): Promise<AuthIncident>;
  get(id: string): Promise<AuthIncident | undefined>;
  /** The incident not yet closed, if any (the newest when several). */
  current(): Promise<AuthIncident | undefined>;
  /** Records a probe: increments `probes`, sets the next probe time. */
  recordProbe(id: string, nextProbeAt: Millis | undefined): Promise<AuthIncident | undefined>;
  setDiagnosis(id: string, diagnosisId: string): Promise<AuthIncident | undefined>;
  close(id: string, closedAt?: Millis): Promise<AuthIncident | undefined>;
  list(limit?: number): Promise<AuthIncident[]>;
}

// --- events, outbox, audit -------------------------------------------------------------------------

export interface EventRecord {
  seq: number;
  at: Millis;
  kind: string;
  symbol: string | undefined;
  payload: Json;
}

export interface NewEvent {
  kind: string;
  symbol?: string | undefined;
  payload?: Json;
  at?: Millis;
}

export interface EventsRepo {
  /**
   * Appends the event and runs every `onEvent` subscriber inside the same transaction (outside a
   * `transaction()`, the append opens one). A subscriber that throws rolls the event back with it.
   */
  append(event: NewEvent): Promise<EventRecord>;
  /** Events with seq > `seq`, ascending. */
  after(seq: number, limit?: number): Promise<EventRecord[]>;
  /** The highest seq (0 when empty). */
  lastSeq(): Promise<number>;
}

export interface OutboxRecord {
  id: number;
  dedupKey: string;
  channel: string;
  payload: Json;
  state: OutboxState;
  attempts: number;
  nextAt: Millis;
  sentAt: Millis | undefined;
  createdAt: Millis;
}

export interface OutboxRepo {
  /** Idempotent by `dedupKey`: `created` is false when a message with the key exists. */
  enqueue(input: { dedupKey: string; channel: string; payload: Json; nextAt?: Millis }): Promise<{
    created: boolean;
    message: OutboxRecord;
  }>;
  /** PENDING messages due at `now`, oldest first. */
  due(now: Millis, limit?: number): Promise<OutboxRecord[]>;
  markSent(id: number, sentAt?: Millis): Promise<void>;
  /**
   * Records a failed attempt: PENDING again and retried at `nextAt`, or FAILED for good when
   * `nextAt` is undefined.
   */
  markFailed(id: number, nextAt: Millis | undefined): Promise<void>;
  /**
   * PENDING → SENDING (compare-and-set, committed before the request is written): false when the
   * message is no longer PENDING (another sender has it, or it was sent).
   */
  claim(id: number): Promise<boolean>;
  /** SENDING → UNKNOWN: the outcome of a send is not known (never re-sent automatically). */
  markUnknown(id: number): Promise<boolean>;
  /** PENDING messages whatever their `nextAt`, oldest (by id) first: the sender's strict order. */
  pending(limit?: number): Promise<OutboxRecord[]>;
  /** Messages in `state`, oldest first. */
  inState(state: OutboxState, limit?: number): Promise<OutboxRecord[]>;
  get(id: number): Promise<OutboxRecord | undefined>;
  list(limit?: number): Promise<OutboxRecord[]>;
}

export interface AuditEntry {
  id: number;
  at: Millis;
  /** "operator:cli", "operator:api:<user>", "reconciler", … */
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: Json;
  after: Json;
}

export interface AuditRepo {
  append(input: Omit<AuditEntry, "id" | "at"> & { at?: Millis }): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: {
    entity?: string;
    entityId?: string;
    actor?: string;
    limit?: number;
  }): Promise<AuditEntry[]>;
}

// --- webhooks (migration 002) ------------------------------------------------------------------------

export interface WebhookRecord {
  name: string;
  /** SHA-256 of the secret, lowercase hex (the secret itself is never stored). */
  secretHash: string;
  createdAt: Millis;
  lastUsedAt: Millis | undefined;
}

export interface WebhooksRepo {
  get(name: string): Promise<WebhookRecord | undefined>;
  /** By name. */
  list(): Promise<WebhookRecord[]>;
  /** Inserts a new webhook; an existing name is kept as it is (`created: false`). */
  create(input: { name: string; secretHash: string; createdAt?: Millis }): Promise<{
    created: boolean;
    webhook: WebhookRecord;
  }>;
  /** Inserts or replaces the secret hash of a name (keeps created_at and last_used_at). */
  put(input: { name: string; secretHash: string; createdAt?: Millis }): Promise<WebhookRecord>;
  /** Records a use at `at` (default now), never moving `last_used_at` back; false when the name does not exist. */
  touch(name: string, at?: Millis): Promise<boolean>;
  remove(name: string): Promise<boolean>;
}

// --- the store -------------------------------------------------------------------------------------

/** The repositories, bound to the store or to one transaction. */
export interface Repositories {
  readonly watchlist: WatchlistRepo;
  readonly settings: SettingsRepo;
  readonly signals: SignalsRepo;
  readonly intents: IntentsRepo;
  readonly orders: OrdersRepo;
  readonly fills: FillsRepo;
  readonly lots: LotsRepo;
  readonly reports: ReportsRepo;
  readonly incidents: IncidentsRepo;
  readonly events: EventsRepo;
  readonly outbox: OutboxRepo;
  readonly audit: AuditRepo;
  readonly throttle: ThrottleStore;
  readonly webhooks: WebhooksRepo;
}

/** The repositories of one open transaction. */
export interface Tx extends Repositories {
  /** Nested `transaction()` calls join this transaction. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * How a commit reaches the disk.
 * - "now" (default): flushed before `transaction()` returns (SQLite synchronous=FULL: the WAL is
 *   fsynced; PostgreSQL synchronous_commit=on).
 * - "with-next": not flushed on its own (SQLite synchronous=NORMAL for this commit; PostgreSQL
 *   `SET LOCAL synchronous_commit = off`). It survives a crash of this process at once (the OS holds
 *   SQLite's WAL pages; the PostgreSQL server holds its WAL) and becomes durable against an OS crash
 *   or power loss with the next "now" commit of the store, which flushes the log past it (the WAL is
 *   one sequential file; PostgreSQL flushes WAL in order) — or the PostgreSQL WAL writer's next
 *   flush (≤ 3 × wal_writer_delay). For writes that are only ever acted on after a "now" commit
 *   that follows them: the trading pipeline's intake, whose attempt commit precedes any request.
 */
export interface TransactionOptions {
  durability?: "now" | "with-next";
}

/** Runs inside the transaction that appended `event`. */
export type EventSubscriber = (tx: Tx, event: EventRecord) => void | Promise<void>;

export interface Store extends Repositories {
  readonly dialect: StoreDialect;
  /** Where the data lives, without user info (a file path or a displayable URL). */
  readonly location: string;
  /** The schema version after migrations. */
  readonly schemaVersion: number;
  /**
   * Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: one dedicated connection):
   * committed when it resolves, rolled back when it throws. Durable when it returns, unless
   * `opts.durability` is "with-next" (TransactionOptions).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Subscribes to appended events (in-transaction); returns the unsubscribe function. */
  onEvent(subscriber: EventSubscriber): () => void;
  /**
   * A version of what this process has written to `tables`: it changes after every committed write
   * (insert, update, delete) to one of them through this store, evented or not, and only then — a
   * cache of reads from these tables is current while the version is unchanged. Writes made by other
   * processes (the CLI on the same SQLite file, another atp on the same PostgreSQL) are not counted.
   */
  writeVersion(tables: readonly StoreTable[]): number;
  /** A new row id (time-ordered, never repeated): for a row whose id is needed before it is written. */
  newId(): string;
  close(): Promise<void>;
}

/** The store's tables (what `writeVersion` counts). */
export type StoreTable =
  | "watchlist"
  | "settings"
  | "signals"
  | "intents"
  | "orders"
  | "fills"
  | "lots"
  | "diagnosis_reports"
  | "auth_incidents"
  | "events"
  | "outbox"
  | "audit_log"
  | "throttle"
  | "leadership"
  | "webhooks";
