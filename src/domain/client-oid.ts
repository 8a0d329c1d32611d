/**
 * The client_oid scheme of every venue (reference §5.3: at most 36 characters): a 4-character
 * venue prefix (`atp-` live, `dry-` dry run) followed by the first 32 hex characters (128 bits) of
 * SHA-256(intent id).
 *
 * Invariants:
 * - A pure function of the prefix and our intent id: every attempt id maps to one client_oid per
 *   venue, deterministically, so a lost acknowledgement is probed by it and a re-send after a crash
 *   is refused by the exchange as a duplicate instead of becoming a second order.
 * - Prefixes differ per venue, so a dry-run order is never mistaken for a live one
 *   (reconciliation adopts `atp-` orders only).
 */
import { hash } from "node:crypto";

/** The last ids hashed: the attempt row and its request ask for the same client_oid one after the other. */
const recent = new Map<string, string>();
const RECENT_MAX = 64;

export function clientOidWith(prefix: string, intentId: string): string {
  if (prefix.length !== 4) throw new RangeError(`client_oid prefix must be 4 characters: ${prefix}`);
  if (intentId.length === 0) throw new RangeError("intent id must not be empty");
  let digest = recent.get(intentId);
  if (digest === undefined) {
    digest = hash("sha256", intentId, "hex").slice(0, 32); // one-shot: no Hash object per id
    recent.set(intentId, digest);
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string);
  }
  return prefix + digest;
}

/** The intent id of OCO leg `i` when the caller gives none. */
export function legIntentId(intentId: string, i: number): string {
  return `${intentId}/leg${i}`;
}
