/**
 * The API's webhook port (`ApiDeps.acceptSignal` → `SignalHandover`, src/api/deps.ts) on the
 * leader's trader.
 *
 * The trader offers one promise per signal today: `Trader.acceptSignal` resolves when its work on
 * the signal is done (intake, guards, placement, confirmation of the entry's fill), with the
 * `TradeResult`, or with undefined when it stored the row in its inbox instead. So the decision is
 * read from that result, once it is there: duplicate, blocked with the intent's reason code, or
 * accepted (placed, filled, failed at the venue: past its guards). A decision as soon as the intent
 * leaves NEW (before the create-order is written) needs the trader to say so itself.
 */
import type { SignalDecision, SignalHandover } from "../../api/deps.js";
import type { NewSignal } from "../../store/types.js";
import type { TradeResult } from "../../trading/requests.js";

/** What the webhook's 202 says of a trader's result (undefined: the row waits in the inbox). */
export function signalDecisionOf(r: TradeResult | undefined): SignalDecision | undefined {
  if (!r) return undefined;
  const intentId = r.intent.id;
  switch (r.outcome) {
    case "duplicate":
      return { status: "duplicate", intentId, reasonCode: null };
    case "blocked":
      return {
        status: "blocked",
        intentId,
        reasonCode: r.intent.reasonCode ?? r.verdict?.reasonCode ?? null,
      };
    default:
      return { status: "accepted", intentId, reasonCode: null };
  }
}

/** Hands `row` to `trader` (none: undefined, the route's inbox). */
export function handOverSignal(
  trader: { acceptSignal(row: NewSignal): Promise<TradeResult | undefined> } | undefined,
  row: NewSignal,
): SignalHandover | undefined {
  if (!trader) return undefined;
  return { decided: trader.acceptSignal(row).then(signalDecisionOf) };
}
