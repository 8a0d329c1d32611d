/**
 * Rules: the Trade permission, from the trade probe (a cancel of an order that cannot exist) after a
 * successful read. Confirmed for an auth refusal or 10002 (the documented answer of a key lacking a
 * method's permission), likely for the other permission codes (account states such as 40104).
 */
import { MISSING_TRADE_PERMISSION } from "../catalogue/permission.js";
import { cause } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { Cause } from "../types.js";
import { keyText } from "./facts.js";
import { KEY_PERMISSION_CODE, probeVerdict } from "./readings.js";

export function permissionCauses(o: Observations, out: Cause[]): void {
  const probe = ran(o.tradeProbe);
  if (probeVerdict(probe) !== "refused" || probe?.kind !== "error") return;
  const t = MISSING_TRADE_PERMISSION.text;
  const key = keyText(o);
  const certain = probe.error.category === "auth" || probe.error.code === KEY_PERMISSION_CODE;
  out.push(
    cause(
      "missing_trade_permission",
      certain ? "confirmed" : "likely",
      t.summary(t.who(o.viaProxy, key)),
      t.evidence(o.probeOrderId, probe),
      t.fix(o.viaProxy, key),
    ),
  );
}
