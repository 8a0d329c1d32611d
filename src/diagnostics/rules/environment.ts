/**
 * Rules: the wrong environment. A legacy API is confirmed once anything fails there (likely
 * otherwise); the UAT sandbox refusing the key is likely (production keys do not work there); a
 * custom URL is a wrong environment only when it answers like no v1 API (40002, a bare 404).
 */
import { WRONG_ENVIRONMENT } from "../catalogue/environment.js";
import { called, cause } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { Cause } from "../types.js";
import { answered, codeName, servesNoApi } from "./readings.js";

export function environmentCauses(o: Observations, out: Cause[]): void {
  const t = WRONG_ENVIRONMENT.text;
  const read = ran(o.read);
  const pub = o.publicProbe;
  const pubNoApi = servesNoApi(pub);
  if (o.env.kind === "legacy") {
    out.push(
      cause(
        "wrong_environment",
        read?.kind === "error" || pubNoApi ? "confirmed" : "likely",
        t.legacySummary(o.env.reason),
        [
          t.baseUrl(o.baseUrl),
          t.v1Only,
          ...(read ? [called("private/user-balance", read)] : []),
          ...(pub && pub.kind !== "ok" ? [called(pub.method, pub)] : []),
        ],
        t.legacyFix,
      ),
    );
    return;
  }
  const authRefusal = answered(read, "auth");
  if (o.env.kind === "uat" && authRefusal) {
    out.push(
      cause(
        "wrong_environment",
        "likely",
        t.uatSummary(codeName(authRefusal.error)),
        [t.baseUrl(o.baseUrl, o.env.reason), called("private/user-balance", authRefusal)],
        t.uatFix,
      ),
    );
    return;
  }
  if (o.env.kind === "custom" && pub && pubNoApi) {
    const answer = called(pub.method, pub);
    out.push(
      cause(
        "wrong_environment",
        "likely",
        t.noApiSummary(answer),
        [t.baseUrl(o.baseUrl, o.env.reason), answer],
        t.noApiFix,
      ),
    );
  }
}
