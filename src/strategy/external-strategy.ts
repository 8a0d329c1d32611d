/**
 * A strategy driven by external signals (TradingView-style webhooks, planned with the HTTP API). It
 * shows the extension point: it implements the same `Strategy` interface as the presets, reads no
 * indicators, and turns the most recent fresh external signal into BUY or SELL with a trace.
 * The webhook endpoint will only authenticate and queue signals (`SymbolEvaluator.pushExternal`).
 */

import type { Side } from "../domain/orders.js";
import { buildDecision } from "./decision.js";
import { fmtNumber } from "./inputs.js";
import { planRisk } from "./risk.js";
import type {
  ConditionResult,
  Decision,
  ExternalSignal,
  RiskPlan,
  Strategy,
  StrategyInput,
} from "./types.js";

export interface ExternalStrategyOptions {
  /** Only signals from this source count (e.g. "tradingview"). */
  source: string;
  /** A signal older than this at evaluation time is ignored (ms). */
  maxAgeMs: number;
  /** Fixed stop / target distances in % for the signals it emits. */
  slPct: number;
  tpPct: number;
}

export class ExternalSignalStrategy implements Strategy {
  readonly key: string;
  readonly needs = [];

  constructor(private readonly opts: ExternalStrategyOptions) {
    this.key = `external:${opts.source}`;
  }

  evaluate(input: StrategyInput): Decision {
    const fresh = input.external.filter(
      (s) => s.source === this.opts.source && input.now - s.receivedAt <= this.opts.maxAgeMs,
    );
    const latest = fresh.at(-1);
    const side = (sd: Side): ConditionResult => {
      const hit = latest?.side === sd ? latest : undefined;
      return {
        id: `${sd.toLowerCase()}.external`,
        side: sd,
        label: `${sd} signal from ${this.opts.source} within ${fmtNumber(this.opts.maxAgeMs / 1000)} s`,
        status: hit ? "pass" : "fail",
        value: hit ? (input.now - hit.receivedAt) / 1000 : null,
        threshold: this.opts.maxAgeMs / 1000,
        detail: hit ? describe(hit, input.now) : describeNone(sd, input.external, latest),
      };
    };
    // fixed-percent protection: the same planner as the presets (no ATR involved)
    const rules = { sl: { pct: this.opts.slPct }, tp: { pct: this.opts.tpPct } };
    const risk = (sd: Side): RiskPlan =>
      planRisk(rules, sd, input.candle.c, { value: undefined, missing: undefined }).plan!;
    return buildDecision(this.key, input, {
      buy: [side("BUY")],
      sell: [side("SELL")],
      risk: { BUY: risk("BUY"), SELL: risk("SELL") },
    });
  }
}

function describe(s: ExternalSignal, now: number): string {
  return `signal ${s.id} received ${fmtNumber((now - s.receivedAt) / 1000)} s ago${s.note ? ` (${s.note})` : ""}`;
}

function describeNone(
  side: Side,
  all: readonly ExternalSignal[],
  latest: ExternalSignal | undefined,
): string {
  if (latest) return `latest fresh signal is ${latest.side} (${latest.id})`;
  return all.length === 0 ? `no external ${side} signal received` : "no fresh signal from this source";
}
