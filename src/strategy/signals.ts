/**
 * From decision to signal: a closed-candle BUY or SELL decision passes the throttle and becomes a
 * `Signal` (what alerts and, later, orders act on). Previews and WAIT never become signals.
 */

import type { Side } from "../domain/orders.js";
import type { Throttle, ThrottleVerdict } from "./throttle.js";
import type { Decision } from "./types.js";

export interface Signal {
  side: Side;
  decision: Decision;
  throttle: ThrottleVerdict;
  configHash: string;
}

export interface SignalSettings {
  /** The coin's configuration hash (the throttle allows one immediate signal after it changes). */
  configHash: string;
  /** Price gate of the coin's rules. */
  minPriceChangePct: number;
}

export interface Admission {
  /** Present when the decision was a BUY/SELL on a closed candle. */
  verdict?: ThrottleVerdict;
  /** Present when the throttle let it through. */
  signal?: Signal;
  /** Resolves once the throttle state is stored. */
  saved: Promise<void>;
}

export function admitDecision(throttle: Throttle, d: Decision, s: SignalSettings): Admission {
  if (d.action === "WAIT" || d.preview) return { saved: Promise.resolve() };
  const { verdict, saved } = throttle.admit({
    symbol: d.symbol,
    strategy: d.strategy,
    side: d.action,
    price: d.price,
    now: d.evaluatedAt,
    configHash: s.configHash,
    minPriceChangePct: s.minPriceChangePct,
  });
  if (!verdict.emit) return { verdict, saved };
  return {
    verdict,
    saved,
    signal: { side: d.action, decision: d, throttle: verdict, configHash: s.configHash },
  };
}
