/**
 * The HTTP API's contract: every request and response body, as the dashboard (web/) and any client
 * sees it. The dashboard imports only this folder from src/ (test/architecture.test.ts); the route
 * schemas in src/api are written to produce exactly these shapes (a type test checks it).
 *
 * Invariants of the wire format:
 * - Every decimal (price, quantity, notional, fee, P&L, balance, percentage) is a JSON string with
 *   the exact decimal text (`"0.00075"`, never `7.5e-4`, never a JSON number).
 * - Exchange ids (19 digits) and client order ids are strings.
 * - Times are integer milliseconds since the epoch (UTC); `null` when unknown.
 * - Field names are snake_case; enums are the domain vocabulary's spellings.
 * - Errors are `ApiErrorBody` with the HTTP status that matches (400 validation with field details,
 *   401/403 auth, 404, 409 conflict, 429 throttled with Retry-After, 503 not ready).
 */

export type DecimalString = string;
export type ApiMillis = number;
export type ApiMode = "LIVE" | "DRY_RUN" | "DEMO";
export type ApiSide = "BUY" | "SELL";

// --- errors ---------------------------------------------------------------------------------------

export interface ApiErrorBody {
  error: {
    /** Stable machine code: "validation", "unauthorized", "forbidden", "not_found", "conflict", "throttled", "not_ready", "internal", or a domain code (e.g. "live_trading_not_allowed"). */
    code: string;
    message: string;
    retryable: boolean;
    /** Validation: `[{ field, problem }]`; others: free-form context. */
    details: unknown;
  };
}

// --- health ----------------------------------------------------------------------------------------

export interface Health {
  status: "ok";
  version: string;
  uptime_s: number;
}

export interface Readiness {
  ready: boolean;
  checks: { name: "store" | "market_data" | "exchange" | "engine"; ok: boolean; detail: string }[];
}

// --- orders and positions ----------------------------------------------------------------------------

export interface ApiOrder {
  id: string;
  intent_id: string | null;
  client_oid: string | null;
  exchange_order_id: string | null;
  symbol: string;
  side: ApiSide;
  type: string;
  role: "ENTRY" | "STOP_LOSS" | "TAKE_PROFIT" | "EXIT";
  status: string;
  quantity: DecimalString | null;
  notional: DecimalString | null;
  price: DecimalString | null;
  ref_price: DecimalString | null;
  /** The price that triggers a stop or take-profit order (its `ref_price`); null for other types. */
  trigger_price: DecimalString | null;
  filled_quantity: DecimalString;
  avg_price: DecimalString | null;
  fee: DecimalString;
  fee_currency: string | null;
  list_id: string | null;
  parent_id: string | null;
  lot_id: string | null;
  mode: ApiMode;
  reason: string | null;
  external: boolean;
  created_at: ApiMillis;
  updated_at: ApiMillis;
}

export interface ApiOrderPage {
  items: ApiOrder[];
  next_cursor: string | null;
}

export interface ApiPosition {
  id: string;
  symbol: string;
  mode: ApiMode;
  status: "OPENING" | "OPEN" | "CLOSING" | "CLOSED";
  protection: "NONE" | "PENDING" | "PROTECTED" | "FAILED" | "FLATTENING" | "NOT_NEEDED";
  entry_price: DecimalString | null;
  quantity: DecimalString;
  open_quantity: DecimalString;
  sl_price: DecimalString | null;
  tp_price: DecimalString | null;
  /** Last price of the symbol (null when market data is not available). */
  mark_price: DecimalString | null;
  unrealised_pnl: DecimalString | null;
  realised_pnl: DecimalString;
  fees: DecimalString;
  take_profit_order_id: string | null;
  stop_loss_order_id: string | null;
  exit_reason: string | null;
  opened_at: ApiMillis;
  closed_at: ApiMillis | null;
}

/** `POST /api/orders`: a manual order through the pipeline and its guards. */
export interface ManualOrderInput {
  symbol: string;
  side: ApiSide;
  /** BUY: quote amount (default: the watchlist's amount). */
  amount_usd?: DecimalString;
}

