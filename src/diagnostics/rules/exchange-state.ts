/**
 * Rules: the exchange's own state and rate limits, from every call the doctor made. Any 9010001 is a
 * confirmed maintenance; otherwise server failures (a server-category code whatever its HTTP status,
 * or a bare 5xx) make it likely (two or more) or possible (one). Any rate_limit answer is confirmed.
 */
import { rateLimitFor } from "../../exchange/cryptocom/endpoints.js";
import { EXCHANGE_MAINTENANCE, RATE_LIMITED } from "../catalogue/exchange-state.js";
import { called, cause } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import { type Outcome, outcomeText } from "../outcome.js";
import type { Cause } from "../types.js";
import { answered, codeName, isRateLimited, type Refusal } from "./readings.js";

export function exchangeStateCauses(o: Observations, out: Cause[]): void {
  const all = [
    o.publicProbe,
    ran(o.read),
    ran(o.tradeProbe),
    ran(o.swapped),
    ran(o.nonceRetry),
    ran(o.direct),
  ];
  const m = EXCHANGE_MAINTENANCE.text;
  const maint = all.map((x) => answered(x, "maintenance")).filter((x): x is Refusal => x !== undefined);
  if (maint.length > 0) {
    out.push(
      cause(
        "exchange_maintenance",
        "confirmed",
        m.summary(codeName(maint[0]!.error)),
        maint.map((x) => called(`${x.method}${m.viaProxy(x.via)}`, x)),
        m.fix,
      ),
    );
  } else if (o.serverErrors.length >= 1) {
    out.push(
      cause(
        "exchange_maintenance",
        o.serverErrors.length >= 2 ? "likely" : "possible",
        m.serverErrorsSummary(o.serverErrors.length),
        o.serverErrors,
        m.serverErrorsFix,
      ),
    );
  }
  const limited = all.filter((x): x is Outcome => x !== undefined && isRateLimited(x));
  if (limited.length > 0) {
    const r = RATE_LIMITED.text;
    out.push(
      cause(
        "rate_limited",
        "confirmed",
        r.summary(outcomeText(limited[0]!)),
        [...limited.map((x) => called(x.method, x)), r.ownPace(rateLimitFor("private/user-balance"))],
        r.fix,
      ),
    );
  }
}
