/**
 * Settings: one JSON value per key, validated by zod on read and on write, with defaults in code.
 *
 * Invariants:
 * - `liveTrading()` fails CLOSED: a read error, a missing row or a value that does not validate
 *   means not live, and the result says which (`why`).
 * - `killSwitch()` fails SAFE: a read error or an invalid value means engaged; no row means the
 *   default (off). The kill switch never blocks protective orders (the trading guards' rule).
 * - Money inside settings is decimal text in JSON and `Dec` in code.
 * - `snapshot()` is every setting from one query, with the same rules (one decision reads its
 *   switches, limits and loss protections of one instant).
 * - A stored text is validated once per process: its decoded value is kept (frozen) and handed to
 *   every reader of the same text; a changed text is validated again.
 */
import { z } from "zod";
import { dec } from "../../util/decimal.js";
import { jsonOut } from "../codec.js";
import type { RepoContext } from "../context.js";
import { StoreDataError } from "../errors.js";
import { Shape } from "../prepared.js";
import type {
  SettingKey,
  SettingRead,
  SettingsRepo,
  SettingsSnapshot,
  SettingValues,
  SwitchRead,
} from "../types.js";

const DECIMAL_RE = /^\d+(\.\d+)?$/;
const decimalText = z
  .string()
  .regex(DECIMAL_RE, 'a non-negative decimal string, e.g. "100" or "0.5"')
  .transform((s) => dec(s));
const count = z.number().int().nonnegative();

/** An IANA time zone the runtime knows (Intl refuses unknown names). */
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone, e.g. "UTC" or "Europe/Berlin"');

const telegramSchema = z.strictObject({
  events: z.record(
    z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/, 'a notification kind, e.g. "order.filled"'),
    z.enum(["on", "silent", "off"]),
  ),
  dailySummary: z.strictObject({
    enabled: z.boolean(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour time "HH:MM", e.g. "20:00"'),
    timeZone,
  }),
  throttleMinutes: z.number().int().min(1).max(1440),
});

const SCHEMAS = {
  live_trading: z.boolean(),
  kill_switch: z.boolean(),
  limits: z.strictObject({
    maxOpenPositionsPerSymbol: count,
    maxOpenPositionsTotal: count,
    cooldownS: count,
    maxUsdPerOrder: decimalText,
    maxOrdersPerSymbolPerDay: count,
    maxNotionalPerSymbolPerDay: decimalText,
  }),
  loss_protection: z.strictObject({
    dailyLossLimitUsd: decimalText.nullable().transform((v) => v ?? undefined),
    dailyLossLimitPct: decimalText.nullable().transform((v) => v ?? undefined),
    stoplossGuardCount: count,
    stoplossGuardHours: z.number().positive(),
  }),
  protection: z.strictObject({
    slOrderType: z.enum(["STOP_LIMIT", "STOP_LOSS"]),
    stopLimitSlippagePct: decimalText,
    deadlineS: z.number().int().positive(),
    retryInitialMs: z.number().int().positive(),
    retryMaxMs: z.number().int().positive(),
  }),
  telegram: telegramSchema,
} satisfies { [K in SettingKey]: z.ZodType<SettingValues[K], unknown> };

/** The defaults: what a store without a row for the key uses. */
export const SETTING_DEFAULTS: SettingValues = {
  live_trading: false,
  kill_switch: false,
  limits: {
    maxOpenPositionsPerSymbol: 1,
    maxOpenPositionsTotal: 5,
    cooldownS: 300,
    maxUsdPerOrder: dec("100"),
    maxOrdersPerSymbolPerDay: 10,
    maxNotionalPerSymbolPerDay: dec("1000"),
  },
  loss_protection: {
    dailyLossLimitUsd: undefined,
    dailyLossLimitPct: dec("5"),
    stoplossGuardCount: 3,
    stoplossGuardHours: 24,
  },
  protection: {
    slOrderType: "STOP_LIMIT",
    stopLimitSlippagePct: dec("0.5"),
    deadlineS: 30,
    retryInitialMs: 1000,
    retryMaxMs: 8000,
  },
  telegram: {
    events: {},
    dailySummary: { enabled: true, time: "20:00", timeZone: "UTC" },
    throttleMinutes: 60,
  },
};

