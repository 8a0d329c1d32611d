/**
 * Whether an API key can withdraw, read without withdrawing: `private/get-deposit-address` needs the
 * key's withdrawal setting (reference §9), so its answer tells. Used by `atp start`'s key hygiene
 * (src/app/key-hygiene.ts) and the signing proxy's /health (src/proxy/health.ts); the doctor sends
 * the same request within its own call budget.
 *
 * Invariant: read by the exchange's code only. Answered (0) → it can; refused as auth or permission
 * → it cannot; anything else (no answer, a server error, another refusal) → not known (null). The
 * caller reads it only after the same key's `private/user-balance` was accepted, or a bad key would
 * look like a safe one.
 */
import { codeInfo } from "./error-codes.js";

export const WITHDRAW_PROBE_METHOD = "private/get-deposit-address";
export const WITHDRAW_PROBE_PARAMS = { currency: "BTC" } as const;

export function canWithdrawFrom(code: number | null | undefined): boolean | null {
  if (code === null || code === undefined) return null;
  if (code === 0) return true;
  const category = codeInfo(code).category;
  return category === "auth" || category === "permission" ? false : null;
}
