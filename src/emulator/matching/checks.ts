/**
 * VenueOrder validation at submit, as the exchange answers it: a list of named checks run in order, the
 * first failure being the answer (docs/emulator.md "Orders" lists the same order). The instrument
 * is looked up first (209) since every check reads it; then ORDER_CHECKS:
 *
 *   duplicate client_oid 204 → exec_inst 219 → order shape and instrument rules (shared validator:
 *   40004, 213, 308, 415, 309, 43005, …) → open-order limits 318 → trigger direction 229 → price
 *   band 315 → reservation and balance 306 → POST_ONLY that would take, when answered at once 43005
 *
 * A check reads the draft (the request's decimals parsed once, the mark price read once) and the
 * engine's state through CheckEnv; it changes nothing but the draft's reservation. Failures that
 * the exchange records as REJECTED orders (415, 315, 306; with reject_with_result) carry the plan
 * the order is recorded with.
 */
import {
  FINAL_STATUSES,
  isTriggerType,
  type RefPriceType,
  type TimeInForce,
  triggersBelow,
} from "../../domain/orders.js";
import { type Instrument, type OrderFields, validateOrder } from "../../exchange/cryptocom/instruments.js";
import { Dec, dec } from "../../util/decimal.js";
import type { Ledger } from "./ledger.js";
import { isLimitLike, isPostOnly, isSupportedExecInst, wouldTake } from "./predicates.js";
import type { MarketView, VenueOrder, VenueOrderRequest } from "./types.js";

const ZERO = new Dec(0);

/** What an accepted order is created with; the reservation is filled in by the balance check. */
export interface Plan {
  inst: Instrument;
  quantity: Dec | undefined;
  notional: Dec | undefined;
  price: Dec | undefined;
  refPrice: Dec | undefined;
  refPriceType: RefPriceType | undefined;
  tif: TimeInForce;
  execInst: string[];
  reserveCcy: string;
  reserveAmount: Dec;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; code: number; message: string; plan?: Plan };

/** The engine state and settings the checks read. */
export interface CheckEnv {
  readonly market: MarketView;
  readonly ledger: Ledger;
  readonly maxOpenPerInstrument: number;
  readonly maxOpenPerAccount: number;
  /** A limit price outside [mark × (1 − r), mark × (1 + r)] is refused (315). */
  readonly farRatio: Dec;
  readonly duplicateClientOidScope: "all" | "open";
  readonly postOnlyReject: "async" | "sync";
  instrument(symbol: string): Instrument | undefined;
  /** The order a client_oid of the account names (the client_oid index). */
  byClientOid(account: string, clientOid: string): VenueOrder | undefined;
  /** Open orders, every account. */
  openOrders(): Iterable<VenueOrder>;
}

/** One order under validation. */
export interface Draft {
  readonly account: string;
  readonly req: VenueOrderRequest;
  readonly inst: Instrument;
  /** The market's mark price (undefined when it has none: band and minimum-value checks are skipped). */
  readonly mark: Dec | undefined;
  /** OCO legs share one reservation, checked for the list as a whole. */
  readonly skipBalance: boolean;
  readonly plan: Plan;
}

/** A failure: the code, the message, and whether the order is recorded with its plan. */
export interface CheckRefusal {
  code: number;
  message: string;
  recorded?: boolean;
}

export interface OrderCheck {
  readonly name: string;
  run(d: Draft, env: CheckEnv): CheckRefusal | undefined;
}

const refuse = (code: number, message: string, recorded = false): CheckRefusal => ({
  code,
  message,
  recorded,
});

/** Validates an order; never throws for a bad request. */
export function planOrder(
  env: CheckEnv,
  account: string,
  req: VenueOrderRequest,
  skipBalance: boolean,
): PlanResult {
  const inst = env.instrument(req.instrument_name);
  if (!inst) return { ok: false, code: 209, message: `Invalid instrument_name: ${req.instrument_name}` };
  const d: Draft = {
    account,
    req,
    inst,
    mark: env.market.refPrice(inst.symbol, "MARK_PRICE"),
    skipBalance,
    plan: draftPlan(inst, req),
  };
  for (const check of ORDER_CHECKS) {
    const r = check.run(d, env);
    if (!r) continue;
    return r.recorded
      ? { ok: false, code: r.code, message: r.message, plan: d.plan }
      : { ok: false, code: r.code, message: r.message };
  }
  return { ok: true, plan: d.plan };
}

/** The request's decimals parsed once (undefined when unparseable: the validator names them). */
function draftPlan(inst: Instrument, req: VenueOrderRequest): Plan {
  const trigger = isTriggerType(req.type);
  return {
    inst,
    quantity: req.quantity !== undefined ? safeDec(req.quantity) : undefined,
    notional: req.notional !== undefined ? safeDec(req.notional) : undefined,
    price: isLimitLike(req.type) && req.price !== undefined ? safeDec(req.price) : undefined,
    refPrice: trigger && req.ref_price !== undefined ? safeDec(req.ref_price) : undefined,
    refPriceType: trigger ? (req.ref_price_type ?? "MARK_PRICE") : undefined,
    tif: req.time_in_force ?? "GOOD_TILL_CANCEL",
    execInst: [...(req.exec_inst ?? [])],
    reserveCcy: req.side === "BUY" ? inst.quoteCcy : inst.baseCcy,
    reserveAmount: ZERO,
  };
}

