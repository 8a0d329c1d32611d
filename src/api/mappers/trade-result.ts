/**
 * The Trader's answer to a manual order (`TradeResult`) as the API's `ManualOrderResult`.
 *
 * Invariants: every order and the position go through the same mappers as the read routes (exact
 * decimal text, ids as strings); the guard checks are listed in the order they ran.
 */

import type { TradeResult } from "../../trading/requests.js";
import type { PositionView } from "../../trading/services/index.js";
import type { ManualOrderResult } from "../contract/types.js";
import { apiOrderOf, apiPositionOf } from "./orders.js";

export function manualOrderResultOf(r: TradeResult, markPrice: string | null): ManualOrderResult {
  const position: PositionView | undefined = r.lot && {
    lot: r.lot,
    takeProfit: r.orders.filter((o) => o.role === "TAKE_PROFIT").at(-1),
    stopLoss: r.orders.filter((o) => o.role === "STOP_LOSS").at(-1),
    orders: r.orders,
  };
  return {
    outcome: r.outcome,
    message: r.message,
    intent_id: r.intent.id,
    mode: r.intent.mode,
    reason_code: r.verdict?.reasonCode ?? r.intent.reasonCode ?? null,
    guards: (r.verdict?.checks ?? []).map((c) => ({ code: c.code, ok: c.ok, detail: c.detail })),
    orders: r.orders.map(apiOrderOf),
    position: position ? apiPositionOf(position, markPrice) : null,
  };
}
