/**
 * Rules: the configuration, offline. Missing credentials (direct mode only: the proxy holds them in
 * proxy mode), malformed ones (confirmed: characters atp cannot clean), implausible ones (a heuristic:
 * likely with the exchange's auth refusal, possible without a read), proxy mode without a URL.
 */
import { last4, showsLast4 } from "../../util/secrets.js";
import { CREDENTIALS_MALFORMED, CREDENTIALS_MISSING } from "../catalogue/credentials.js";
import { cause, variableProblem } from "../catalogue/phrases.js";
import { PROXY_UNREACHABLE } from "../catalogue/proxy.js";
import { describeSecret } from "../credentials.js";
import { type Observations, ran } from "../observations.js";
import type { Cause } from "../types.js";
import { keyFacts } from "./facts.js";
import { answered, credentialsSwapped } from "./readings.js";

export function configurationCauses(o: Observations, out: Cause[]): void {
  const c = o.creds;
  const vars = (list: readonly { variable: string }[]) => list.map((m) => m.variable);
  if (!o.viaProxy && c.missing.length > 0) {
    const t = CREDENTIALS_MISSING.text;
    out.push(
      cause(
        "credentials_missing",
        "confirmed",
        t.summary(vars(c.missing)),
        [...c.missing.map(variableProblem), t.pairLookedAt(c.pair), t.goesDirect(o.baseUrl)],
        t.fix(c),
      ),
    );
  }
  const t = CREDENTIALS_MALFORMED.text;
  if (c.malformed.length > 0) {
    out.push(
      cause(
        "credentials_malformed",
        o.viaProxy ? "possible" : "confirmed",
        t.summary(vars(c.malformed)),
        [...c.malformed.map(variableProblem), ...(o.viaProxy ? [t.unusedViaProxy] : [])],
        t.fix(c),
      ),
    );
  }
  if (c.implausible.length > 0 && !o.viaProxy) {
    const read = ran(o.read);
    const refused = answered(read, "auth");
    if (refused || !read) {
      const shown = c.key && showsLast4(c.key) && !credentialsSwapped(o) ? last4(c.key) : undefined;
      out.push(
        cause(
          "credentials_malformed",
          refused ? "likely" : "possible",
          t.implausibleSummary(vars(c.implausible)),
          [
            ...c.implausible.map(variableProblem),
            keyFacts(o),
            describeSecret(c),
            ...(refused ? [t.refusedRead(refused)] : []),
          ],
          t.implausibleFix(c.keyVar, shown),
        ),
      );
    }
  }
  if (o.viaProxy && !o.proxyUrl) {
    const p = PROXY_UNREACHABLE.text;
    out.push(cause("proxy_unreachable", "confirmed", p.noUrlSummary, [p.noUrlEvidence], p.noUrlFix));
  }
}
