/**
 * client_oid of a dry-run order: `dry-` followed by the first 32 hex characters of SHA-256(intent
 * id) — 36 characters, the exchange's limit. The same scheme as the live client's (`atp-` +
 * the same hash; src/exchange/cryptocom/client-oid.ts, which src/trading may not import), so an
 * intent maps to one client_oid per venue, deterministically, and a dry-run order can never be
 * mistaken for a live one (reconciliation adopts `atp-` orders only).
 */
import { createHash } from "node:crypto";

export const DRY_RUN_OID_PREFIX = "dry-";

export function dryRunClientOid(intentId: string): string {
  if (intentId.length === 0) throw new RangeError("intent id must not be empty");
  return DRY_RUN_OID_PREFIX + createHash("sha256").update(intentId, "utf8").digest("hex").slice(0, 32);
}

/** The intent id of OCO leg `i` when the caller gives none (as the live client derives it). */
export function dryRunLegIntentId(intentId: string, i: number): string {
  return `${intentId}/leg${i}`;
}
