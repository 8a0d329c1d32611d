/**
 * client_oid derivation (reference §5.3: at most 36 characters).
 *
 * Invariant: the client_oid is a pure function of our intent id — `atp-` followed by the first 32
 * hex characters (128 bits) of SHA-256(intent id) — so every attempt for one intent carries the
 * same client_oid, a lost acknowledgement can be probed by it, and a re-send after a crash becomes a
 * 204 DUPLICATE_CLORDID instead of a second order.
 */
import { createHash } from "node:crypto";
import { CLIENT_OID_MAX } from "./constants.js";

export const CLIENT_OID_PREFIX = "atp-";

export function clientOidFor(intentId: string): string {
  if (intentId.length === 0) throw new RangeError("intent id must not be empty");
  const oid = CLIENT_OID_PREFIX + createHash("sha256").update(intentId, "utf8").digest("hex").slice(0, 32);
  // 4 + 32 = 36 = CLIENT_OID_MAX
  return oid.slice(0, CLIENT_OID_MAX);
}

/** The intent id of OCO leg `i` when the caller gives none. */
export function legIntentId(intentId: string, i: number): string {
  return `${intentId}/leg${i}`;
}
