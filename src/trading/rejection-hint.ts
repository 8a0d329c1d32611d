/**
 * What an order the venue refused should have been: for a rejection of category `invalid_order` or
 * `bad_request` (e.g. Crypto.com 213, "too many decimals"), the venue's own order rules
 * (`OrderRules.check`) are asked about the order as it was sent, with the instrument as the
 * venue lists it now (the instrument list refreshed once when the cached rules accept the order:
 * the exchange refusing an order atp's rules accept means they changed). The answer goes into the
 * `order.rejected` event, for the notification and the audit trail.
 *
 * Invariants:
 * - Venue-neutral: the rule is matched to the rejection by the venue's CODE on the `RuleViolation`
 *   (never by message text); the corrected value is the rules' own (`corrected`, e.g. the
 *   quantity floored to the step), never computed here.
 * - Never throws and never delays a rejection for long: every failure (no instrument, a refresh
 *   that fails) answers with what is known, possibly nothing. Values are decimal strings.
 */
import { isPlainOrderType } from "../domain/orders.js";
import type { ExchangeClient, Instrument, OrderRequest, TriggerOrderRequest } from "../exchange/types.js";
import type { OrderRecord } from "../store/types.js";

/** Fields added to the `order.rejected` payload (all strings; absent when unknown). */
export interface RejectionHint {
  /** The value to send instead (the rules' corrected value), e.g. "1234.5". */
  corrected?: string;
  /** The field the rule is about: "quantity", "notional", "price", "ref_price", … */
  field?: string;
  /** The rule, as the venue's rules word it. */
  rule?: string;
  /** When no rule explains the code: the instrument's rules as atp knows them (after a refresh). */
  instrumentRules?: string;
}

const HINTED_CATEGORIES: ReadonlySet<string> = new Set(["invalid_order", "bad_request"]);

type HintClient = Pick<ExchangeClient, "rules" | "getInstrument" | "getInstruments">;
type SentOrder = Pick<
  OrderRecord,
  "symbol" | "side" | "type" | "quantity" | "notional" | "price" | "refPrice"
>;

function requestOf(o: SentOrder): OrderRequest | TriggerOrderRequest | undefined {
  const common = { intentId: "rejection-hint", symbol: o.symbol, side: o.side };
  if (isPlainOrderType(o.type))
    return { ...common, type: o.type, quantity: o.quantity, notional: o.notional, price: o.price };
  if (!o.refPrice) return undefined;
  return { ...common, type: o.type, refPrice: o.refPrice, price: o.price, quantity: o.quantity };
}

function describeRules(inst: Instrument): string {
  const parts = [
    `quantity step ${inst.qtyTickSize.toFixed()}`,
    `price tick ${inst.priceTickSize.toFixed()}`,
    `${inst.quoteCcy} amounts ${inst.quoteDecimals} decimals`,
  ];
  if (inst.minNotional) parts.push(`minimum order value ${inst.minNotional.toFixed()} ${inst.quoteCcy}`);
  return parts.join(", ");
}

/** The hint for a rejection of `order` with `code` and `category` (empty when there is none). */
export async function rejectionHint(
  client: HintClient,
  order: SentOrder,
  failure: { code: number | undefined; category: string },
): Promise<RejectionHint> {
  if (failure.code === undefined || !HINTED_CATEGORIES.has(failure.category)) return {};
  const req = requestOf(order);
  if (!req) return {};
  const code = failure.code;
  // the plain order's refPrice is the market price it was sized at (the minimum value check)
  const market = isPlainOrderType(order.type) ? order.refPrice : undefined;
  const explain = (inst: Instrument): RejectionHint | undefined => {
    const v = client.rules.check(inst, req, market).find((x) => x.code === code);
    if (!v) return undefined;
    return { field: v.field, rule: v.rule, ...(v.corrected !== undefined ? { corrected: v.corrected } : {}) };
  };
  try {
    const cached = await client.getInstrument(order.symbol);
    const fromCache = cached ? explain(cached) : undefined;
    if (fromCache) return fromCache;
    const fresh = (await client.getInstruments({ refresh: true })).find((i) => i.symbol === order.symbol);
    if (!fresh) return {};
    return explain(fresh) ?? { instrumentRules: describeRules(fresh) };
  } catch {
    return {};
  }
}
