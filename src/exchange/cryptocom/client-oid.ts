/**
 * The live client's client_oid: `atp-` + 32 hex characters of SHA-256(intent id), 36 characters
 * (the exchange's limit, reference §5.3). The scheme is src/domain/client-oid.ts, shared with the dry run.
 */
import { clientOidWith } from "../../domain/client-oid.js";

export { legIntentId } from "../../domain/client-oid.js";

export const CLIENT_OID_PREFIX = "atp-";

export function clientOidFor(intentId: string): string {
  return clientOidWith(CLIENT_OID_PREFIX, intentId);
}
