/**
 * The API's webhook port (`ApiDeps.acceptSignal` → `SignalHandover`, src/api/deps.ts) on the
 * leader's trader: the decision comes from `Trader.acceptSignal`'s `onDecided`, which a new entry
 * fires right after the one commit that decided it (the intent SUBMITTING with its attempt row, or
 * BLOCKED, or a duplicate) — before its create-order is written — and any other request once its
 * result is there. Undefined when the trader stored the row in its inbox instead.
 *
 * The order goes first, the answer second: the decision reaches the route two turns of the event
 * loop after `onDecided` (`afterOrderWrite`), so the 202 — its serialisation, hooks and socket
 * write — is not on the way of the create-order the same commit started. undici writes a request on
 * a reused keep-alive socket in the check phase after it was dispatched (its idle-socket
 * validation, GHSA-35p6-xmwp-9g52); answered at once, the 202 came first. A decision told is the
 * answer even when the trader's work after it fails or ends sooner (an exchange error is the
 * order's, not the webhook's: the signal is stored).
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

/** Runs `fn` in the check phase of the event loop's next turn: after this turn's immediates. */
function afterOrderWrite(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
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
      let told = false;
      trader
        .acceptSignal(row, (d) => {
          told = true;
          afterOrderWrite(() => resolve(signalDecisionOf(d)));
        })
        .then(
          () => {
            if (!told) resolve(undefined); // the inbox took it
          },
          (e: unknown) => {
            if (!told) reject(e);
          },
        );
    }),
  };
}
