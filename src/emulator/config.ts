/**
 * Emulator configuration: the JSON shape of issue 3 (snake_case names are a contract other tools
 * rely on) plus documented extensions (timers, fees, limits, fidelity switches). Validated with zod;
 * every problem is reported at once, each naming its field (`keys[0].api_key: ...`) and what to
 * write instead. `parseEmulatorConfig(undefined)` yields a working demo exchange (demo-key/demo-secret).
 *
 * Names from the file (accounts, currencies) are read as own properties only; a `__proto__` key,
 * which a JSON object can hold but a plain JavaScript object cannot, is refused rather than dropped.
 * Every duration a timer waits for is at most MAX_TIMER_MS (Node.js runs longer timeouts after 1 ms).
 */

import { readFileSync } from "node:fs";
import { z } from "zod";
import { AtpError, type Disposition } from "../domain/errors.js";
import { dec } from "../util/decimal.js";
import { issueProblems, reservedKeyProblems } from "./config-problems.js";
import { DEFAULT_INSTRUMENTS } from "./default-instruments.js";
import { ipEntryProblem } from "./keys.js";
import { DEFAULT_MAX_FINAL_ORDERS } from "./matching/order-store.js";

const DECIMAL_RE = /^\d+(\.\d+)?$/;

/** The longest delay setTimeout/setInterval can hold (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;
/** Largest clock offset or jump: ten years either way. */
export const MAX_CLOCK_OFFSET_MS = 315_576_000_000;
/**
 * The WebSocket frame ceiling: a message up to it is read and, when over `max_request_bytes`,
 * answered with an error envelope; beyond it the socket is closed with 1009 before it is buffered.
 */
export const WS_MAX_PAYLOAD_BYTES = 64 << 20;
/** Default size limit of a REST body or WebSocket message. */
export const DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

const decimalString = (what: string) =>
  z
    .string({ error: `must be a decimal string like "10000" (${what})` })
    .regex(DECIMAL_RE, `must be a non-negative decimal string like "0.25" (${what})`);

/** A decimal string > 0, with one message per problem (a malformed value is not also "not > 0"). */
const positiveDecimal = (what: string, example: string) =>
  z
    .string({ error: `must be a positive decimal string like "${example}" (${what})` })
    .superRefine((s, ctx) => {
      if (!DECIMAL_RE.test(s)) {
        ctx.addIssue({
          code: "custom",
          message: `must be a positive decimal string like "${example}", without sign or exponent (${what})`,
        });
      } else if (!dec(s).gt(0)) {
        ctx.addIssue({ code: "custom", message: `must be greater than 0, e.g. "${example}" (${what})` });
      }
    });

/** An integer number of milliseconds that a timer can wait for. */
const intMs = (min = 0) =>
  z
    .number({ error: "must be a number of milliseconds" })
    .int("must be an integer number of milliseconds")
    .min(min, `must be at least ${min} ms`)
    .max(
      MAX_TIMER_MS,
      `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest timer Node.js can hold)`,
    );

const clockMs = () =>
  z
    .number({ error: "must be a number of milliseconds" })
    .int("must be an integer number of milliseconds")
    .min(-MAX_CLOCK_OFFSET_MS, `must be at least -${MAX_CLOCK_OFFSET_MS} ms (ten years back)`)
    .max(MAX_CLOCK_OFFSET_MS, `must be at most ${MAX_CLOCK_OFFSET_MS} ms (ten years ahead)`);

/** A clock offset (config `clock_offset_ms`, admin `PUT /clock`). */
export const clockOffsetSchema = clockMs();

const currencyCode = z
  .string()
  .regex(/^[A-Z0-9]+$/, 'currency codes are upper-case letters and digits, like "USD"');

