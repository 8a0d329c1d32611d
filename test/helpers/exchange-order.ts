/**
 * An exchange order as the client parses it (src/exchange/types.ts `Order`) for tests that feed the
 * store or the trader what the exchange said: a resting LIMIT BUY of BTC_USD, nothing filled, no
 * fee, created and updated at `createTime`/`updateTime` 1000, plus `over`.
 */
import type { Order } from "../../src/exchange/types.js";
import { dec } from "../../src/util/decimal.js";

export function exchangeOrder(over: Partial<Order> & Pick<Order, "orderId" | "clientOid">): Order {
  return {
    symbol: "BTC_USD",
    side: "BUY",
    type: "LIMIT",
    status: "ACTIVE",
    timeInForce: undefined,
    execInst: [],
    quantity: dec("0.001"),
    price: dec("50000.5"),
    refPrice: undefined,
    orderValue: undefined,
    avgPrice: undefined,
    filledQuantity: dec("0"),
    filledValue: dec("0"),
    fee: dec("0"),
    feeCurrency: undefined,
    reason: undefined,
    createTime: 1_000,
    updateTime: 1_000,
    listId: undefined,
    contingencyType: undefined,
    ...over,
  };
}
