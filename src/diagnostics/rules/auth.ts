/**
 * Rules: the direct signed read's refusals (the proxy path is judged in proxy.ts), in the order the
 * exchange checks a request (reference §3.5): the key (swapped, or invalid / revoked), the IP
 * whitelist, the nonce window. A refusal that the swapped or corrected-nonce read makes counts as
 * much as the read's own.
 */
import { NONCE_WINDOW_MS } from "../../exchange/cryptocom/constants.js";
import { CLOCK_SKEW, clockFix } from "../catalogue/clock.js";
import { CREDENTIALS_SWAPPED, KEY_INVALID_OR_REVOKED } from "../catalogue/credentials.js";
import { IP_NOT_WHITELISTED, whitelistFix } from "../catalogue/ip-whitelist.js";
import { CLOCK_NOT_MEASURED, called, cause, clockEvidence, ipEvidence } from "../catalogue/phrases.js";
import { describeSecret } from "../credentials.js";
import { type Observations, ran } from "../observations.js";
import { outcomeText } from "../outcome.js";
import type { Cause, Confidence } from "../types.js";
import { ipFacts, keyFacts, keyText, SKEW_LIKELY_MS, withinWindow } from "./facts.js";
import { answered, codeName, credentialsSwapped } from "./readings.js";

export function authCauses(o: Observations, out: Cause[]): void {
  if (o.viaProxy) return;
  swappedCause(o, out);
  ipCause(o, out);
  clockCause(o, out);
  keyCause(o, out);
}

/** credentials_swapped: the exchange knows the swapped "key". */
function swappedCause(o: Observations, out: Cause[]): void {
  const read = ran(o.read);
  const swapped = ran(o.swapped);
  if (!(swapped && credentialsSwapped(o) && read)) return;
  const t = CREDENTIALS_SWAPPED.text;
  out.push(
    cause(
      "credentials_swapped",
      "confirmed",
      t.summary(o.creds),
      t.evidence(read, swapped, keyFacts(o)),
      t.fix(o.creds),
    ),
  );
}

/** IP whitelist: from the read, the swapped read, or the corrected-nonce read. */
function ipCause(o: Observations, out: Cause[]): void {
  const refusal = [ran(o.read), ran(o.swapped), ran(o.nonceRetry)]
    .map((x) => answered(x, "ip_not_whitelisted"))
    .find((x) => x !== undefined);
  if (!refusal) return;
  const t = IP_NOT_WHITELISTED.text;
  const ip = o.directIp?.ip;
  out.push(
    cause(
      "ip_not_whitelisted",
      "confirmed",
      t.summary(ip, codeName(refusal.error)),
      [called(refusal.method, refusal), ipEvidence(ipFacts(o)), ...(ip?.includes(":") ? [t.ipv6] : [])],
      whitelistFix(o.outboundIpUrl, ip, keyText(o)),
    ),
  );
}

/** Clock: the exchange's nonce refusal, or the measurement alone. */
function clockCause(o: Observations, out: Cause[]): void {
  const nonceRefusal = [ran(o.read), ran(o.swapped)]
    .map((x) => answered(x, "nonce"))
    .find((x) => x !== undefined);
  // the smallest skew the measurement allows
  const skew = o.clock ? Math.abs(o.clock.offsetMs) - o.clock.uncertaintyMs : undefined;
  if (!nonceRefusal && !(skew !== undefined && skew > SKEW_LIKELY_MS)) return;
  const t = CLOCK_SKEW.text;
  const retry = ran(o.nonceRetry);
  const evidence: string[] = [];
  if (nonceRefusal) evidence.push(called(nonceRefusal.method, nonceRefusal));
  if (o.clock) evidence.push(clockEvidence(o.clock));
  if (retry) evidence.push(t.correctedRead(retry, o.clock?.offsetMs ?? 0));
  const confidence: Confidence =
    nonceRefusal || (skew !== undefined && skew >= NONCE_WINDOW_MS) ? "confirmed" : "likely";
  if (!nonceRefusal && skew !== undefined && skew < NONCE_WINDOW_MS) evidence.push(t.thinMargin(skew));
  if (nonceRefusal && withinWindow(o) === true) evidence.push(t.narrowerWindow);
  out.push(
    cause(
      "clock_skew",
      confidence,
      o.clock
        ? t.measuredSummary(o.clock.offsetMs)
        : t.refusedSummary(nonceRefusal ? codeName(nonceRefusal.error) : undefined),
      evidence,
      clockFix(o.clock?.offsetMs),
    ),
  );
}

/**
 * An auth refusal (40101) of the read, not explained by swapped keys: confirmed only when everything
 * else was measured (self-test, clock inside the window, the swapped read refused) on production with
 * a plausible key. A permission refusal of the read (10002, 40104, 202) is the account's state: likely.
 */
function keyCause(o: Observations, out: Cause[]): void {
  const read = ran(o.read);
  const swapped = ran(o.swapped);
  const c = o.creds;
  const t = KEY_INVALID_OR_REVOKED.text;
  const keyName = keyText(o);
  const authRefusal = answered(read, "auth");
  const permissionRefusal = answered(read, "permission");
  if (authRefusal && !credentialsSwapped(o)) {
    if (o.env.kind === "legacy") return; // environment.ts names the legacy API
    const selfOk = o.selfTest.failedVectors.length === 0 && !o.selfTest.roundTripProblem;
    const measuredAll = selfOk && withinWindow(o) === true && swapped !== undefined;
    const skipped = "skipped" in o.swapped ? o.swapped.skipped : undefined;
    out.push(
      cause(
        "key_invalid_or_revoked",
        measuredAll && o.env.kind !== "uat" && c.implausible.length === 0 ? "confirmed" : "likely",
        t.summary(keyName, codeName(authRefusal.error)),
        [
          called("private/user-balance", authRefusal),
          t.selfTest(selfOk, o.selfTest.vectorCount),
          o.clock ? clockEvidence(o.clock) : CLOCK_NOT_MEASURED,
          t.swapped(swapped, skipped),
          keyFacts(o),
          describeSecret(c),
        ],
        t.fix(keyName, o.directIp?.ip, c),
      ),
    );
  } else if (permissionRefusal) {
    const answer = outcomeText(permissionRefusal);
    out.push(
      cause(
        "key_invalid_or_revoked",
        "likely",
        t.accountSummary(keyName, answer),
        [t.accountEvidence(answer, permissionRefusal.error.info?.meaning), keyFacts(o)],
        t.accountFix(permissionRefusal.error.info?.remedy),
      ),
    );
  }
}
