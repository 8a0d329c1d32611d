/**
 * client_oid of a dry-run order: `dry-` + the live scheme's hash (src/domain/client-oid.ts), so an
 * intent maps to one client_oid per venue and a dry-run order is never taken for a live one.
 */
import { clientOidWith, legIntentId } from "../../domain/client-oid.js";

export const DRY_RUN_OID_PREFIX = "dry-";

export function dryRunClientOid(intentId: string): string {
  return clientOidWith(DRY_RUN_OID_PREFIX, intentId);
}

/** The intent id of OCO leg `i` when the caller gives none (as the live client derives it). */
export const dryRunLegIntentId = legIntentId;
