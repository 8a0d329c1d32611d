/** Facts of a run that several rules share (pure functions of the Observations). */
import { NONCE_WINDOW_MS } from "../../exchange/cryptocom/constants.js";
import type { IpFacts } from "../catalogue/phrases.js";
import { describeKey, keyPlace } from "../credentials.js";
import type { Observations } from "../observations.js";
import { credentialsSwapped } from "./readings.js";

/** |offset| beyond which clock_skew is at least likely: half the documented 60 s nonce window. */
export const SKEW_LIKELY_MS = NONCE_WINDOW_MS / 2;

/** How the report names the configured key: never by the last 4 of a value that is the secret. */
export function keyText(o: Observations): string {
  return keyPlace(o.creds, credentialsSwapped(o));
}

/** The configured key's length, last 4 (when it may be shown) and fingerprint. */
export function keyFacts(o: Observations): string {
  return describeKey(o.creds, credentialsSwapped(o));
}

/** The whole uncertainty interval of the measured offset is inside the nonce window. */
export function withinWindow(o: Observations): boolean | undefined {
  if (!o.clock) return undefined;
  return Math.abs(o.clock.offsetMs) + o.clock.uncertaintyMs < NONCE_WINDOW_MS;
}

/** This host's outbound IP as measured, for evidence lines. */
export function ipFacts(o: Observations): IpFacts {
  return {
    ip: o.directIp?.ip,
    problem: o.directIp?.problem,
    outboundIpUrl: o.outboundIpUrl,
    localAddress: o.localAddress,
  };
}