const ipWhitelistEntry = z.string().superRefine((s, ctx) => {
  const problem = ipEntryProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const methodsField = z
  .array(z.string().min(1), { error: 'must be a list of method globs like ["private/*"]' })
  .min(1)
  .default(["*"]);
const probabilityField = z.number().min(0).max(1).default(1);
const countField = z.number().int().min(1).optional();
const socketsField = z.array(z.enum(["user", "market"])).default(["user", "market"]);

export const faultSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("error"),
      code: z.number().int(),
      http_status: z.number().int().min(100).max(599).optional(),
      message: z.string().optional(),
      raw_body: z.string().optional(),
      methods: methodsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("latency"),
      ms: intMs(),
      methods: methodsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("reset_before"),
      methods: methodsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("lose_response"),
      methods: methodsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("ws_drop"),
      every_ms: intMs(1),
      sockets: socketsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("heartbeat_stall"),
      sockets: socketsField,
      probability: probabilityField,
      count: countField,
    }),
    z.strictObject({
      kind: z.literal("clock_jump"),
      ms: clockMs(),
      after_ms: intMs().default(0),
    }),
    z.strictObject({
      kind: z.literal("book_gap"),
      instruments: z.array(z.string()).default(["*"]),
      probability: probabilityField,
      count: countField,
    }),
  ],
  {
    error:
      "unknown fault kind; use error, latency, reset_before, lose_response, ws_drop, heartbeat_stall, clock_jump or book_gap",
  },
);

export type FaultConfig = z.output<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

const instrumentSchema = z
  .strictObject({
    symbol: z.string().regex(/^[A-Z0-9]+_[A-Z0-9]+$/, 'must look like "BTC_USD"'),
    base_ccy: currencyCode,
    quote_ccy: currencyCode,
    price_tick_size: positiveDecimal("price_tick_size", "0.01"),
    qty_tick_size: positiveDecimal("qty_tick_size", "0.00001"),
    quote_decimals: z.number().int().min(0).max(18).optional(),
    quantity_decimals: z.number().int().min(0).max(18).optional(),
    min_notional: decimalString("min_notional").optional(),
    tradable: z.boolean().default(true),
    initial_price: positiveDecimal("initial_price", "65000"),
    /** Daily volatility of the simulated price (0.03 = 3 %). */
    daily_volatility: z.number().positive().max(2).default(0.03),
    display_name: z.string().optional(),
  })
  .refine((i) => i.symbol === `${i.base_ccy}_${i.quote_ccy}`, {
    message: "symbol must be base_ccy + '_' + quote_ccy",
    path: ["symbol"],
  });

export type InstrumentConfig = z.input<typeof instrumentSchema>;
export type InstrumentSpec = z.output<typeof instrumentSchema>;

export const keySchema = z.strictObject({
  api_key: z.string().min(1, "must not be empty"),
  secret: z.string().min(1, "must not be empty"),
  account: z.string().min(1),
  permissions: z.array(z.enum(["read", "trade", "withdraw"])).default(["read", "trade"]),
  ip_whitelist: z.array(ipWhitelistEntry).optional(),
  enabled: z.boolean().default(true),
});
export type KeyConfig = z.output<typeof keySchema>;
export type KeyInput = z.input<typeof keySchema>;

export const accountSchema = z.strictObject({
  balances: z.record(currencyCode, decimalString("balance")),
});

export const DEFAULT_ACCOUNTS = { main: { balances: { USD: "10000", USDT: "5000", BTC: "0.25", ETH: "2" } } };
export const DEFAULT_KEYS: KeyConfig[] = [
  {
    api_key: "demo-key",
    secret: "demo-secret",
    account: "main",
    permissions: ["read", "trade"],
    ip_whitelist: ["127.0.0.1", "::1"],
    enabled: true,
  },
];

