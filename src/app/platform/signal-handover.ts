/**
 * The API's webhook port (`ApiDeps.acceptSignal` → `SignalHandover`, src/api/deps.ts) on the
 * leader's trader: the decision comes from `Trader.acceptSignal`'s `onDecided`, which a new entry
 * fires right after the one commit that decided it (the intent SUBMITTING with its attempt row, or
 * BLOCKED, or a duplicate) — before its create-order is written — and any other request once its
 * result is there. Undefined when the trader stored the row in its inbox instead.
 */
import type { SignalDecision, SignalHandover } from "../../api/deps.js";
import type { NewSignal } from "../../store/types.js";
import type { OnDecided, RequestDecision, TradeResult } from "../../trading/requests.js";

/** What the webhook's 202 says of a trader's decision. */
export function signalDecisionOf(d: RequestDecision): SignalDecision {
  const intentId = d.intent.id;
  switch (d.outcome) {
    case "duplicate":
      return { status: "duplicate", intentId, reasonCode: null };
    case "blocked":
      return { status: "blocked", intentId, reasonCode: d.intent.reasonCode ?? null };
    default:
      return { status: "accepted", intentId, reasonCode: null };
  }
}

/** Hands `row` to `trader` (none: undefined, the route's inbox). */
export function handOverSignal(
  trader:
    | { acceptSignal(row: NewSignal, onDecided?: OnDecided): Promise<TradeResult | undefined> }
    | undefined,
  row: NewSignal,
): SignalHandover | undefined {
  if (!trader) return undefined;
  return {
    decided: new Promise<SignalDecision | undefined>((resolve, reject) => {
      trader
        .acceptSignal(row, (d) => resolve(signalDecisionOf(d)))
        .then(
          () => resolve(undefined), // decided already when there was a result; else the inbox took it
          reject,
        );
    }),
  };
}
