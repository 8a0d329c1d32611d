/**
 * What `atp order` prints: the intent's mode and guards, every order it led to (entry or exit, then
 * the protection of the position), the position, and the outcome — or the same as JSON.
 *
 * Invariants:
 * - Money is printed as exact decimal text (`Dec.toFixed()`), in JSON too (never exponent notation,
 *   never a JS number).
 * - Exit code: 0 when the order was placed or filled, 1 otherwise (blocked, failed, duplicate, no
 *   answer in time).
 */
import type { Intent, Json, Lot, OrderRecord, Store } from "../../store/types.js";
import type { GuardVerdict } from "../../trading/guards/types.js";
import type { TradeResult } from "../../trading/requests.js";
import { Dec } from "../../util/decimal.js";
import { decText } from "./orders.js";

const say = (line: string) => process.stdout.write(`${line}\n`);

/** JSON with every Dec as its exact decimal text. */
export function moneyJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key, v) {
      const raw = this[key];
      return raw instanceof Dec ? raw.toFixed() : v;
    },
    2,
  );
}

function orderLine(o: OrderRecord): string {
  const size = o.quantity ? `qty ${decText(o.quantity)}` : `notional ${decText(o.notional)}`;
  const px = [
    o.refPrice && o.type !== "MARKET" ? `trigger ${decText(o.refPrice)}` : "",
    o.price ? `price ${decText(o.price)}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const fill = o.filledQuantity.isZero()
    ? ""
    : ` filled ${decText(o.filledQuantity)} at ${decText(o.avgPrice)} fee ${decText(o.fee)}${o.feeCurrency ? ` ${o.feeCurrency}` : ""}`;
  return `  ${o.role.padEnd(11)} ${o.type} ${o.side} ${size}${px ? ` ${px}` : ""} → ${o.status}${fill}${o.reason ? ` (${o.reason})` : ""}`;
}

function guardLine(v: GuardVerdict | undefined, intent: Intent): string {
  if (!v) return intent.reasonCode ? `  guards: ${intent.reasonCode}` : "  guards: -";
  if (v.ok) return `  guards: passed (${v.checks.map((c) => c.code).join(", ")})`;
  const failed = v.checks.find((c) => !c.ok);
  return `  guards: blocked by ${v.reasonCode}${failed ? ` — ${failed.detail}` : ""}`;
}

function lotLine(l: Lot): string {
  const pnl = l.status === "CLOSED" ? `, realised P&L ${decText(l.realisedPnl)}` : "";
  return `  position ${l.id}: ${l.status}, protection ${l.protection}, entry ${decText(l.entryPrice)}, quantity ${decText(l.openQuantity)}${l.exitReason ? `, exit ${l.exitReason}` : ""}${pnl}`;
}

async function related(store: Store, intent: Intent, lot: Lot | undefined) {
  const own = await store.orders.listByIntent(intent.id);
  const current = lot
    ? await store.lots.get(lot.id)
    : intent.lotId
      ? await store.lots.get(intent.lotId)
      : undefined;
  const protection = current
    ? (await store.orders.listByLot(current.id)).filter((o) => !own.some((x) => x.id === o.id))
    : [];
  return { orders: [...own, ...protection], lot: current };
}

export async function printTradeResult(store: Store, r: TradeResult, o: { json: boolean }): Promise<number> {
  const intent = (await store.intents.get(r.intent.id)) ?? r.intent;
  const { orders, lot } = await related(store, intent, r.lot);
  const ok = r.outcome === "placed" || r.outcome === "filled";
  if (o.json) {
    say(
      moneyJson({
        outcome: r.outcome,
        message: r.message,
        intent,
        verdict: r.verdict ?? null,
        orders,
        lot: lot ?? null,
      }),
    );
    return ok ? 0 : 1;
  }
  say(`atp order: ${intent.side} ${intent.symbol} — mode ${intent.mode}`);
  say(guardLine(r.verdict, intent));
  for (const ord of orders) say(orderLine(ord));
  if (lot) say(lotLine(lot));
  say(`  result: ${r.message.startsWith(r.outcome) ? r.message : `${r.outcome}: ${r.message}`}`);
  return ok ? 0 : 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a running engine to act on inbox signal `id`, then prints what it did. */
export async function printInboxOutcome(
  store: Store,
  id: string,
  o: { json: boolean; waitMs: number },
): Promise<number> {
  const until = Date.now() + o.waitMs;
  for (;;) {
    const s = await store.signals.get(id);
    const intent = s?.intentId ? await store.intents.get(s.intentId) : undefined;
    const settled = intent && ["BLOCKED", "DONE", "FAILED", "PLACED"].includes(intent.status);
    if (s && intent && (settled || Date.now() >= until)) {
      const outcome =
        intent.status === "BLOCKED" ? "blocked" : intent.status === "FAILED" ? "failed" : "placed";
      const verdict = verdictOf(intent.guardTrace);
      return printTradeResult(
        store,
        {
          outcome,
          intent,
          orders: [],
          message: intent.reasonCode ?? intent.status,
          ...(verdict ? { verdict } : {}),
        },
        { json: o.json },
      );
    }
    if (Date.now() >= until) {
      process.stderr.write(
        `atp order: no answer from the engine within ${o.waitMs / 1000} s (signal ${id} is ${s?.status ?? "missing"})\n`,
      );
      return 1;
    }
    await sleep(200);
  }
}

function verdictOf(trace: Json): GuardVerdict | undefined {
  if (trace === null || typeof trace !== "object" || Array.isArray(trace) || !Object.hasOwn(trace, "verdict"))
    return undefined;
  return trace.verdict as unknown as GuardVerdict;
}
