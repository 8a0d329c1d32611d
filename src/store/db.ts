/**
 * The database as Kysely sees it: one interface per table, in column names (snake_case). Internal
 * to src/store: repositories map these rows to the records of types.ts and back.
 *
 * Column conventions (one migration history for both dialects, see columns.ts):
 * - money: `string` (TEXT in SQLite, NUMERIC in PostgreSQL — both come back as exact decimal text);
 * - times: integer ms (`number`; BIGINT in PostgreSQL, parsed to number after a safe-integer check);
 * - JSON: TEXT; booleans: written 1/0 (INTEGER in SQLite, BOOLEAN in PostgreSQL, which reads back
 *   true/false).
 */
import type { Generated, Kysely } from "kysely";

type Money = string;
type Ms = number;
type Bool = number | boolean;
type JsonText = string;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Ms;
}

export interface WatchlistTable {
  symbol: string;
  alerts_enabled: Bool;
  trade_enabled: Bool;
  amount_usd: Money | null;
  sl_pct: Money | null;
  tp_pct: Money | null;
  preset: string | null;
  overrides: JsonText;
  created_at: Ms;
  updated_at: Ms;
}

export interface SettingsTable {
  key: string;
  value: JsonText;
  updated_at: Ms;
}

export interface SignalsTable {
  id: string;
  symbol: string;
  side: string;
  source: string;
  strategy: string;
  price: Money | null;
  candle_time: Ms | null;
  received_at: Ms;
  trace: JsonText;
  status: string;
  reason_code: string | null;
  intent_id: string | null;
}

export interface IntentsTable {
  id: string;
  idempotency_key: string;
  kind: string;
  symbol: string;
  side: string;
  mode: string;
  amount_usd: Money | null;
  quantity: Money | null;
  status: string;
  reason_code: string | null;
  attempt: number;
  lot_id: string | null;
  signal_id: string | null;
  guard_trace: JsonText;
  actor: string;
  created_at: Ms;
  updated_at: Ms;
}

export interface OrdersTable {
  id: string;
  intent_id: string | null;
  attempt: number | null;
  client_oid: string | null;
  exchange_order_id: string | null;
  list_id: string | null;
  symbol: string;
  side: string;
  type: string;
  role: string;
  parent_id: string | null;
  lot_id: string | null;
  status: string;
  quantity: Money | null;
  notional: Money | null;
  price: Money | null;
  ref_price: Money | null;
  filled_quantity: Money;
  avg_price: Money | null;
  fee: Money;
  fee_currency: string | null;
  reason: string | null;
  mode: string;
  raw: JsonText;
  external: Bool;
  created_at: Ms;
  updated_at: Ms;
  exchange_time: Ms | null;
}

export interface FillsTable {
  trade_id: string;
  order_id: string;
  client_oid: string | null;
  symbol: string;
  side: string;
  price: Money;
  quantity: Money;
  fee: Money;
  fee_currency: string | null;
  liquidity: string | null;
  time: Ms;
  mode: string;
}

export interface LotsTable {
  id: string;
  symbol: string;
  mode: string;
  status: string;
  protection: string;
  entry_order_id: string | null;
  entry_price: Money | null;
  quantity: Money;
  open_quantity: Money;
  sl_price: Money | null;
  tp_price: Money | null;
  oco_list_id: string | null;
  protect_deadline: Ms | null;
  exit_reason: string | null;
  realised_pnl: Money;
  fees: Money;
  opened_at: Ms;
  closed_at: Ms | null;
}

export interface DiagnosisReportsTable {
  id: string;
  created_at: Ms;
  trigger: string;
  context: JsonText;
  verdict: string;
  top_cause: string | null;
  report: JsonText;
}

export interface AuthIncidentsTable {
  id: string;
  opened_at: Ms;
  closed_at: Ms | null;
  method: string;
  code: number | null;
  category: string;
  diagnosis_id: string | null;
  probes: number;
  next_probe_at: Ms | null;
}

export interface EventsTable {
  seq: Generated<number>;
  at: Ms;
  kind: string;
  symbol: string | null;
  payload: JsonText;
}

export interface OutboxTable {
  id: Generated<number>;
  dedup_key: string;
  channel: string;
  payload: JsonText;
  state: string;
  attempts: number;
  next_at: Ms;
  sent_at: Ms | null;
  created_at: Ms;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Ms;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: JsonText;
  after: JsonText;
}

export interface ThrottleTable {
  symbol: string;
  strategy: string;
  side: string;
  /** The throttle's analytics price (a JS number written with its shortest round-trip text). */
  price: string;
  at: Ms;
  config_hash: string;
}

export interface LeadershipTable {
  name: string;
  instance_id: string;
  pid: number;
  host: string;
  acquired_at: Ms;
}

export interface Database {
  schema_migrations: SchemaMigrationsTable;
  watchlist: WatchlistTable;
  settings: SettingsTable;
  signals: SignalsTable;
  intents: IntentsTable;
  orders: OrdersTable;
  fills: FillsTable;
  lots: LotsTable;
  diagnosis_reports: DiagnosisReportsTable;
  auth_incidents: AuthIncidentsTable;
  events: EventsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  throttle: ThrottleTable;
  leadership: LeadershipTable;
}

export type Db = Kysely<Database>;