export interface ManualOrderResult {
  outcome: "duplicate" | "blocked" | "placed" | "filled" | "failed";
  message: string;
  intent_id: string;
  mode: ApiMode;
  reason_code: string | null;
  guards: ApiGuardCheck[];
  orders: ApiOrder[];
  position: ApiPosition | null;
}

export interface ApiGuardCheck {
  code: string;
  ok: boolean;
  detail: string;
}

// --- watchlist, signals, market ---------------------------------------------------------------------

export interface ApiCondition {
  name: string;
  pass: boolean;
  value: string | null;
  threshold: string | null;
}

export interface ApiDecision {
  action: "BUY" | "SELL" | "WAIT";
  strategy: string;
  timeframe: string;
  candle_time: ApiMillis;
  evaluated_at: ApiMillis;
  price: DecimalString;
  buy_index: number;
  reasons: string[];
  conditions: ApiCondition[];
}

export interface ApiIndicators {
  rsi: DecimalString | null;
  ema10: DecimalString | null;
  ma50: DecimalString | null;
  ma200: DecimalString | null;
  volume_ratio: DecimalString | null;
}

export interface ApiWatchlistItem {
  symbol: string;
  alerts_enabled: boolean;
  trade_enabled: boolean;
  amount_usd: DecimalString | null;
  sl_pct: DecimalString | null;
  tp_pct: DecimalString | null;
  /** A preset name, or "external" (webhook signals only). */
  preset: string | null;
  overrides: Record<string, unknown>;
  price: DecimalString | null;
  decision: ApiDecision | null;
  indicators: ApiIndicators | null;
  data_fresh: boolean;
  stale_reason: string | null;
  /**
   * `fresh` (= data_fresh); `waiting`: no market data yet since the start (or since the coin was
   * added), within the grace period — expected, not stale; `stale`: anything else not current.
   */
  data_state: DataState;
}

/** Current, still awaited after a start (within the grace period, nothing failed), or stale. */
export type DataState = "fresh" | "waiting" | "stale";

export interface ApiWatchlistInput {
  symbol: string;
  amount_usd?: DecimalString | null;
  sl_pct?: DecimalString | null;
  tp_pct?: DecimalString | null;
  trade_enabled?: boolean;
  alerts_enabled?: boolean;
  preset?: string | null;
}

export type ApiWatchlistPatch = Omit<ApiWatchlistInput, "symbol">;

export interface ApiSignal {
  id: string;
  symbol: string;
  side: ApiSide;
  source: string;
  strategy: string;
  price: DecimalString | null;
  candle_time: ApiMillis | null;
  received_at: ApiMillis;
  status: string;
  reason_code: string | null;
  intent_id: string | null;
}

export interface SignalDetail {
  symbol: string;
  decisions: ApiDecision[];
  recent: ApiSignal[];
}

export interface ApiCandle {
  t: ApiMillis;
  o: DecimalString;
  h: DecimalString;
  l: DecimalString;
  c: DecimalString;
  v: DecimalString;
}

export interface ApiCandleSeries {
  symbol: string;
  timeframe: string;
  candles: ApiCandle[];
  /** Same length as candles; null where the indicator has no value yet. */
  indicators: {
    ema10: (string | null)[];
    ma50: (string | null)[];
    ma200: (string | null)[];
    rsi: (string | null)[];
  };
  markers: { t: ApiMillis; side: ApiSide; price: DecimalString; source: string }[];
}

// --- webhooks ----------------------------------------------------------------------------------------

/** `POST /api/signals/webhook/{name}` body (TradingView alert JSON). */
export interface WebhookSignalInput {
  secret: string;
  /** BTC_USD, BTCUSD, BTC/USD or CRYPTO:BTCUSD. */
  symbol: string;
  /** buy / sell, any case. */
  side: string;
  amount_usd?: DecimalString | number;
  price?: DecimalString | number;
  signal_id?: string;
}

export interface WebhookAccepted {
  signal_id: string;
  intent_id: string | null;
  status: "accepted" | "duplicate" | "blocked";
  reason_code: string | null;
}

