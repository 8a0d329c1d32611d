/**
 * Evaluates compiled rule conditions against the current inputs, producing trace lines.
 *
 * Conditions are compiled once into index-based constraints over a Float64Array of inputs (NaN =
 * not available), so an evaluation allocates only its results. Statuses, values and thresholds are
 * always computed; the human `detail` text is formatted only when `explain` is set (the action is
 * the same either way).
 */
import { fmtNumber, VAR_LABEL, type Var } from "./inputs.js";
import type { Constraint, Op, RuleCondition } from "./rules.js";
import type { ConditionResult } from "./types.js";

/** Input slots, in the order of the Float64Array handed to `evaluateCondition`. */
export const VARS: readonly Var[] = [
  "price",
  "ema10",
  "ma50",
  "ma200",
  "ma10w",
  "rsi",
  "rsiPrev",
  "volumeRatio",
];
export const VAR_INDEX: Readonly<Record<Var, number>> = Object.fromEntries(
  VARS.map((v, i) => [v, i]),
) as Record<Var, number>;

const LT = 0;
const LE = 1;
const GT = 2;
const GE = 3;
const OP_CODE: Record<Op, number> = { "<": LT, "<=": LE, ">": GT, ">=": GE };
const OP_TEXT: Record<Op, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };
const NEGATED: Record<Op, string> = { "<": "≥", "<=": ">", ">": "≤", ">=": "<" };

interface Compiled {
  lhs: number;
  /** Input slot of the right-hand side, or −1 when `k` is the threshold itself. */
  rhs: number;
  op: number;
  /** Effective factor (ratio) or bound value. */
  k: number;
  src: Constraint;
}

export interface CompiledCondition {
  cond: RuleCondition;
  groups: Compiled[][];
}

/** The effective factor of a ratio constraint: a flat band widens it in the permissive direction. */
function effectiveFactor(c: Constraint & { kind: "ratio" }): number {
  if (c.flat === undefined) return c.factor;
  return c.op === "<=" || c.op === "<" ? c.factor * (1 + c.flat) : c.factor * (1 - c.flat);
}

export function compileCondition(cond: RuleCondition): CompiledCondition {
  return {
    cond,
    groups: cond.anyOf.map((g) =>
      g.map((c): Compiled => {
        if (c.kind === "bound")
          return { lhs: VAR_INDEX[c.x], rhs: -1, op: OP_CODE[c.op], k: c.value, src: c };
        return {
          lhs: VAR_INDEX[c.a],
          rhs: c.b === null ? -1 : VAR_INDEX[c.b],
          op: OP_CODE[c.op],
          k: effectiveFactor(c),
          src: c,
        };
      }),
    ),
  };
}

function holds(x: number, op: number, y: number): boolean {
  return op === LT ? x < y : op === LE ? x <= y : op === GT ? x > y : x >= y;
}

/** Why an input is missing (`missing[slot]`), or a generic text. */
function missingText(slot: number, missing: readonly (string | undefined)[]): string {
  return missing[slot] ?? `${VAR_LABEL[VARS[slot]!]} not available`;
}

function describe(c: Compiled, values: Float64Array, missing: readonly (string | undefined)[]): string {
  const lhs = values[c.lhs]!;
  if (Number.isNaN(lhs)) return missingText(c.lhs, missing);
  const rhs = c.rhs < 0 ? 1 : values[c.rhs]!;
  if (Number.isNaN(rhs)) return missingText(c.rhs, missing);
  const thr = c.rhs < 0 ? c.k : c.k * rhs;
  const op = c.src.op;
  let thrText: string;
  if (c.rhs < 0) thrText = fmtNumber(thr);
  else {
    const name = VAR_LABEL[VARS[c.rhs]!];
    thrText =
      c.k === 1
        ? `${name} ${fmtNumber(rhs)}`
        : `${name} ${fmtNumber(rhs)} × ${fmtNumber(c.k)} = ${fmtNumber(thr)}`;
  }
  return `${VAR_LABEL[VARS[c.lhs]!]} ${fmtNumber(lhs)} ${holds(lhs, c.op, thr) ? OP_TEXT[op] : NEGATED[op]} ${thrText}`;
}

function texts(
  cc: CompiledCondition,
  values: Float64Array,
  missing: readonly (string | undefined)[],
): string {
  return cc.groups.map((g) => g.map((c) => describe(c, values, missing)).join(" and ")).join("; or ");
}

/**
 * Pass when every constraint of some group holds; insufficient when no group passes and one lacks an
 * input; fail otherwise. `value`/`threshold` come from the deciding comparison.
 */
export function evaluateCondition(
  cc: CompiledCondition,
  values: Float64Array,
  missing: readonly (string | undefined)[],
  explain = true,
): ConditionResult {
  let failLhs = Number.NaN;
  let failThr = Number.NaN;
  let failed = false;
  let missingSlot = -1;
  for (let g = 0; g < cc.groups.length; g++) {
    const group = cc.groups[g]!;
    let ok = true;
    let groupMissing = -1;
    let passLhs = Number.NaN;
    let passThr = Number.NaN;
    let gFailLhs = Number.NaN;
    let gFailThr = Number.NaN;
    let gFailed = false;
    for (let i = 0; i < group.length; i++) {
      const c = group[i]!;
      const lhs = values[c.lhs]!;
      const thr = c.rhs < 0 ? c.k : c.k * values[c.rhs]!;
      if (Number.isNaN(lhs) || Number.isNaN(thr)) {
        if (groupMissing < 0) groupMissing = Number.isNaN(lhs) ? c.lhs : c.rhs;
        continue;
      }
      if (holds(lhs, c.op, thr)) {
        // the last comparison of a group is its "current" one (e.g. RSI now, after RSI before)
        passLhs = lhs;
        passThr = thr;
      } else {
        ok = false;
        if (!gFailed) {
          gFailed = true;
          gFailLhs = lhs;
          gFailThr = thr;
        }
      }
    }
    if (ok && groupMissing < 0) {
      return result(cc.cond, "pass", passLhs, passThr, explain ? texts(cc, values, missing) : "");
    }
    if (!ok) {
      if (!failed) {
        failed = true;
        failLhs = gFailLhs;
        failThr = gFailThr;
      }
    } else if (missingSlot < 0) missingSlot = groupMissing;
  }
  if (missingSlot >= 0) {
    const r = result(
      cc.cond,
      "insufficient",
      null,
      null,
      explain ? `insufficient data: ${texts(cc, values, missing)}` : "",
    );
    r.missing = missingText(missingSlot, missing);
    return r;
  }
  return result(cc.cond, "fail", failLhs, failThr, explain ? texts(cc, values, missing) : "");
}

function result(
  cond: RuleCondition,
  status: ConditionResult["status"],
  value: number | null,
  threshold: number | null,
  detail: string,
): ConditionResult {
  return { id: cond.id, side: cond.side, label: cond.label, status, value, threshold, detail };
}
