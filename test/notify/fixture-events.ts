/**
 * Fixture events of every kind the notifier renders, with the stored rows their renderers read
 * (signals, an entry and an exit order with fills, a lot, an auth incident with its diagnosis).
 */
import { cryptoComOrderRules } from "../../src/exchange/cryptocom/order-rules.js";
import type { Instrument, Order } from "../../src/exchange/types.js";
import type { NewEvent, Store } from "../../src/store/types.js";
import { rejectionHint } from "../../src/trading/rejection-hint.js";
import { dec } from "../../src/util/decimal.js";
import { exchangeOrder as baseOrder } from "../helpers/exchange-order.js";
import { DOCTOR_REPORT } from "./deps.js";

function exchangeOrder(o: Partial<Order> & Pick<Order, "orderId" | "clientOid" | "side">): Order {
  return baseOrder({
    type: "MARKET",
    status: "FILLED",
    quantity: dec("0.002"),
    price: undefined,
    avgPrice: dec("50000.00"),
    filledQuantity: dec("0.002"),
    filledValue: dec("100.00"),
    fee: dec("0.1"),
    feeCurrency: "USD",
    createTime: Date.UTC(2026, 0, 5, 10),
    updateTime: Date.UTC(2026, 0, 5, 10),
    ...o,
  });
}

const CRO_USD: Instrument = {
  symbol: "CRO_USD",
  instType: "CCY_PAIR",
  displayName: "CRO/USD",
  baseCcy: "CRO",
  quoteCcy: "USD",
  quoteDecimals: 2,
  quantityDecimals: 1,
  priceTickSize: dec("0.00001"),
  qtyTickSize: dec("0.1"),
  minNotional: dec("1"),
  tradable: true,
};

/**
 * The hint the trader adds to a 213 rejection of a SELL of 1234.56 (src/trading/rejection-hint.ts
 * on Crypto.com's rules): CRO_USD's step is 0.1 (`stepKnown`: the rules correct the quantity), or
 * DOGE_USD's instrument list still says 0.01 after a refresh (the rules accept the order; the
 * message says so).
 */
async function croRejection(stepKnown: boolean) {
  const inst = stepKnown
    ? CRO_USD
    : {
        ...CRO_USD,
        symbol: "DOGE_USD",
        displayName: "DOGE/USD",
        baseCcy: "DOGE",
        qtyTickSize: dec("0.01"),
        quantityDecimals: 2,
      };
  const hint = await rejectionHint(
    { rules: cryptoComOrderRules, getInstrument: async () => inst, getInstruments: async () => [inst] },
    {
      symbol: inst.symbol,
      side: "SELL",
      type: "MARKET",
      quantity: dec("1234.56"),
      notional: undefined,
      price: undefined,
      refPrice: dec("0.09871"),
    },
    { code: 213, category: "invalid_order" },
  );
  return { ...hint };
}

