/**
 * Rules: the engine's auth-looking error that the doctor's own calls cannot reproduce now (its read
 * succeeds). Only possible causes (the engine may run elsewhere, with older credentials, or the clock
 * stepped), except a rate limit or maintenance window that has passed (likely).
 */
import { codeInfo } from "../../exchange/cryptocom/error-codes.js";
import { CLOCK_SKEW, clockFix } from "../catalogue/clock.js";
import { KEY_INVALID_OR_REVOKED } from "../catalogue/credentials.js";
import { EXCHANGE_MAINTENANCE, RATE_LIMITED } from "../catalogue/exchange-state.js";
import { IP_NOT_WHITELISTED, whitelistFix } from "../catalogue/ip-whitelist.js";
import { MISSING_TRADE_PERMISSION } from "../catalogue/permission.js";
import { cause, clockEvidence, codeText, ipEvidence, notReproduced } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { Cause } from "../types.js";
import { ipFacts, keyFacts, keyText } from "./facts.js";

export function engineCauses(o: Observations, out: Cause[], orderExplains: boolean): void {
  const e = o.engine;
  if (!e || e.code === undefined || orderExplains) return;
  const read = ran(o.read);
  if (read?.kind !== "ok") return; // the doctor's read failed: its causes explain it
  const what = codeText(e.code, e.codeName);
  const ev = notReproduced({ method: e.method, what, read, probe: ran(o.tradeProbe) });
  switch (e.category) {
    case "auth": {
      const t = KEY_INVALID_OR_REVOKED.text;
      out.push(
        cause("key_invalid_or_revoked", "possible", t.engineSummary(what), [...ev, keyFacts(o)], t.engineFix),
      );
      break;
    }
    case "ip_not_whitelisted": {
      const t = IP_NOT_WHITELISTED.text;
      out.push(
        cause(
          "ip_not_whitelisted",
          "possible",
          t.engineSummary(what, o.directIp?.ip),
          [...ev, ipEvidence(ipFacts(o))],
          whitelistFix(o.outboundIpUrl, undefined, keyText(o), t.engineHost),
        ),
      );
      break;
    }
    case "nonce": {
      const t = CLOCK_SKEW.text;
      out.push(
        cause(
          "clock_skew",
          "possible",
          t.engineSummary(what),
          [...ev, o.clock ? clockEvidence(o.clock) : t.engineNotMeasured],
          clockFix(o.clock?.offsetMs),
        ),
      );
      break;
    }
    case "permission": {
      const t = MISSING_TRADE_PERMISSION.text;
      out.push(
        cause(
          "missing_trade_permission",
          "possible",
          t.engineSummary(what),
          [...ev, keyFacts(o)],
          t.engineFix(codeInfo(e.code).remedy),
        ),
      );
      break;
    }
    case "rate_limit": {
      const t = RATE_LIMITED.text;
      out.push(cause("rate_limited", "likely", t.engineSummary(what), ev, t.engineFix));
      break;
    }
    case "maintenance": {
      const t = EXCHANGE_MAINTENANCE.text;
      out.push(cause("exchange_maintenance", "likely", t.engineSummary(what), ev, t.engineFix));
      break;
    }
    default:
      break;
  }
}
