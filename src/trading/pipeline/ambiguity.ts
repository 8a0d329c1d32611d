/**
 * Ambiguity: an attempt whose outcome is not known (lost response, timeout, 5xx, a failed probe) is
 * resolved by its client_oid before anything else happens for its intent.
 *
 * Invariants:
 * - "Not there" counts only from a probe made after `resendSafeAfter` (the instant after which the
 *   exchange refuses the lost request as stale): only then is the attempt recorded as not placed
 *   (REJECTED, reason NOT_FOUND) and may a caller make a new attempt.
 * - A probe that fails is retried with backoff; after `maxProbes` failures the attempt stays
 *   UNKNOWN (tick() and resume() try again) — never assumed absent.
 */
import type { OrderRecord } from "../../store/types.js";
import type { Venue } from "../context.js";
import { errText, type TraderRuntime } from "./runtime.js";

export type Resolution =
  | { kind: "found"; record: OrderRecord }
  | { kind: "absent"; record: OrderRecord }
  | { kind: "unresolved"; record: OrderRecord };

const MAX_PROBES = 5;

/** Waits until `resendSafeAfter` (when given), then probes the attempt by its client_oid. */
export async function resolveAttempt(
  rt: TraderRuntime,
  venue: Venue,
  record: OrderRecord,
  resendSafeAfter: number | undefined,
  trigger: boolean,
  /** Give up waiting for staleness at this instant: probe once then, and never call it absent. */
  notAfter?: number,
): Promise<Resolution> {
  const { ctx } = rt;
  const oid = record.clientOid;
  if (!oid) return { kind: "unresolved", record };
  const early = resendSafeAfter !== undefined && notAfter !== undefined && notAfter < resendSafeAfter;
  const until = early ? notAfter : resendSafeAfter;
  const wait = until === undefined ? 0 : until - ctx.time.now();
  if (wait > 0) await rt.sleep(wait);
  let delay = rt.pollMs;
  for (let i = 0; i < MAX_PROBES; i++) {
    if (!rt.act()) return { kind: "unresolved", record };
    try {
      const found = await venue.client.probeOrder(oid, trigger);
      if (found) {
        await rt.apply(found, record);
        const now = await ctx.store.orders.get(record.id);
        return { kind: "found", record: now ?? record };
      }
      if (early) return { kind: "unresolved", record };
      const absent = await ctx.store.transaction(async (tx) => {
        const r = await tx.orders.setStatus(record.id, "REJECTED", "NOT_FOUND");
        await tx.events.append({
          kind: "order.ambiguous",
          symbol: record.symbol,
          payload: { mode: record.mode, orderId: record.id, clientOid: oid, resolution: "absent" },
        });
        return r;
      });
      return { kind: "absent", record: absent ?? record };
    } catch (e) {
      ctx.logger.warn({ err: errText(e), order: record.id }, "probe failed; retrying");
      await rt.sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
  return { kind: "unresolved", record };
}
