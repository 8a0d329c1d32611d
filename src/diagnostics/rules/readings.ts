/**
 * Reading the doctor's calls for the decision rules and the checklist: by the category of the
 * exchange's code (error-codes.ts), never by message text. Pure.
 */
import type { ErrorCategory } from "../../exchange/cryptocom/error-codes.js";
import type { ExchangeError } from "../../exchange/cryptocom/errors.js";
import { codeText } from "../catalogue/phrases.js";
import { type Observations, ran } from "../observations.js";
import type { Outcome } from "../outcome.js";

export type Refusal = Extract<Outcome, { kind: "error" }>;

/**
 * The answer when the exchange answered with a code of one of these categories, else undefined.
 * Only answers with a code count: a bare HTTP 401 from a gateway or mirror is not the exchange's 40101.
 */
export function answered(out: Outcome | undefined, ...categories: ErrorCategory[]): Refusal | undefined {
  if (out?.kind !== "error" || out.error.code === undefined) return undefined;
  return categories.includes(out.error.category) ? out : undefined;
}

/** Rate-limited: a rate_limit code (42901, legacy 10006), or a bare HTTP 429 without a code. */
export function isRateLimited(out: Outcome | undefined): boolean {
  return out?.kind === "error" && out.error.category === "rate_limit";
}

/**
 * The base URL does not serve the Exchange v1 API: 40002 METHOD_NOT_FOUND for a method that exists
 * (a specific code, because its category, bad_request, also covers ordinary parameter errors that
 * prove the API is there), or a bare HTTP 404 without a code.
 */
export function servesNoApi(out: Outcome | undefined): boolean {
  if (out?.kind !== "error") return false;
  return out.error.code === 40002 || (out.error.code === undefined && out.error.httpStatus === 404);
}

/** "40103 IP_ILLEGAL", for summaries: the code the exchange actually used (v1 or its legacy twin). */
export function codeName(e: ExchangeError): string {
  return codeText(e.code, e.codeName);
}

/**
 * The read with key and secret exchanged proves the exchange knows the swapped "key" (the configured
 * secret): it succeeded, or it was refused by a check the exchange makes only after finding the key
 * (reference §3.5: IP whitelist, nonce window, then permission). An auth refusal (40101) proves
 * nothing, and neither does an answer unrelated to the key (rate limit, server error, maintenance).
 */
export function swappedWorks(swapped: Outcome | undefined): boolean {
  return swapped?.kind === "ok" || !!answered(swapped, "ip_not_whitelisted", "nonce", "permission");
}

/** The doctor concludes credentials_swapped: the read failed and the swapped read works. */
export function credentialsSwapped(o: Observations): boolean {
  return ran(o.read)?.kind === "error" && swappedWorks(ran(o.swapped));
}

/**
 * 10002 is the answer of a key that lacks the method's permission (reference §9); the other
 * permission codes (40104/10005 user tier, 202 suspended account...) are account states that make the
 * probe fail too but do not prove a missing Trade permission, so they only make it likely.
 */
export const KEY_PERMISSION_CODE = 10002;

export type ProbeVerdict = "pass" | "refused" | "inconclusive";

/**
 * The trade-permission probe (cancel of an order that cannot exist). The exchange looks the order
 * up and validates parameters only after the key, IP, nonce, signature and permission checks (§3.5),
 * so a not-found / invalid-order / bad-request answer (or a success) proves the Trade permission; an
 * auth or permission refusal disproves it; anything else (rate limit, server error) says nothing.
 */
export function probeVerdict(probe: Outcome | undefined): ProbeVerdict {
  if (probe?.kind === "ok" || answered(probe, "not_found", "invalid_order", "bad_request")) return "pass";
  if (answered(probe, "auth", "permission")) return "refused";
  return "inconclusive";
}
