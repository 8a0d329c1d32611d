/**
 * Load-time check that a side's conditions can all hold at once. The original shipped a preset whose
 * BUY needed RSI < 30 and RSI ≥ 30, and MA50 > EMA10 and EMA10 > MA50: it could never BUY and
 * nothing said so. Here such a preset is rejected with the smallest set of conditions that conflict.
 *
 * Method: each AND-group is a conjunction of
 * - bounds on scalars (RSI and previous RSI in [0, 100], volume ratio ≥ 0): interval intersection;
 * - ratios between positive prices, `a op f × b`: in log space `log a − log b op log f`, a system of
 *   difference constraints, feasible iff its constraint graph has no negative cycle (or a zero-weight
 *   cycle through a strict edge) — Floyd–Warshall over at most six nodes.
 * A condition with several groups (OR) is satisfiable if one of its groups can join the others.
 * Indicators are treated as free variables: this finds logical contradictions, not rare markets.
 */
import type { PriceVar, ScalarVar } from "./inputs.js";
import type { Constraint, RuleCondition } from "./rules.js";

const EPS = 1e-12;
const PRICE_NODES: readonly (PriceVar | "one")[] = ["one", "price", "ema10", "ma50", "ma200", "ma10w"];
const SCALAR_DOMAIN: Readonly<Record<ScalarVar, [number, number]>> = {
  rsi: [0, 100],
  rsiPrev: [0, 100],
  volumeRatio: [0, Number.POSITIVE_INFINITY],
};

interface Edge {
  w: number;
  strict: boolean;
}

const less = (x: Edge, y: Edge): boolean =>
  x.w < y.w - EPS || (Math.abs(x.w - y.w) <= EPS && x.strict && !y.strict);

function ratiosFeasible(cs: Constraint[]): boolean {
  const n = PRICE_NODES.length;
  const INF: Edge = { w: Number.POSITIVE_INFINITY, strict: false };
  const d: Edge[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? { w: 0, strict: false } : INF)),
  );
  const idx = (v: PriceVar | null) => PRICE_NODES.indexOf(v ?? "one");
  const addEdge = (from: number, to: number, e: Edge) => {
    if (less(e, d[from]![to]!)) d[from]![to] = e;
  };
  for (const c of cs) {
    if (c.kind !== "ratio") continue;
    const a = idx(c.a);
    const b = idx(c.b);
    const lf = Math.log(c.factor);
    const strict = c.op === "<" || c.op === ">";
    // x_a − x_b ≥ lf  ⇔  x_b − x_a ≤ −lf : edge a → b weighing −lf
    if (c.op === ">=" || c.op === ">") addEdge(a, b, { w: -lf, strict });
    // x_a − x_b ≤ lf : edge b → a weighing lf
    else addEdge(b, a, { w: lf, strict });
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = d[i]![k]!;
      if (ik.w === Number.POSITIVE_INFINITY) continue;
      for (let j = 0; j < n; j++) {
        const kj = d[k]![j]!;
        if (kj.w === Number.POSITIVE_INFINITY) continue;
        const via = { w: ik.w + kj.w, strict: ik.strict || kj.strict };
        if (less(via, d[i]![j]!)) d[i]![j] = via;
      }
    }
  }
  for (let i = 0; i < n; i++) if (less(d[i]![i]!, { w: 0, strict: false })) return false;
  return true;
}

function boundsFeasible(cs: Constraint[]): boolean {
  for (const x of Object.keys(SCALAR_DOMAIN) as ScalarVar[]) {
    let [lo, hi] = SCALAR_DOMAIN[x];
    let loStrict = false;
    let hiStrict = false;
    for (const c of cs) {
      if (c.kind !== "bound" || c.x !== x) continue;
      if (c.op === ">" || c.op === ">=") {
        const strict = c.op === ">";
        if (c.value > lo || (c.value === lo && strict)) {
          lo = c.value;
          loStrict = strict;
        }
      } else {
        const strict = c.op === "<";
        if (c.value < hi || (c.value === hi && strict)) {
          hi = c.value;
          hiStrict = strict;
        }
      }
    }
    if (lo > hi || (lo === hi && (loStrict || hiStrict))) return false;
  }
  return true;
}

function groupFeasible(cs: Constraint[]): boolean {
  return boundsFeasible(cs) && ratiosFeasible(cs);
}

/** Whether every condition can hold at the same time. */
export function satisfiable(conditions: readonly RuleCondition[]): boolean {
  const search = (i: number, acc: Constraint[]): boolean => {
    if (i === conditions.length) return groupFeasible(acc);
    for (const group of conditions[i]!.anyOf) {
      const next = acc.concat(group);
      if (groupFeasible(next) && search(i + 1, next)) return true;
    }
    return false;
  };
  return search(0, []);
}

/**
 * The smallest subset of `conditions` that cannot all hold (deletion filter), or undefined when the
 * whole set is satisfiable.
 */
export function findConflict(conditions: readonly RuleCondition[]): RuleCondition[] | undefined {
  if (satisfiable(conditions)) return undefined;
  let core = [...conditions];
  for (const c of conditions) {
    const without = core.filter((x) => x !== c);
    if (!satisfiable(without)) core = without;
  }
  return core;
}