export const SETTING_KEYS = Object.keys(SCHEMAS) as SettingKey[];

/** JSON text of a value: Dec → decimal string (its toJSON), undefined → null. */
function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v));
}

/** Plain objects and arrays frozen all the way down (a decoded value is shared by its readers). */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object" && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The last text decoded per key and its value: the same text is not validated again. */
const decoded = new Map<SettingKey, { text: string; value: unknown }>();

function decode<K extends SettingKey>(key: K, text: string): SettingValues[K] {
  const hit = decoded.get(key);
  if (hit?.text === text) return hit.value as SettingValues[K];
  const value = deepFreeze(validate(key, text));
  decoded.set(key, { text, value });
  return value;
}

function validate<K extends SettingKey>(key: K, text: string): SettingValues[K] {
  const parsed = SCHEMAS[key].safeParse(jsonOut(text, `settings.${key}`));
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
    throw new StoreDataError(`settings.${key}`, why);
  }
  return parsed.data as SettingValues[K];
}

type SettingRow = { value: string; updated_at: number };

/** Every row, compiled once (prepared.ts): each entry decision reads them. */
const ALL_SETTINGS = new Shape<SettingRow & { key: string }>("settings.all", (db) =>
  db.selectFrom("settings").select(["key", "value", "updated_at"]),
);

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** A switch from its row (or the read's failure), the fail-safe way (see the invariants). */
function switchOf(
  key: "live_trading" | "kill_switch",
  row: SettingRow | undefined | Error,
  safe: boolean,
  missing: boolean,
): SwitchRead {
  if (row instanceof Error) return { value: safe, why: "read_error", detail: errorText(row) };
  if (!row) return { value: missing, why: "missing" };
  try {
    return { value: decode(key, row.value), why: "stored" };
  } catch (e) {
    return { value: safe, why: "invalid", detail: errorText(e) };
  }
}

const liveSwitch = (row: SettingRow | undefined | Error) => switchOf("live_trading", row, false, false);
const killSwitch = (row: SettingRow | undefined | Error) =>
  switchOf("kill_switch", row, true, SETTING_DEFAULTS.kill_switch);

function settingOf<K extends SettingKey>(key: K, row: SettingRow | undefined): SettingRead<K> {
  if (!row) return { value: SETTING_DEFAULTS[key], source: "default", updatedAt: undefined };
  return { value: decode(key, row.value), source: "stored", updatedAt: row.updated_at };
}

function snapshotOf(rows: Map<string, SettingRow> | Error): SettingsSnapshot {
  const rowOf = (key: SettingKey) => (rows instanceof Error ? rows : rows.get(key));
  return {
    get<K extends SettingKey>(key: K): SettingRead<K> {
      if (rows instanceof Error) throw rows;
      return settingOf(key, rows.get(key));
    },
    liveTrading: liveSwitch(rowOf("live_trading")),
    killSwitch: killSwitch(rowOf("kill_switch")),
  };
}

export function settingsRepo(ctx: RepoContext): SettingsRepo {
  async function row(key: SettingKey) {
    return ctx.db.selectFrom("settings").selectAll().where("key", "=", key).executeTakeFirst();
  }
  const rowOrError = (key: SettingKey) => row(key).catch(asError);
  return {
    async get<K extends SettingKey>(key: K): Promise<SettingRead<K>> {
      return settingOf(key, await row(key));
    },
    async set<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<SettingValues[K]> {
      const text = encode(value);
      const stored = decode(key, text); // what is stored reads back
      const now = ctx.now();
      await ctx.db
        .insertInto("settings")
        .values({ key, value: text, updated_at: now })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: text, updated_at: now }))
        .execute();
      return stored;
    },
    liveTrading: async () => liveSwitch(await rowOrError("live_trading")),
    killSwitch: async () => killSwitch(await rowOrError("kill_switch")),
    async snapshot() {
      try {
        const rows = (await ALL_SETTINGS.run(ctx.db, ctx.dialect, {})).rows;
        return snapshotOf(new Map(rows.map((r) => [r.key, r])));
      } catch (e) {
        return snapshotOf(asError(e));
      }
    },
  };
}