export const ORDER_CHECKS: readonly OrderCheck[] = [
  {
    // Answered whatever else is wrong with the request: the exchange knows the id before it looks
    // at the order, and a retry of an accepted order must never become a new one.
    name: "duplicate client_oid",
    run({ account, req }, env) {
      const existing = env.byClientOid(account, req.client_oid);
      if (existing && (env.duplicateClientOidScope === "all" || !FINAL_STATUSES.has(existing.status))) {
        return refuse(204, `Duplicate client_oid ${req.client_oid}`);
      }
      return undefined;
    },
  },
  {
    name: "exec_inst",
    run({ plan }) {
      const e = plan.execInst.find((x) => !isSupportedExecInst(x));
      if (e === undefined) return undefined;
      return refuse(219, `exec_inst ${e} is not supported for spot orders in the emulator`);
    },
  },
  {
    // VenueOrder shape (reference §5.3 mandatory params, POST_ONLY rules) and instrument rules (tick,
    // decimals, minimum order value, tradable): the shared validator, first violation wins.
    name: "order shape and instrument rules",
    run({ req, inst, mark }) {
      const fields: OrderFields = {
        instrument_name: req.instrument_name,
        side: req.side,
        type: req.type,
        quantity: req.quantity,
        notional: req.notional,
        price: req.price,
        ref_price: req.ref_price,
        time_in_force: req.time_in_force,
        exec_inst: req.exec_inst,
      };
      const first = validateOrder(inst, fields, { marketPrice: mark })[0];
      if (!first) return undefined;
      return refuse(first.code, `${first.field}: ${first.rule}`, first.code === 415);
    },
  },
  {
    name: "open-order limits",
    run({ account, inst }, env) {
      let perInstrument = 0;
      let perAccount = 0;
      for (const o of env.openOrders()) {
        if (o.account !== account) continue;
        perAccount++;
        if (o.instrument.symbol === inst.symbol) perInstrument++;
      }
      if (perInstrument >= env.maxOpenPerInstrument) {
        return refuse(318, `too many open orders on ${inst.symbol} (max ${env.maxOpenPerInstrument})`);
      }
      if (perAccount >= env.maxOpenPerAccount) {
        return refuse(318, `too many open orders on the account (max ${env.maxOpenPerAccount})`);
      }
      return undefined;
    },
  },
  {
    // A trigger must not be met already: a falling trigger's ref_price lies below the reference.
    name: "trigger direction",
    run({ req, inst, plan }, env) {
      const { refPrice, refPriceType } = plan;
      if (!isTriggerType(req.type) || !refPrice) return undefined;
      const ref = env.market.refPrice(inst.symbol, refPriceType ?? "MARK_PRICE");
      if (!ref) return undefined;
      const below = triggersBelow(req.type, req.side);
      if (!(below ? refPrice.gte(ref) : refPrice.lte(ref))) return undefined;
      return refuse(
        229,
        `ref_price ${refPrice.toFixed()} must be ${below ? "below" : "above"} the current ${refPriceType} ${ref.toFixed()} for a ${req.side} ${req.type}`,
      );
    },
  },
  {
    name: "price band",
    run({ plan: { price }, mark }, env) {
      if (!price || !mark) return undefined;
      const lo = mark.mul(Dec.sub(1, env.farRatio));
      const hi = mark.mul(Dec.add(1, env.farRatio));
      if (!price.lt(lo) && !price.gt(hi)) return undefined;
      return refuse(
        315,
        `limit price ${price.toFixed()} is too far from the market ${mark.toFixed()} (allowed ${lo.toFixed()}..${hi.toFixed()})`,
        true,
      );
    },
  },
  {
    // Sets what the order holds (plan.reserveAmount), then refuses it when the account cannot.
    name: "reservation and balance",
    run(d, env) {
      const { plan } = d;
      plan.reserveAmount = reservationNeed(d, env.market);
      if (d.skipBalance) return undefined;
      const available = env.ledger.available(d.account, plan.reserveCcy);
      if (!available.lt(plan.reserveAmount)) return undefined;
      return refuse(
        306,
        `insufficient available ${plan.reserveCcy}: need ${plan.reserveAmount.toFixed()}, available ${available.toFixed()}`,
        true,
      );
    },
  },
  {
    // With post_only_reject "sync" the exchange answers at once; "async" rejects it in execute().
    name: "POST_ONLY would take (sync)",
    run({ req, inst, plan }, env) {
      if (env.postOnlyReject !== "sync" || req.type !== "LIMIT" || !plan.price) return undefined;
      if (!isPostOnly(plan.execInst) || !wouldTake(env.market, inst.symbol, req.side, plan.price)) {
        return undefined;
      }
      return refuse(43005, "POST_ONLY order would take liquidity");
    },
  },
];

/** What an order holds while open: the base quantity of a SELL, the quote cost of a BUY. */
function reservationNeed({ req, plan: p }: Draft, market: MarketView): Dec {
  if (req.side === "SELL") return p.quantity ?? ZERO;
  if (p.price && p.quantity) return p.price.mul(p.quantity);
  if (p.notional) return p.notional;
  if (p.quantity) {
    if (isTriggerType(req.type) && p.refPrice) return p.refPrice.mul(p.quantity);
    return estimateCost(market, p.inst.symbol, p.quantity);
  }
  return ZERO;
}

/** Cost of buying `qty` by walking the asks (the last level's price for what the book cannot fill). */
function estimateCost(market: MarketView, symbol: string, qty: Dec): Dec {
  let left = qty;
  let cost = ZERO;
  let last: Dec | undefined;
  for (const l of market.levels(symbol, "asks")) {
    const q = Dec.min(left, l.qty);
    cost = cost.add(q.mul(l.price));
    left = left.sub(q);
    last = l.price;
    if (left.lte(0)) break;
  }
  if (left.gt(0)) {
    const p = last ?? market.refPrice(symbol, "MARK_PRICE") ?? ZERO;
    cost = cost.add(left.mul(p));
  }
  return cost;
}

function safeDec(text: string): Dec | undefined {
  try {
    return dec(text);
  } catch {
    return undefined;
  }
}