const switchesSchema = z
  .strictObject({
    /** POST_ONLY that would take: "async" = acknowledged, then REJECTED with reason 43005; "sync" = code 43005 in the response. */
    post_only_reject: z.enum(["async", "sync"]).default("async"),
    /** Synchronous rejections 306/314/315/415 carry `result: {order_id, client_oid}` and the order is recorded as REJECTED. */
    reject_with_result: z.boolean().default(true),
    /** Where a client_oid must be unique: every order of the account ever ("all") or only open orders ("open"). */
    duplicate_client_oid_scope: z.enum(["all", "open"]).default("all"),
    /** Trigger types on private/create-order: "reject" = code 140001 (post 2025-12-17 migration), "accept" = legacy behaviour. */
    trigger_types_on_create_order: z.enum(["reject", "accept"]).default("reject"),
    /** Status of a trigger order that has not triggered yet. */
    untriggered_status: z.enum(["PENDING", "NEW"]).default("PENDING"),
    /** Also accept the official Java sample's depth-3 signature variant (MAX_LEVEL = 3). */
    accept_java_depth3_signature: z.boolean().default(false),
    /** Code for an invalid WebSocket channel (10004 observed live by ccxt). */
    invalid_channel_code: z.number().int().default(10004),
    /** `id` of public GET responses (no id is sent). */
    public_response_id: z.number().int().default(-1),
    /** Pro-rate the WebSocket request allowance in the connection's first calendar second. */
    ws_prorate_first_second: z.boolean().default(true),
    /** get-candlestick without start_ts: "1d" = one day before end_ts (the docs), "count" = count candles back. */
    candlestick_default_window: z.enum(["1d", "count"]).default("1d"),
  })
  .default({
    post_only_reject: "async",
    reject_with_result: true,
    duplicate_client_oid_scope: "all",
    trigger_types_on_create_order: "reject",
    untriggered_status: "PENDING",
    accept_java_depth3_signature: false,
    invalid_channel_code: 10004,
    public_response_id: -1,
    ws_prorate_first_second: true,
    candlestick_default_window: "1d",
  });

export const emulatorConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(42),
  /**
   * The first order id (19 digits, trade ids 500e9 above it); default from the seed. A restarted
   * emulator that must not hand out ids an earlier one gave (the demo, whose store outlives it) sets it.
   */
  order_id_base: z
    .string()
    .regex(/^[1-8][0-9]{18}$/, "must be 19 digits, the first 1-8 (ids must stay 19 digits)")
    .optional(),
  speed: z.number().positive().max(100_000).default(1),
  clock_offset_ms: clockOffsetSchema.default(0),
  nonce_window_ms: z
    .strictObject({ past: intMs().default(60_000), future: intMs().default(60_000) })
    .default({ past: 60_000, future: 60_000 }),
  response_number_types: z.boolean().default(true),
  missing_permission_code: z.number().int().default(40101),
  accounts: z.record(z.string().min(1), accountSchema).default(() => structuredClone(DEFAULT_ACCOUNTS)),
  keys: z.array(keySchema).default(() => structuredClone(DEFAULT_KEYS)),
  instruments: z
    .union([z.literal("default"), z.array(instrumentSchema).min(1)], {
      error: 'must be "default" or a non-empty list of instrument specs',
    })
    .default("default"),
  faults: z.array(faultSchema).default([]),
  // ---- extensions (documented in docs/emulator.md) ----
  heartbeat_ms: intMs(1).default(30_000),
  heartbeat_deadline_ms: intMs(1).default(5_000),
  /** Real milliseconds between market ticks; 0 = no automatic ticks (tests step with admin.tick()). */
  market_tick_ms: intMs().default(1_000),
  /**
   * Days of candle history backfilled at start, the last 7 (or all, when fewer) minute by minute and
   * the rest hourly (0: the current hour's minutes). Starting costs ~30 ms per instrument at 300.
   */
  history_days: z.number().int().min(0).max(3_650).default(300),
  /** End of the backfilled candle history (default: the emulator clock at start). */
  start_time_ms: z
    .number()
    .int()
    .min(0)
    .max(253_402_300_799_999, "must be a time before the year 10000")
    .optional(),
  /** Delay between an order's acknowledgement and its processing. */
  order_latency_ms: intMs().default(0),
  fees: z
    .strictObject({ maker: decimalString("maker fee rate"), taker: decimalString("taker fee rate") })
    .default({ maker: "0.0025", taker: "0.005" }),
  rate_limits: z.boolean().default(true),
  ws_rate_limits: z.boolean().default(true),
  limits: z
    .strictObject({
      max_open_orders_per_instrument: z.number().int().min(1).default(200),
      max_open_orders_per_account: z.number().int().min(1).default(1000),
      /** A limit price outside [ref × (1 − r), ref × (1 + r)] is rejected with 315. */
      far_limit_ratio: positiveDecimal("far_limit_ratio", "0.5").default("0.5"),
      max_market_subscriptions: z.number().int().min(1).default(400),
      ws_user_requests_per_second: z.number().int().min(1).default(150),
      ws_market_requests_per_second: z.number().int().min(1).default(100),
      /** Largest REST body or WebSocket message; beyond it: 40001 in the exchange's envelope (HTTP 413 on REST). */
      max_request_bytes: z
        .number()
        .int()
        .min(1024, "must be at least 1024 bytes")
        .max(WS_MAX_PAYLOAD_BYTES, `must be at most ${WS_MAX_PAYLOAD_BYTES} bytes`)
        .default(DEFAULT_MAX_REQUEST_BYTES),
      /** Entries of the order log (admin GET /orders); beyond it the oldest final entries are dropped and counted. */
      order_log_size: z.number().int().min(1).max(10_000_000).default(100_000),
      /** Final orders the matching engine keeps (with their fills) besides every open order; older ones are forgotten. */
      max_final_orders: z.number().int().min(1).max(10_000_000).default(DEFAULT_MAX_FINAL_ORDERS),
    })
    .default({
      max_open_orders_per_instrument: 200,
      max_open_orders_per_account: 1000,
      far_limit_ratio: "0.5",
      max_market_subscriptions: 400,
      ws_user_requests_per_second: 150,
      ws_market_requests_per_second: 100,
      max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
      order_log_size: 100_000,
      max_final_orders: DEFAULT_MAX_FINAL_ORDERS,
    }),
  switches: switchesSchema,
});

