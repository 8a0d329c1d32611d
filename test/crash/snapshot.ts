/**
 * What the store holds, read by the test (all orders, the intents they belong to, all lots), and
 * the phase(s) of the trading pipeline that state shows — read right after a SIGKILL, it is the
 * phase the process was killed in.
 *
 * Phases:
 * - `placement`: an intent not yet placed (NEW / READY / SUBMITTING) or an order PENDING_SUBMIT / UNKNOWN
 *   (the request may or may not have left);
 * - `confirmation`: an intent PLACED (accepted, its outcome not yet final), or a lot OPENING (entry
 *   sent, fill not yet applied);
 * - `protection`: an OPEN lot whose protection is not PROTECTED (PENDING, FAILED, FLATTENING, NONE);
 * - `exit`: a lot CLOSING (its OCO being cancelled, the market sell pending);
 * - `settled`: none of these (every lot protected or closed, every intent final).
 *
 * Invariant: reading never writes; a snapshot is a consistent enough view for classification and
 * for the final checks (taken only after the engine has stopped).
 */
import type { Intent, Lot, OrderRecord, Store } from "../../src/store/types.js";

export type CrashPhase = "placement" | "confirmation" | "protection" | "exit" | "settled";
export const CRASH_PHASES: readonly CrashPhase[] = [
  "placement",
  "confirmation",
  "protection",
  "exit",
  "settled",
];

export interface StoreSnapshot {
  orders: OrderRecord[];
  intents: Map<string, Intent>;
  lots: Lot[];
}

export async function readSnapshot(store: Store): Promise<StoreSnapshot> {
  const orders: OrderRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.orders.page({ cursor, limit: 500 });
    orders.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const intents = new Map<string, Intent>();
  for (const i of await store.intents.listOpen()) intents.set(i.id, i);
  for (const o of orders) {
    if (o.intentId === undefined || intents.has(o.intentId)) continue;
    const i = await store.intents.get(o.intentId);
    if (i) intents.set(i.id, i);
  }
  const lots = [...(await store.lots.listOpen()), ...(await store.lots.closedSince(0))];
  return { orders, intents, lots };
}

const NOT_PLACED = new Set(["NEW", "READY", "SUBMITTING"]);
const AMBIGUOUS = new Set(["PENDING_SUBMIT", "UNKNOWN"]);

/** The phases a snapshot shows (several at once when several intents are in flight). */
export function phasesOf(s: StoreSnapshot): Set<CrashPhase> {
  const out = new Set<CrashPhase>();
  for (const i of s.intents.values()) {
    if (NOT_PLACED.has(i.status)) out.add("placement");
    if (i.status === "PLACED") out.add("confirmation");
  }
  for (const o of s.orders) if (AMBIGUOUS.has(o.status)) out.add("placement");
  for (const l of s.lots) {
    if (l.status === "OPENING") out.add("confirmation");
    if (l.status === "OPEN" && l.protection !== "PROTECTED" && l.protection !== "NOT_NEEDED")
      out.add("protection");
    if (l.status === "CLOSING") out.add("exit");
  }
  if (out.size === 0) out.add("settled");
  return out;
}

/** One line per intent for evidence: its status and its orders. */
export function describeIntent(s: StoreSnapshot, intentId: string): string {
  const i = s.intents.get(intentId);
  const head = i
    ? `intent ${i.id} ${i.kind} ${i.side} ${i.status} attempt=${i.attempt} reason=${i.reasonCode ?? "-"} lot=${i.lotId ?? "-"}`
    : `intent ${intentId} (not in the store)`;
  const orders = s.orders
    .filter((o) => o.intentId === intentId)
    .map(
      (o) =>
        `  order ${o.id} ${o.role} ${o.type} ${o.side} ${o.status} attempt=${o.attempt} oid=${o.clientOid} ex=${o.exchangeOrderId ?? "-"} filled=${o.filledQuantity.toFixed()} reason=${o.reason ?? "-"}`,
    );
  return [head, ...orders].join("\n");
}
