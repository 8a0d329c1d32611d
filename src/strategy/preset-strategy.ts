/** The preset strategy: compiled rule conditions over the standard indicators. */
import { specLabel } from "../indicators/index.js";
import {
  type CompiledCondition,
  compileCondition,
  evaluateCondition,
  VAR_INDEX,
  VARS,
} from "./condition-eval.js";
import type { PresetRules } from "./config-schema.js";
import { buildDecision } from "./decision.js";
import { ATR_NEED, VAR_SOURCE, type Var } from "./inputs.js";
import { planRisk } from "./risk.js";
import { type CompiledRules, type CompileOptions, compileRules } from "./rules.js";
import type { ConditionResult, Decision, IndicatorNeed, Strategy, StrategyInput } from "./types.js";

type IndicatorVar = Exclude<Var, "price">;

export class PresetStrategy implements Strategy {
  readonly key: string;
  readonly needs: readonly IndicatorNeed[];
  readonly compiled: CompiledRules;
  private readonly buy: CompiledCondition[];
  private readonly sell: CompiledCondition[];
  /** Inputs the conditions read, with their slot in the value array. */
  private readonly inputs: { v: IndicatorVar; slot: number }[];
  // Scratch space reused by every evaluation (evaluate is synchronous and never re-entered).
  private readonly values = new Float64Array(VARS.length);
  private readonly missing: (string | undefined)[] = new Array(VARS.length);

  constructor(
    name: string,
    readonly rules: PresetRules,
    opts: CompileOptions = {},
  ) {
    this.key = name;
    this.compiled = compileRules(rules, opts);
    this.buy = this.compiled.buy.map(compileCondition);
    this.sell = this.compiled.sell.map(compileCondition);
    const used = new Set<IndicatorVar>();
    for (const cond of [...this.compiled.buy, ...this.compiled.sell]) {
      for (const group of cond.anyOf) {
        for (const c of group) {
          for (const v of c.kind === "ratio" ? [c.a, c.b] : [c.x]) if (v && v !== "price") used.add(v);
        }
      }
    }
    this.inputs = [...used].sort().map((v) => ({ v, slot: VAR_INDEX[v] }));
    const needs = new Map<string, IndicatorNeed>();
    for (const { v } of this.inputs) {
      const n = VAR_SOURCE[v].need;
      needs.set(`${n.timeframe}:${n.spec.kind}${n.spec.period}`, n);
    }
    needs.set("base:atr14", ATR_NEED);
    this.needs = [...needs.values()];
  }

  evaluate(input: StrategyInput): Decision {
    const values = this.values;
    const missing = this.missing;
    const explain = input.explain !== false;
    const view = input.indicators;
    values.fill(Number.NaN);
    missing.fill(undefined);
    values[VAR_INDEX.price] = input.candle.c;
    for (let i = 0; i < this.inputs.length; i++) {
      const { v, slot } = this.inputs[i]!;
      const src = VAR_SOURCE[v];
      const value = src.previous ? view.previous(src.need) : view.value(src.need);
      values[slot] = value;
      if (!Number.isNaN(value) || !explain) continue;
      const reading = view.read(src.need);
      missing[slot] = src.previous
        ? `${specLabel(src.need.spec)} at the previous candle needs ${reading.need + 1} candles, have ${reading.have}`
        : reading.missing;
    }
    const buy: ConditionResult[] = [];
    for (let i = 0; i < this.buy.length; i++)
      buy.push(evaluateCondition(this.buy[i]!, values, missing, explain));
    const sell: ConditionResult[] = [];
    for (let i = 0; i < this.sell.length; i++)
      sell.push(evaluateCondition(this.sell[i]!, values, missing, explain));
    const atrValue = view.value(ATR_NEED);
    const atr = Number.isNaN(atrValue)
      ? explain
        ? view.read(ATR_NEED)
        : { value: undefined, missing: "ATR(14)" }
      : { value: atrValue };
    const price = input.candle.c;
    const buyRisk = planRisk(this.rules, "BUY", price, atr, explain);
    buy.push(buyRisk.condition);
    const sellRisk = planRisk(this.rules, "SELL", price, atr, explain).plan;
    return buildDecision(this.key, input, { buy, sell, risk: { BUY: buyRisk.plan, SELL: sellRisk } });
  }
}