export interface WebhookInfo {
  name: string;
  created_at: ApiMillis;
  last_used_at: ApiMillis | null;
}

export interface WebhookCreated extends WebhookInfo {
  /** Shown once. */
  secret: string;
  url_path: string;
}

// --- trading controls and settings -------------------------------------------------------------------

export interface TradingState {
  mode: ApiMode;
  /** The store's live switch. */
  live_trading: boolean;
  /** LIVE_TRADING=true (or the demo): without it the switch cannot be turned on. */
  env_live_trading: boolean;
  kill_switch: boolean;
  /** Present while no live order may be sent whatever the switch says, with the reason (ATP_REFUSE_WITHDRAW_KEYS). */
  live_refused?: string;
}

export interface LiveSwitchInput {
  enabled: boolean;
  /** Must be "LIVE" to turn live trading on. */
  confirm?: string;
}

export interface KillSwitchInput {
  enabled: boolean;
}

export interface ApiSettings {
  limits: {
    max_open_positions_per_symbol: number;
    max_open_positions_total: number;
    cooldown_s: number;
    max_usd_per_order: DecimalString;
    max_orders_per_symbol_per_day: number;
    max_notional_per_symbol_per_day: DecimalString;
  };
  loss_protection: {
    daily_loss_limit_usd: DecimalString | null;
    daily_loss_limit_pct: DecimalString | null;
    stoploss_guard_count: number;
    stoploss_guard_hours: number;
  };
  protection: {
    sl_order_type: "STOP_LIMIT" | "STOP_LOSS";
    stop_limit_slippage_pct: DecimalString;
    deadline_s: number;
    retry_initial_ms: number;
    retry_max_ms: number;
  };
}

/** `PATCH /api/settings`: any subset; every field validated. */
export type SettingsPatch = {
  [K in keyof ApiSettings]?: Partial<ApiSettings[K]>;
};

// --- dashboard ---------------------------------------------------------------------------------------

export interface ApiBalance {
  currency: string;
  total: DecimalString;
  available: DecimalString;
  reserved: DecimalString;
  usd_value: DecimalString | null;
}

export type SyncStatus = "ok" | "auth_failed" | "degraded" | "down";

export interface ExchangeState {
  sync_status: SyncStatus;
  /** Why it is not ok, in words ("exchange maintenance (9010001) since 12:01:03"). */
  reason: string | null;
  /** The balances shown were read from the exchange in this process's latest successful read. */
  data_verified: boolean;
  last_sync: ApiMillis | null;
  last_error: { code: number | null; name: string; category: string; method: string; at: ApiMillis } | null;
  outbound_ip: string | null;
  clock_offset_ms: number | null;
}

export interface DiagnosisSummary {
  id: string;
  verdict: string;
  top_cause: string | null;
  summary: string;
  at: ApiMillis;
}

export interface DashboardState {
  /** The last verified balances (never zeros standing in for "could not read"); empty with `errors` saying why. */
  balances: ApiBalance[];
  portfolio: { total_usd: DecimalString | null; as_of: ApiMillis | null };
  open_orders: ApiOrder[];
  recent_orders: ApiOrder[];
  positions: ApiPosition[];
  watchlist: ApiWatchlistItem[];
  bot_status: {
    mode: ApiMode;
    live_trading: boolean;
    kill_switch: boolean;
    leader: boolean;
    running: boolean;
  };
  exchange: ExchangeState;
  diagnosis: DiagnosisSummary | null;
  /** Some part could not be read (see errors); the rest is current. */
  partial: boolean;
  errors: string[];
  /** Can the API key withdraw? Checked at every start (docs/operations.md "Key hygiene at start"). */
  key_hygiene: ApiKeyHygiene;
  /** Whether what this answer shows is current: the grace rule in docs/api.md ("Freshness"). */
  freshness: DashboardFreshness;
}

