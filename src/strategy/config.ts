/**
 * Strategy configuration: config/strategies.json parsed with the zod schema, then checked as a whole.
 *
 * Invariants (a file that breaks one is rejected at load with every problem listed, path first):
 * - every preset and every coin's effective rules (preset + overrides) can produce a BUY and can
 *   produce a SELL: no side whose conditions contradict each other (see satisfiability.ts);
 * - RSI buy-below is not above sell-above (a zone that is both oversold and overbought);
 * - the default preset and every coin's preset exist;
 * - no key anywhere in the file is `__proto__`: a JSON object can hold one as its own key, but the
 *   schema's records would drop it without a word (a preset or coin silently missing), so it is
 *   refused by path. Names are looked up as own properties (`Object.hasOwn`), so `constructor` or
 *   `toString` are names like any other.
 * Coins not listed use the default preset and timeframe.
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AtpError, type Disposition } from "../domain/errors.js";
import type { Timeframe } from "../market/timeframe.js";
import { configHash } from "./config-hash.js";
import {
  type CoinConfig,
  type PresetRules,
  PresetRulesSchema,
  type RulesOverride,
  type StrategyFile,
  StrategyFileSchema,
} from "./config-schema.js";
import { PresetStrategy } from "./preset-strategy.js";
import { compileRules } from "./rules.js";
import { findConflict } from "./satisfiability.js";

export const DEFAULT_STRATEGIES_FILE = fileURLToPath(
  new URL("../../config/strategies.json", import.meta.url),
);

export class StrategyConfigError extends AtpError {
  get errorCode(): string {
    return "config.strategy";
  }
  get disposition(): Disposition {
    return "fatal";
  }

  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid strategy configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "StrategyConfigError";
  }
}

/** A coin's effective strategy settings. */
export interface CoinStrategy {
  symbol: string;
  preset: string;
  timeframe: Timeframe;
  rules: PresetRules;
  buyTarget?: number;
  /** Changes whenever anything above changes (the throttle allows one immediate signal then). */
  configHash: string;
}

/** Merges an override into preset rules: nested objects field by field, sl/tp and scalars replaced. */
export function mergeRules(base: PresetRules, o: RulesOverride | undefined): unknown {
  if (!o) return base;
  return {
    ...base,
    ...o,
    rsi: { ...base.rsi, ...o.rsi },
    maChecks: { ...base.maChecks, ...o.maChecks },
    trendFilters:
      o.trendFilters || base.trendFilters ? { ...base.trendFilters, ...o.trendFilters } : undefined,
    sl: o.sl ?? base.sl,
    tp: o.tp ?? base.tp,
  };
}

/** Problems with one rule set (empty when it is usable). */
export function ruleProblems(rules: PresetRules, buyTarget?: number): string[] {
  const problems: string[] = [];
  if (rules.rsi.buyBelow > rules.rsi.sellAbove) {
    problems.push(
      `RSI zones overlap: buyBelow ${rules.rsi.buyBelow} is above sellAbove ${rules.rsi.sellAbove}, so an RSI between them would be both oversold and overbought`,
    );
  }
  const compiled = compileRules(rules, buyTarget === undefined ? {} : { buyTarget });
  for (const [side, list] of [
    ["BUY", compiled.buy],
    ["SELL", compiled.sell],
  ] as const) {
    const conflict = findConflict(list);
    if (conflict) {
      problems.push(
        `${side} can never happen: these conditions cannot all hold at once: ${conflict.map((c) => `"${c.label}"`).join(" and ")}`,
      );
    }
  }
  return problems;
}

export class StrategyConfig {
  private readonly coins = new Map<string, CoinStrategy>();
  private readonly strategies = new Map<string, PresetStrategy>();

  constructor(readonly file: StrategyFile) {}

  get presetNames(): string[] {
    return Object.keys(this.file.presets).sort();
  }

  get minIntervalMs(): number {
    return this.file.throttle.minIntervalSec * 1000;
  }

  preset(name: string): PresetRules | undefined {
    return Object.hasOwn(this.file.presets, name) ? this.file.presets[name] : undefined;
  }