/** Seeds the rows and answers the events, in the order they are appended (labels for the doc). */
export async function seedFixtureEvents(store: Store): Promise<{ label: string; event: NewEvent }[]> {
  await store.signals.insert({
    id: "sig-1",
    symbol: "BTC_USD",
    side: "SELL",
    source: "engine",
    strategy: "ema-cross",
    price: dec("48000.00"),
    receivedAt: Date.UTC(2026, 0, 4, 10),
  });
  await store.signals.insert({
    id: "sig-2",
    symbol: "BTC_USD",
    side: "BUY",
    source: "engine",
    strategy: "ema-cross",
    price: dec("50000.00"),
    receivedAt: Date.UTC(2026, 0, 5, 10),
    trace: { reasons: ["EMA 9 crossed above EMA 21", "RSI 14 = 58 < 70"] },
  });
  const lot = await store.lots.create({
    id: "lot-1",
    symbol: "BTC_USD",
    mode: "DRY_RUN",
    status: "OPEN",
    protection: "PROTECTED",
    entryPrice: dec("50000.00"),
    quantity: dec("0.002"),
    openQuantity: dec("0.002"),
  });
  await store.intents.create({
    id: "int-entry",
    idempotencyKey: "k-entry",
    kind: "ENTRY",
    symbol: "BTC_USD",
    side: "BUY",
    mode: "DRY_RUN",
    actor: "engine",
  });
  await store.intents.create({
    id: "int-tp",
    idempotencyKey: "k-tp",
    kind: "PROTECT",
    symbol: "BTC_USD",
    side: "SELL",
    mode: "DRY_RUN",
    actor: "trader",
  });
  const entry = await store.orders.insertAttempt({
    id: "ord-entry",
    intentId: "int-entry",
    attempt: 1,
    clientOid: "atp-entry",
    symbol: "BTC_USD",
    side: "BUY",
    type: "MARKET",
    role: "ENTRY",
    mode: "DRY_RUN",
    notional: dec("100.00"),
    lotId: lot.id,
  });
  if (entry)
    await store.orders.applyExchange(exchangeOrder({ orderId: "ex-1", clientOid: "atp-entry", side: "BUY" }));
  const exit = await store.orders.insertAttempt({
    id: "ord-tp",
    intentId: "int-tp",
    attempt: 1,
    clientOid: "atp-tp",
    symbol: "BTC_USD",
    side: "SELL",
    type: "LIMIT",
    role: "TAKE_PROFIT",
    mode: "DRY_RUN",
    quantity: dec("0.002"),
    price: dec("52000.00"),
    lotId: lot.id,
  });
  if (exit)
    await store.orders.applyExchange(
      exchangeOrder({
        orderId: "ex-2",
        clientOid: "atp-tp",
        side: "SELL",
        type: "LIMIT",
        price: dec("52000.00"),
        avgPrice: dec("52000.00"),
        filledValue: dec("104.00"),
        fee: dec("0.104"),
      }),
    );
  const report = await store.reports.insert({
    id: "rep-1",
    trigger: "auth_incident",
    context: {},
    verdict: "ip_not_whitelisted: …",
    topCause: "ip_not_whitelisted",
    report: JSON.parse(JSON.stringify(DOCTOR_REPORT)),
  });
  const incident = await store.incidents.open({
    id: "inc-1",
    method: "private/user-balance",
    code: 40103,
    category: "ip_not_whitelisted",
    diagnosisId: report.id,
  });
  const dry = { mode: "DRY_RUN" };
  return [
    {
      label: "signal",
      event: { kind: "signal.received", symbol: "BTC_USD", payload: { ...dry, signalId: "sig-2" } },
    },
    {
      label: "order created",
      event: {
        kind: "order.placed",
        symbol: "BTC_USD",
        payload: { ...dry, orderId: "ord-entry", role: "ENTRY", exchangeOrderId: "ex-1" },
      },
    },
    {
      label: "order filled (entry)",
      event: {
        kind: "order.filled",
        symbol: "BTC_USD",
        payload: {
          ...dry,
          orderId: "ord-entry",
          role: "ENTRY",
          side: "BUY",
          filledQuantity: "0.002",
          avgPrice: "50000.00",
          lotId: "lot-1",
        },
      },
    },
    {
      label: "protection placed",
      event: {
        kind: "protection.placed",
        symbol: "BTC_USD",
        payload: {
          ...dry,
          lotId: "lot-1",
          listId: "oco-1",
          quantity: "0.002",
          tpPrice: "52000.00",
          slTrigger: "49000.00",
          slLimit: "48755.00",
          slType: "STOP_LIMIT",
        },
      },
    },
    {
      label: "order filled (exit, with P&L)",
      event: {
        kind: "order.filled",
        symbol: "BTC_USD",
        payload: {
          ...dry,
          orderId: "ord-tp",
          role: "TAKE_PROFIT",
          side: "SELL",
          filledQuantity: "0.002",
          avgPrice: "52000.00",
          lotId: "lot-1",
        },
      },
    },
    {
      label: "position closed",
      event: {
        kind: "position.closed",
        symbol: "BTC_USD",
        payload: {
          ...dry,
          lotId: "lot-1",
          exitReason: "TAKE_PROFIT",
          soldQuantity: "0.002",
          proceeds: "104.00",
          fees: "0.204",
          realisedPnl: "3.796",
        },
      },
    },
    {
      label: "protection failed (critical)",
      event: {
        kind: "protection.failed",
        symbol: "ETH_USD",
        payload: {
          mode: "LIVE",
          lotId: "lot-2",
          reason: "protection not confirmed within 30 s",
          critical: true,
          openQuantity: "0.5",
        },
      },
    },
    {
      label: "position unprotected (critical)",
      event: {
        kind: "position.unprotected",
        symbol: "ETH_USD",
        payload: {
          mode: "LIVE",
          lotId: "lot-2",
          reason: "protection legs ended without a fill",
          critical: true,
        },
      },
    },
    {
      label: "auth incident opened (with the doctor's verdict)",
      event: {
        kind: "auth.incident_opened",
        payload: {
          mode: "LIVE",
          incidentId: incident.id,
          method: "private/user-balance",
          code: 40103,
          category: "ip_not_whitelisted",
          codeName: "IP_ILLEGAL",
          nextProbeAt: 0,
        },
      },
    },
    {
      label: "auth incident closed",
      event: {
        kind: "auth.incident_closed",
        payload: {
          mode: "LIVE",
          incidentId: incident.id,
          method: "private/user-balance",
          code: 40103,
          category: "ip_not_whitelisted",
          durationMs: 312_000,
          probes: 4,
        },
      },
    },
    {
      label: "order rejected (213, corrected value)",
      event: {
        kind: "order.rejected",
        symbol: "CRO_USD",
        payload: {
          mode: "LIVE",
          orderId: "ord-3",
          role: "EXIT",
          code: 213,
          category: "invalid_order",
          reason: "213",
          status: "rejected",
          ...(await croRejection(true)),
        },
      },
    },
    {
      label: "order rejected (213, atp's rules accept the order)",
      event: {
        kind: "order.rejected",
        symbol: "DOGE_USD",
        payload: {
          mode: "LIVE",
          orderId: "ord-4",
          role: "EXIT",
          code: 213,
          category: "invalid_order",
          reason: "213",
          status: "rejected",
          ...(await croRejection(false)),
        },
      },
    },
    {
      label: "guard block: amount not set (throttled)",
      event: {
        kind: "intent.blocked",
        symbol: "ETH_USD",
        payload: {
          ...dry,
          intentId: "i-4",
          kind: "ENTRY",
          reasonCode: "AMOUNT_NOT_SET",
          detail: "no amount in USD for ETH_USD",
        },
      },
    },
    {
      label: "guard block: balance too low (throttled)",
      event: {
        kind: "intent.blocked",
        symbol: "BTC_USD",
        payload: {
          mode: "LIVE",
          intentId: "i-5",
          kind: "ENTRY",
          reasonCode: "INSUFFICIENT_BALANCE",
          detail: "USD available 12.40 < 100.00",
        },
      },
    },
    {
      label: "loss protection tripped",
      event: {
        kind: "intent.blocked",
        symbol: "BTC_USD",
        payload: {
          mode: "LIVE",
          intentId: "i-6",
          kind: "ENTRY",
          reasonCode: "DAILY_LOSS_LIMIT",
          detail: "realised loss today 52.10 USD ≥ 5 % of equity (50.00)",
        },
      },
    },
  ];
}
