/**
 * The crash test's verdict: the emulator's ledger (every order request it received, with the
 * order's current state: `GET /emulator/admin/orders`) compared with the store, after the engine
 * has run to the end and stopped.
 *
 * Checks (each violation carries its evidence: the intent, its orders, the ledger entries):
 * 1. no duplicate — at most one accepted request per client_oid; per intent at most one accepted
 *    MARKET order across all its attempts; no lot sold more than it holds;
 * 2. no lost order — every accepted ledger order is in the store under its exchange order id;
 * 3. no unprotected position — every lot is CLOSED, or OPEN + PROTECTED with both OCO legs (on the
 *    lot's open quantity) open on the exchange; no open exchange order belongs to nothing open;
 * 4. nothing left in doubt — no stored order PENDING_SUBMIT / UNKNOWN, every intent final, and
 *   every stored open order open on the exchange.
 */
import type { AdminOrder } from "../../src/emulator/index.js";
import { dec } from "../../src/util/decimal.js";
import { describeIntent, type StoreSnapshot } from "./snapshot.js";

const OPEN_ON_EXCHANGE = new Set(["NEW", "PENDING", "ACTIVE"]);
const FINAL_INTENT = new Set(["BLOCKED", "DONE", "FAILED"]);

function entry(e: AdminOrder): string {
  return `  ledger #${e.seq} ${e.method} oid=${e.client_oid} id=${e.order_id ?? "-"} list=${e.list_id ?? "-"} ${e.side} ${e.type} code=${e.response_code} ${e.status} cum=${e.cumulative_quantity ?? "-"}`;
}

export function crashViolations(ledger: AdminOrder[], s: StoreSnapshot): string[] {
  const out: string[] = [];
  const byOid = new Map(s.orders.filter((o) => o.clientOid).map((o) => [o.clientOid as string, o]));
  const byExchangeId = new Map(
    s.orders.filter((o) => o.exchangeOrderId).map((o) => [o.exchangeOrderId as string, o]),
  );
  const accepted = ledger.filter((e) => e.response_code === 0 && e.order_id !== null);
  const ledgerById = new Map(accepted.map((e) => [e.order_id as string, e]));
  const entriesOf = (intentId: string) =>
    ledger.filter((e) => e.client_oid !== null && byOid.get(e.client_oid)?.intentId === intentId);
  const evidence = (intentId: string | undefined) =>
    intentId === undefined
      ? ""
      : `\n${describeIntent(s, intentId)}\n${entriesOf(intentId).map(entry).join("\n")}`;

  // 1. no duplicate
  const perOid = new Map<string, AdminOrder[]>();
  for (const e of accepted)
    if (e.client_oid) perOid.set(e.client_oid, [...(perOid.get(e.client_oid) ?? []), e]);
  for (const [oid, es] of perOid)
    if (es.length > 1)
      out.push(
        `client_oid ${oid} accepted ${es.length} times\n${es.map(entry).join("\n")}${evidence(byOid.get(oid)?.intentId)}`,
      );
  const marketsPerIntent = new Map<string, AdminOrder[]>();
  for (const e of accepted) {
    if (e.type !== "MARKET" || !e.client_oid) continue;
    const intentId = byOid.get(e.client_oid)?.intentId;
    if (intentId) marketsPerIntent.set(intentId, [...(marketsPerIntent.get(intentId) ?? []), e]);
  }
  for (const [intentId, es] of marketsPerIntent)
    if (es.length > 1)
      out.push(`intent ${intentId} led to ${es.length} accepted MARKET orders${evidence(intentId)}`);
  for (const lot of s.lots) {
    let sold = dec("0");
    for (const o of s.orders.filter((x) => x.lotId === lot.id && x.side === "SELL" && x.exchangeOrderId)) {
      const cum = ledgerById.get(o.exchangeOrderId as string)?.cumulative_quantity;
      if (cum) sold = sold.plus(dec(cum));
    }
    if (sold.gt(lot.quantity))
      out.push(`lot ${lot.id} sold ${sold.toFixed()} on the exchange but held ${lot.quantity.toFixed()}`);
  }

  // 2. no lost order
  for (const e of accepted) {
    const stored = byExchangeId.get(e.order_id as string);
    if (!stored) {
      const byClient = e.client_oid ? byOid.get(e.client_oid) : undefined;
      out.push(
        `exchange order ${e.order_id} (oid ${e.client_oid}) is not in the store under its id${byClient ? ` (the store has oid ${byClient.clientOid} as ${byClient.status} ex=${byClient.exchangeOrderId ?? "-"})` : ""}\n${entry(e)}${evidence(byClient?.intentId)}`,
      );
    }
  }

  // 3. no unprotected position
  const ownedOpen = new Set<string>();
  for (const lot of s.lots) {
    if (lot.status === "CLOSED") continue;
    const legs = s.orders.filter(
      (o) => o.lotId === lot.id && o.listId !== undefined && o.listId === lot.ocoListId && o.exchangeOrderId,
    );
    for (const l of legs) ownedOpen.add(l.exchangeOrderId as string);
    const legOpen = legs.filter((l) =>
      OPEN_ON_EXCHANGE.has(ledgerById.get(l.exchangeOrderId as string)?.status ?? ""),
    );
    const qtyOk = legs.every((l) => l.quantity?.eq(lot.openQuantity) === true);
    if (
      lot.status !== "OPEN" ||
      lot.protection !== "PROTECTED" ||
      legs.length !== 2 ||
      legOpen.length !== 2 ||
      !qtyOk
    ) {
      const lotOrders = s.orders.filter((o) => o.lotId === lot.id);
      const intents = new Set(lotOrders.map((o) => o.intentId).filter((x): x is string => x !== undefined));
      out.push(
        `lot ${lot.id} is ${lot.status}/${lot.protection} qty=${lot.quantity.toFixed()} open=${lot.openQuantity.toFixed()} list=${lot.ocoListId ?? "-"}: ${legOpen.length} of ${legs.length} OCO legs open on the exchange${qtyOk ? "" : ", a leg's quantity differs from the open quantity"}${[...intents].map((i) => evidence(i)).join("")}`,
      );
    }
  }
  for (const e of accepted)
    if (OPEN_ON_EXCHANGE.has(e.status) && !ownedOpen.has(e.order_id as string))
      out.push(
        `exchange order ${e.order_id} is open but protects no open lot\n${entry(e)}${evidence(byExchangeId.get(e.order_id as string)?.intentId)}`,
      );

  // 4. nothing left in doubt
  for (const o of s.orders) {
    if (o.status === "PENDING_SUBMIT" || o.status === "UNKNOWN")
      out.push(`order ${o.id} (oid ${o.clientOid}) is still ${o.status}${evidence(o.intentId)}`);
    else if (OPEN_ON_EXCHANGE.has(o.status) && o.exchangeOrderId) {
      const st = ledgerById.get(o.exchangeOrderId)?.status;
      if (!st || !OPEN_ON_EXCHANGE.has(st))
        out.push(
          `order ${o.id} is ${o.status} in the store but ${st ?? "unknown"} on the exchange${evidence(o.intentId)}`,
        );
    }
  }
  for (const i of s.intents.values())
    if (!FINAL_INTENT.has(i.status)) out.push(`intent ${i.id} is not final (${i.status})${evidence(i.id)}`);
  return out;
}
