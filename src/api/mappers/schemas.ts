/**
 * zod schemas of the data routes' bodies (orders, positions, watchlist, signals, candles, webhooks,
 * events, dashboard state), for the OpenAPI document; each is checked at compile time to describe
 * exactly the contract's type (src/api/contract/types.ts): `Same<z.output<S>, T>` must hold.
 *
 * Invariant: decimals are `apiDecimalText` (a string of digits, never a number); ids are strings.
 */
import { z } from "zod";
import type * as C from "../contract/types.js";

export const apiDecimalText = z.string().regex(/^-?\d+(\.\d+)?$/, "a decimal as text, e.g. 25.50");
const dec = apiDecimalText;
const decN = apiDecimalText.nullable();
const ms = z.number().int();
const mode = z.enum(["LIVE", "DRY_RUN", "DEMO"]);
const side = z.enum(["BUY", "SELL"]);

export const apiOrderSchema = z.object({
  id: z.string(),
  intent_id: z.string().nullable(),
  client_oid: z.string().nullable(),
  exchange_order_id: z.string().nullable(),
  symbol: z.string(),
  side,
  type: z.string(),
  role: z.enum(["ENTRY", "STOP_LOSS", "TAKE_PROFIT", "EXIT"]),
  status: z.string(),
  quantity: decN,
  notional: decN,
  price: decN,
  ref_price: decN,
  trigger_price: decN,
  filled_quantity: dec,
  avg_price: decN,
  fee: dec,
  fee_currency: z.string().nullable(),
  list_id: z.string().nullable(),
  parent_id: z.string().nullable(),
  lot_id: z.string().nullable(),
  mode,
  reason: z.string().nullable(),
  external: z.boolean(),
  created_at: ms,
  updated_at: ms,
});
export const apiOrderPageSchema = z.object({
  items: z.array(apiOrderSchema),
  next_cursor: z.string().nullable(),
});

export const apiPositionSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  mode,
  status: z.enum(["OPENING", "OPEN", "CLOSING", "CLOSED"]),
  protection: z.enum(["NONE", "PENDING", "PROTECTED", "FAILED", "FLATTENING", "NOT_NEEDED"]),
  entry_price: decN,
  quantity: dec,
  open_quantity: dec,
  sl_price: decN,
  tp_price: decN,
  mark_price: decN,
  unrealised_pnl: decN,
  realised_pnl: dec,
  fees: dec,
  take_profit_order_id: z.string().nullable(),
  stop_loss_order_id: z.string().nullable(),
  exit_reason: z.string().nullable(),
  opened_at: ms,
  closed_at: ms.nullable(),
});

const guardCheck = z.object({ code: z.string(), ok: z.boolean(), detail: z.string() });
export const manualOrderResultSchema = z.object({
  outcome: z.enum(["duplicate", "blocked", "placed", "filled", "failed"]),
  message: z.string(),
  intent_id: z.string(),
  mode,
  reason_code: z.string().nullable(),
  guards: z.array(guardCheck),
  orders: z.array(apiOrderSchema),
  position: apiPositionSchema.nullable(),
});

const condition = z.object({
  name: z.string(),
  pass: z.boolean(),
  value: z.string().nullable(),
  threshold: z.string().nullable(),
});
export const apiDecisionSchema = z.object({
  action: z.enum(["BUY", "SELL", "WAIT"]),
  strategy: z.string(),
  timeframe: z.string(),
  candle_time: ms,
  evaluated_at: ms,
  price: dec,
  buy_index: z.number(),
  reasons: z.array(z.string()),
  conditions: z.array(condition),
});
const indicators = z.object({ rsi: decN, ema10: decN, ma50: decN, ma200: decN, volume_ratio: decN });

export const apiWatchlistItemSchema = z.object({
  symbol: z.string(),
  alerts_enabled: z.boolean(),
  trade_enabled: z.boolean(),
  amount_usd: decN,
  sl_pct: decN,
  tp_pct: decN,
  preset: z.string().nullable(),
  overrides: z.record(z.string(), z.unknown()),
  price: decN,
  decision: apiDecisionSchema.nullable(),
  indicators: indicators.nullable(),
  data_fresh: z.boolean(),
  stale_reason: z.string().nullable(),
  data_state: z.enum(["fresh", "waiting", "stale"]),
});

export const apiSignalSchema = z.object({
  id: z.string(),
  symbol: z.string(),
  side,
  source: z.string(),
  strategy: z.string(),
  price: decN,
  candle_time: ms.nullable(),
  received_at: ms,
  status: z.string(),
  reason_code: z.string().nullable(),
  intent_id: z.string().nullable(),
});
export const signalDetailSchema = z.object({
  symbol: z.string(),
  decisions: z.array(apiDecisionSchema),
  recent: z.array(apiSignalSchema),
});

const candle = z.object({ t: ms, o: dec, h: dec, l: dec, c: dec, v: dec });
const series = z.array(z.string().nullable());
export const apiCandleSeriesSchema = z.object({
  symbol: z.string(),
  timeframe: z.string(),
  candles: z.array(candle),
  indicators: z.object({ ema10: series, ma50: series, ma200: series, rsi: series }),
  markers: z.array(z.object({ t: ms, side, price: dec, source: z.string() })),
});

export const webhookAcceptedSchema = z.object({
  signal_id: z.string(),
  intent_id: z.string().nullable(),
  status: z.enum(["accepted", "duplicate", "blocked"]),
  reason_code: z.string().nullable(),
});
export const webhookInfoSchema = z.object({ name: z.string(), created_at: ms, last_used_at: ms.nullable() });
export const webhookCreatedSchema = webhookInfoSchema.extend({ secret: z.string(), url_path: z.string() });

export const apiEventSchema = z.object({
  seq: z.number().int(),
  at: ms,
  kind: z.string(),
  symbol: z.string().nullable(),
  payload: z.unknown(),
});

// --- compile-time: each schema describes its contract type exactly ---------------------------------
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;
export type DataSchemasMatchContract = [
  Assert<Same<z.output<typeof apiOrderSchema>, C.ApiOrder>>,
  Assert<Same<z.output<typeof apiOrderPageSchema>, C.ApiOrderPage>>,
  Assert<Same<z.output<typeof apiPositionSchema>, C.ApiPosition>>,
  Assert<Same<z.output<typeof manualOrderResultSchema>, C.ManualOrderResult>>,
  Assert<Same<z.output<typeof apiWatchlistItemSchema>, C.ApiWatchlistItem>>,
  Assert<Same<z.output<typeof apiSignalSchema>, C.ApiSignal>>,
  Assert<Same<z.output<typeof signalDetailSchema>, C.SignalDetail>>,
  Assert<Same<z.output<typeof apiCandleSeriesSchema>, C.ApiCandleSeries>>,
  Assert<Same<z.output<typeof webhookAcceptedSchema>, C.WebhookAccepted>>,
  Assert<Same<z.output<typeof webhookInfoSchema>, C.WebhookInfo>>,
  Assert<Same<z.output<typeof webhookCreatedSchema>, C.WebhookCreated>>,
  Assert<Same<z.output<typeof apiEventSchema>, C.ApiEvent>>,
];