export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;
export type EmulatorConfig = Omit<z.output<typeof emulatorConfigSchema>, "instruments"> & {
  instruments: InstrumentSpec[];
};

export class EmulatorConfigError extends AtpError {
  get errorCode(): string {
    return "config.emulator";
  }
  get disposition(): Disposition {
    return "fatal";
  }

  constructor(readonly problems: string[]) {
    super(`invalid emulator configuration:\n  ${problems.join("\n  ")}`);
    this.name = "EmulatorConfigError";
  }
}

/** Validates a config object; throws EmulatorConfigError listing every problem with its field. */
export function parseEmulatorConfig(input: unknown): EmulatorConfig {
  const reserved = reservedKeyProblems(input);
  const r = emulatorConfigSchema.safeParse(input ?? {});
  if (!r.success || reserved.length > 0) {
    throw new EmulatorConfigError([...reserved, ...issueProblems(r.error?.issues ?? [])]);
  }
  const c = r.data;
  const problems: string[] = [];
  c.keys.forEach((k, i) => {
    if (!Object.hasOwn(c.accounts, k.account))
      problems.push(`keys[${i}].account: no account named "${k.account}" in accounts`);
  });
  const seen = new Set<string>();
  c.keys.forEach((k, i) => {
    if (seen.has(k.api_key)) problems.push(`keys[${i}].api_key: duplicate api_key`);
    seen.add(k.api_key);
  });
  const instruments = c.instruments === "default" ? DEFAULT_INSTRUMENTS.map(normalise) : c.instruments;
  const symbols = new Set<string>();
  instruments.forEach((inst, i) => {
    if (symbols.has(inst.symbol)) problems.push(`instruments[${i}].symbol: duplicate symbol ${inst.symbol}`);
    symbols.add(inst.symbol);
  });
  if (problems.length > 0) throw new EmulatorConfigError(problems);
  return { ...c, instruments };
}

function normalise(i: InstrumentConfig): InstrumentSpec {
  return { tradable: true, daily_volatility: 0.03, ...i };
}

/** Reads and validates a JSON config file; errors name the file and the field. */
export function loadEmulatorConfigFile(path: string): EmulatorConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new EmulatorConfigError([`${path}: cannot read (${(err as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EmulatorConfigError([`${path}: not valid JSON (${(err as Error).message})`]);
  }
  try {
    return parseEmulatorConfig(json);
  } catch (err) {
    if (err instanceof EmulatorConfigError) {
      throw new EmulatorConfigError(err.problems.map((p) => `${path}: ${p}`));
    }
    throw err;
  }
}