  /** The coin's effective settings (default preset and timeframe for coins not listed). */
  coin(symbol: string): CoinStrategy {
    const cached = this.coins.get(symbol);
    if (cached) return cached;
    const entry: CoinConfig | undefined = Object.hasOwn(this.file.coins, symbol)
      ? this.file.coins[symbol]
      : undefined;
    const presetName = entry?.preset ?? this.file.defaults.preset;
    const base = this.preset(presetName);
    if (!base) throw new Error(`unknown preset '${presetName}' for ${symbol}`);
    const rules = PresetRulesSchema.parse(mergeRules(base, entry?.overrides));
    const timeframe = entry?.timeframe ?? this.file.defaults.timeframe;
    const resolved: CoinStrategy = { symbol, preset: presetName, timeframe, rules, configHash: "" };
    if (entry?.buyTarget !== undefined) resolved.buyTarget = entry.buyTarget;
    resolved.configHash = configHash({ preset: presetName, timeframe, rules, buyTarget: entry?.buyTarget });
    this.coins.set(symbol, resolved);
    return resolved;
  }

  /** The preset strategy for a coin (with its overrides and buy target). */
  strategyFor(symbol: string): PresetStrategy {
    const cached = this.strategies.get(symbol);
    if (cached) return cached;
    const c = this.coin(symbol);
    const s = new PresetStrategy(
      c.preset,
      c.rules,
      c.buyTarget === undefined ? {} : { buyTarget: c.buyTarget },
    );
    this.strategies.set(symbol, s);
    return s;
  }

  /** A named preset without per-coin overrides (backtests of a preset, benchmarks). */
  presetStrategy(name: string): PresetStrategy {
    const rules = this.preset(name);
    if (!rules) throw new Error(`unknown preset '${name}' (known: ${this.presetNames.join(", ")})`);
    return new PresetStrategy(name, rules);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".") || "(root)";
}

/** Paths of every own `__proto__` key in parsed JSON (which object-building code would drop or misread). */
function reservedKeyPaths(json: unknown, path: string[] = [], out: string[] = []): string[] {
  if (json === null || typeof json !== "object" || path.length > 32) return out;
  for (const key of Object.keys(json)) {
    if (key === "__proto__") out.push([...path, key].join("."));
    reservedKeyPaths((json as Record<string, unknown>)[key], [...path, key], out);
  }
  return out;
}

/** Validates parsed JSON; returns the config or every problem found. */
export function parseStrategyConfig(json: unknown): { config?: StrategyConfig; problems: string[] } {
  const reserved = reservedKeyPaths(json);
  if (reserved.length > 0) {
    return {
      problems: reserved.map((p) => `${p}: "__proto__" cannot be a name here (it is reserved); rename it`),
    };
  }
  const parsed = StrategyFileSchema.safeParse(json);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
  }
  const file = parsed.data;
  const problems: string[] = [];
  const known = Object.keys(file.presets).sort();
  if (!Object.hasOwn(file.presets, file.defaults.preset)) {
    problems.push(`defaults.preset: unknown preset '${file.defaults.preset}' (known: ${known.join(", ")})`);
  }
  for (const [name, rules] of Object.entries(file.presets)) {
    for (const p of ruleProblems(rules)) problems.push(`presets.${name}: ${p}`);
  }
  for (const [symbol, coin] of Object.entries(file.coins)) {
    const base = Object.hasOwn(file.presets, coin.preset) ? file.presets[coin.preset] : undefined;
    if (!base) {
      problems.push(`coins.${symbol}.preset: unknown preset '${coin.preset}' (known: ${known.join(", ")})`);
      continue;
    }
    if (!coin.overrides && coin.buyTarget === undefined) continue;
    const merged = PresetRulesSchema.safeParse(mergeRules(base, coin.overrides));
    if (!merged.success) {
      for (const i of merged.error.issues)
        problems.push(`coins.${symbol}.overrides.${formatPath(i.path)}: ${i.message}`);
      continue;
    }
    for (const p of ruleProblems(merged.data, coin.buyTarget)) problems.push(`coins.${symbol}: ${p}`);
  }
  if (problems.length > 0) return { problems };
  return { config: new StrategyConfig(file), problems };
}

/** Reads and validates a strategies file; throws StrategyConfigError listing every problem. */
export function loadStrategyConfig(path: string = DEFAULT_STRATEGIES_FILE): StrategyConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new StrategyConfigError(path, [err instanceof Error ? err.message : String(err)]);
  }
  const { config, problems } = parseStrategyConfig(json);
  if (!config) throw new StrategyConfigError(path, problems);
  return config;
}
