/**
 * Schema of config/strategies.json: presets (rule sets) and per-coin assignments with overrides.
 * This file only checks shape and ranges; src/strategy/config.ts adds the cross-field checks
 * (unknown presets, rules that can never all hold) and resolves each coin's effective rules.
 */
import { z } from "zod";
import { TIMEFRAMES } from "../market/timeframe.js";

const pct = z.number().min(0).max(100);
const positive = z.number().positive();

const StopLoss = z.union([
  z.strictObject({
    /** Stop distance = atrMult × ATR(14). */
    atrMult: positive,
    /** Stop distance in % of the price when ATR(14) is not available yet. */
    fallbackPct: positive.max(100).optional(),
  }),
  z.strictObject({ pct: positive.max(100) }),
]);

const TakeProfit = z.union([
  /** Target distance = rr × stop distance (risk/reward). */
  z.strictObject({ rr: positive }),
  z.strictObject({ pct: positive.max(1000) }),
]);

const MaChecks = z.strictObject({ ema10: z.boolean(), ma50: z.boolean(), ma200: z.boolean() });
const TrendFilters = z.strictObject({
  priceAboveMa200: z.boolean().optional(),
  ema10AboveMa50: z.boolean().optional(),
});
const Rsi = z.strictObject({ buyBelow: pct, sellAbove: pct });

export const PresetRulesSchema = z.strictObject({
  description: z.string().optional(),
  rsi: Rsi,
  maChecks: MaChecks,
  /** Tolerance of "price at or above MA50 / MA200" checks, in % (original: 0.5). */
  maTolerancePct: pct.default(0.5),
  /** Tolerance of the "price at or above EMA10" check when it is the only MA check (original: 0.5, scalp 5). */
  ema10TolerancePct: pct.default(0.5),
  /** SELL trend reversal: EMA10 at least this % below MA50 (original: 0.5). */
  trendReversalPct: pct.default(0.5),
  trendFilters: TrendFilters.optional(),
  /** BUY needs RSI to cross up through `rsi.buyBelow` (previous close below, this close at or above). */
  rsiConfirmation: z.strictObject({ crossUp: z.boolean() }).optional(),
  /** BUY needs the candle to close above EMA10. */
  candleConfirmation: z.strictObject({ closeAboveEma10: z.boolean() }).optional(),
  volumeMinRatio: z.number().min(0),
  /** Throttle: minimum % move since the last emitted signal of the same side. */
  minPriceChangePct: pct,
  sl: StopLoss,
  tp: TakeProfit,
});
export type PresetRulesInput = z.input<typeof PresetRulesSchema>;
export type PresetRules = z.output<typeof PresetRulesSchema>;

/** A per-coin override: any rule field; nested objects are merged field by field (sl/tp replace). */
export const RulesOverrideSchema = z.strictObject({
  rsi: Rsi.partial().optional(),
  maChecks: MaChecks.partial().optional(),
  maTolerancePct: pct.optional(),
  ema10TolerancePct: pct.optional(),
  trendReversalPct: pct.optional(),
  trendFilters: TrendFilters.optional(),
  rsiConfirmation: z.strictObject({ crossUp: z.boolean() }).optional(),
  candleConfirmation: z.strictObject({ closeAboveEma10: z.boolean() }).optional(),
  volumeMinRatio: z.number().min(0).optional(),
  minPriceChangePct: pct.optional(),
  sl: StopLoss.optional(),
  tp: TakeProfit.optional(),
});
export type RulesOverride = z.output<typeof RulesOverrideSchema>;

const Timeframe = z.enum(TIMEFRAMES);
const PresetName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-'");
const InstrumentName = z
  .string()
  .regex(/^[A-Z0-9]+([_-][A-Z0-9]+)*$/, "an exchange instrument name such as BTC_USD");

export const CoinSchema = z.strictObject({
  preset: PresetName,
  /** Candle timeframe the coin is evaluated on (default: defaults.timeframe). */
  timeframe: Timeframe.optional(),
  overrides: RulesOverrideSchema.optional(),
  /** BUY only at or below this price (the original "buy target"). */
  buyTarget: positive.optional(),
});
export type CoinConfig = z.output<typeof CoinSchema>;

export const StrategyFileSchema = z.strictObject({
  $comment: z.string().optional(),
  version: z.literal(1),
  defaults: z.strictObject({ preset: PresetName, timeframe: Timeframe }),
  throttle: z.strictObject({
    /** Time gate: minimum seconds between two emitted signals of the same (symbol, strategy, side). */
    minIntervalSec: z.number().int().min(0),
  }),
  presets: z.record(PresetName, PresetRulesSchema),
  coins: z.record(InstrumentName, CoinSchema).default({}),
});
export type StrategyFileInput = z.input<typeof StrategyFileSchema>;
export type StrategyFile = z.output<typeof StrategyFileSchema>;
