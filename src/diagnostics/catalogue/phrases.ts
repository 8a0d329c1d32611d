/**
 * Wording shared by several causes of the catalogue: how a call, a clock offset, an outbound IP and
 * a failure on the path are written in evidence lines. Templates only: they format what the rules
 * hand them and decide nothing.
 */
import { NONCE_WINDOW_MS } from "../../exchange/cryptocom/constants.js";
import type { ClockReading } from "../observations.js";
import { type Outcome, outcomeText } from "../outcome.js";
import type { PathFailure } from "../path-failure.js";
import type { Cause, CauseId, Confidence } from "../types.js";

/**
 * A cause with its summary as a sentence (the templates write summaries in lower case); evidence and
 * fix are copied, so a catalogue's constant lines are never shared with a report.
 */
export function cause(
  id: CauseId,
  confidence: Confidence,
  summary: string,
  evidence: readonly string[],
  fix: readonly string[],
): Cause {
  return { id, confidence, summary: sentence(summary), evidence: [...evidence], fix: [...fix] };
}

export function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "VARIABLE: problem" */
export const variableProblem = (p: { variable: string; problem: string }): string =>
  `${p.variable}: ${p.problem}`;

/** "private/user-balance → 40103 IP_ILLEGAL (HTTP 401)" */
export const called = (method: string, o: Outcome): string => `${method} → ${outcomeText(o)}`;

/** "213 QTY_PRECISION", without a trailing space when the code has no name. */
export const codeText = (code: number | undefined, name: string | undefined): string =>
  [code, name].filter((x) => x !== undefined && x !== "").join(" ");

export function signedMs(ms: number): string {
  return `${ms >= 0 ? "+" : ""}${Math.round(ms)} ms`;
}

/** "this host's clock is 90.0 s behind the exchange" */
export function offsetMeaning(offsetMs: number, who = "this host's clock"): string {
  const s = (Math.abs(offsetMs) / 1000).toFixed(1);
  if (Math.abs(offsetMs) < 1000) return `${who} agrees with the exchange to within a second`;
  return `${who} is ${s} s ${offsetMs > 0 ? "behind" : "ahead of"} the exchange`;
}

export function clockEvidence(clock: ClockReading): string {
  return `clock offset to the exchange: ${signedMs(clock.offsetMs)} ± ${Math.round(clock.uncertaintyMs)} ms (${clock.samples} samples of the HTTP Date header): ${offsetMeaning(clock.offsetMs)}; the exchange accepts nonces within ±${NONCE_WINDOW_MS / 1000} s`;
}

export const CLOCK_NOT_MEASURED = "the clock offset could not be measured";

export interface IpFacts {
  ip: string | undefined;
  /** Why it is unknown. */
  problem: string | undefined;
  outboundIpUrl: string;
  localAddress: string | undefined;
}

export function ipEvidence(f: IpFacts): string {
  if (f.ip) {
    const bound = f.localAddress ? `, connections bound to ${f.localAddress}` : "";
    return `outbound IP as seen from outside: ${f.ip} (via ${f.outboundIpUrl}${bound}; logged as CRYPTO_COM_OUTBOUND_IP)`;
  }
  return `the outbound IP could not be learned: ${f.problem ?? "no answer"}`;
}

/** "TCP: connection to 127.0.0.1:9 refused (ECONNREFUSED) [ECONNREFUSED]" */
export function failureLine(f: PathFailure): string {
  return `${f.reading.toUpperCase()}: ${f.detail}${errnoTag(f)}`;
}

/** " [ENOTFOUND]", or nothing without an error code. */
export const errnoTag = (f: PathFailure): string => (f.errno ? ` [${f.errno}]` : "");

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The engine's error that the doctor's own calls do not reproduce now. */
export function notReproduced(e: {
  method: string | undefined;
  what: string;
  read: Outcome;
  probe: Outcome | undefined;
}): string[] {
  return [
    `the engine's ${e.method ?? "request"} got ${e.what}`,
    `now private/user-balance → ${outcomeText(e.read)}${e.probe ? `, trade-permission probe → ${outcomeText(e.probe)}` : ""}: not reproduced`,
  ];
}
