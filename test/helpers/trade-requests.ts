/**
 * The Trader's submit requests as the trading scenarios write them: one symbol, one source, the
 * actor "test"; a BUY carries the amount, a SELL none (it sells what the lot holds).
 */
import type { TradeRequest } from "../../src/trading/requests.js";
import { dec } from "../../src/util/decimal.js";

/** A factory of requests for `symbol` from `source`; BUYs spend `amountUsd`. */
export function tradeRequests(o: {
  symbol: string;
  source: string;
  amountUsd: string;
}): (side: "BUY" | "SELL", idempotencyKey: string) => TradeRequest {
  return (side, idempotencyKey) => ({
    symbol: o.symbol,
    side,
    source: o.source,
    actor: "test",
    idempotencyKey,
    amountUsd: side === "BUY" ? dec(o.amountUsd) : undefined,
  });
}