export interface ApiKeyHygiene {
  /** true: the key can withdraw (a trading bot never needs that); false: it cannot; null: not known (yet). */
  key_can_withdraw: boolean | null;
  /** How it was read: the exchange directly, or the signing proxy's /health; null before a reading. */
  via: "direct" | "proxy" | null;
  /** What was read, or why nothing is known, in words. */
  detail: string;
  /** ATP_REFUSE_WITHDRAW_KEYS=true and the key can withdraw (or its check has not answered yet): no live order is sent. */
  trading_refused: boolean;
}

export interface DashboardFreshness {
  /** `stale` when anything is stale, else `waiting` when anything is still awaited, else `fresh`. */
  status: DataState;
  /** What has not arrived yet since the start (no failure): one line each. */
  waiting: string[];
  /** What is stale, failing or could not be read: one line each. */
  stale: string[];
  /** Until when data never seen since the start counts as awaited (the start + the grace period). */
  grace_until: ApiMillis;
}

// --- diagnostics -------------------------------------------------------------------------------------

export interface ApiIncident {
  id: string;
  opened_at: ApiMillis;
  closed_at: ApiMillis | null;
  method: string;
  code: number | null;
  category: string;
  diagnosis_id: string | null;
  probes: number;
  next_probe_at: ApiMillis | null;
}

export interface DiagnosticsState {
  /** The doctor's last report as stored (its JSON: verdict, causes with evidence and fix, checks, outbound_ip, clock_offset_ms, base_url, via_proxy). */
  last: {
    id: string;
    at: ApiMillis;
    trigger: string;
    verdict: string;
    top_cause: string | null;
    report: unknown;
  } | null;
  incidents: ApiIncident[];
  key_fingerprint: string | null;
}

export interface DiagnosisRunInput {
  /** An order to check (the doctor's `--order` JSON). */
  order?: Record<string, unknown>;
}

// --- events (SSE) and the demo -------------------------------------------------------------------------

/** One `GET /api/events` message (`event:` is `kind`, `id:` is `seq`). */
export interface ApiEvent {
  seq: number;
  at: ApiMillis;
  kind: string;
  symbol: string | null;
  payload: unknown;
}

export interface DemoFaultInput {
  /** One of the demo's causes, or null to clear. */
  cause: string | null;
}

export interface DemoFaultState {
  cause: string | null;
  available: string[];
}

export interface LoginInput {
  token: string;
}

/** `POST /api/auth/login` answer (the session cookie is set alongside). */
export interface LoginResult {
  csrf_token: string;
  expires_in_s: number;
}

/** `GET /api/auth/session`. */
export interface SessionState {
  authenticated: boolean;
  via: "bearer" | "cookie" | "loopback" | null;
  csrf_token: string | null;
}

// --- notification settings (Telegram) ------------------------------------------------------------------

/** What a notification kind does: sent with sound, sent silently, or not sent. */
export type ApiNotificationSwitch = "on" | "silent" | "off";

/** One notification kind as `GET /api/settings/notifications` lists it. */
export interface ApiNotificationKind {
  /** e.g. "order.filled" (docs/telegram.md lists every kind). */
  kind: string;
  /** The effective switch (a critical kind stored "off" reads "on"). */
  value: ApiNotificationSwitch;
  /** The kind's switch when nothing is stored for it. */
  default_value: ApiNotificationSwitch;
  /** Critical kinds are on or silent, never off. */
  critical: boolean;
}

/** `GET /api/settings/notifications` (and the answer of its PATCH). */
export interface ApiNotificationSettings {
  /** Every kind, in the order docs/telegram.md lists them. */
  events: ApiNotificationKind[];
  daily_summary: {
    enabled: boolean;
    /** Local "HH:MM" (24 h) in `time_zone`. */
    time: string;
    /** An IANA time zone, e.g. "Europe/Berlin". */
    time_zone: string;
  };
  /** Identical warnings (guard blocks, rejections, loss protection) at most once per this many minutes. */
  throttle_minutes: number;
}

/** `PATCH /api/settings/notifications`: any subset; kinds not named keep their switch. */
export interface NotificationSettingsPatch {
  events?: { [kind: string]: ApiNotificationSwitch };
  daily_summary?: Partial<ApiNotificationSettings["daily_summary"]>;
  throttle_minutes?: number;
}
