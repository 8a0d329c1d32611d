/**
 * From observations to causes: the decision rules, one file per area (rules/*), each wording its
 * causes with the templates of the cause catalogue (catalogue/*). Pure (no I/O), so each rule has a
 * unit test besides the emulator scenarios.
 *
 * Rules of evidence (docs/doctor.md "Confidence"):
 * - confirmed: the exchange (or the proxy, or the network stack) answered it to one of our own
 *   controlled calls, or a deterministic local check proves it;
 * - likely: strong inference (the usual reading of an ambiguous code, a heuristic, a measurement
 *   close to a limit);
 * - possible: not ruled out (e.g. the engine's error that the doctor cannot reproduce now).
 * An exchange answer that a cause predicts but that did not happen rules the cause out.
 */
import type { Observations } from "./observations.js";
import { authCauses } from "./rules/auth.js";
import { configurationCauses } from "./rules/configuration.js";
import { engineCauses } from "./rules/engine.js";
import { environmentCauses } from "./rules/environment.js";
import { exchangeStateCauses } from "./rules/exchange-state.js";
import { networkCauses } from "./rules/network.js";
import { orderCauses } from "./rules/order.js";
import { permissionCauses } from "./rules/permission.js";
import { proxyCauses } from "./rules/proxy.js";
import { signingCauses } from "./rules/signing.js";
import type { Cause } from "./types.js";

export { SKEW_LIKELY_MS } from "./rules/facts.js";
export {
  answered,
  credentialsSwapped,
  isRateLimited,
  type ProbeVerdict,
  probeVerdict,
  servesNoApi,
  swappedWorks,
} from "./rules/readings.js";

/** The causes in the order the rules find them (rank.ts orders them for the report). */
export function decide(o: Observations): Cause[] {
  const out: Cause[] = [];
  configurationCauses(o, out);
  signingCauses(o, out);
  networkCauses(o, out);
  proxyCauses(o, out);
  exchangeStateCauses(o, out);
  environmentCauses(o, out);
  authCauses(o, out);
  permissionCauses(o, out);
  const orderExplains = orderCauses(o, out);
  engineCauses(o, out, orderExplains);
  return out;
}
