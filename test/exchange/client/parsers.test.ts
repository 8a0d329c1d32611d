/** Parsers against the raw response shapes quoted in the reference (numbers and strings both). */
import { describe, expect, it } from "vitest";
import { parseUserBalance } from "../../../src/exchange/cryptocom/parsers/account.js";
import {
  parseBook,
  parseCandles,
  parseInstruments,
  parsePublicTrades,
  parseTickers,
} from "../../../src/exchange/cryptocom/parsers/market.js";
import {
  parseFills,
  parseOrderDetail,
  parseOrderList,
} from "../../../src/exchange/cryptocom/parsers/orders.js";
import { ResponseShapeError } from "../../../src/exchange/cryptocom/parsers/wire.js";
import { Dec } from "../../../src/util/decimal.js";

describe("market parsers", () => {
  it("instruments: ticks as Dec, decimals as numbers or strings", () => {
    const [i] = parseInstruments({
      data: [
        {
          symbol: "BTC_USD",
          inst_type: "CCY_PAIR",
          display_name: "BTC/USD",
          base_ccy: "BTC",
          quote_ccy: "USD",
          quote_decimals: "2",
          quantity_decimals: 5,
          price_tick_size: "0.01",
          qty_tick_size: "0.00001",
          tradable: "true",
        },
      ],
    });
    expect(i!.qtyTickSize).toBeInstanceOf(Dec);
    expect(i!.qtyTickSize.toFixed()).toBe("0.00001");
    expect(i!.quoteDecimals).toBe(2);
    expect(i!.tradable).toBe(true);
  });

  it("tickers with null fields", () => {
    const [t] = parseTickers({
      data: [
        {
          i: "BTC_USD",
          h: null,
          l: null,
          a: "51174.5",
          b: "51170",
          k: null,
          c: "0.0395",
          v: "1",
          vv: "2",
          t: 1613580710768,
        },
      ],
    });
    expect(t!.last!.toFixed()).toBe("51174.5");
    expect(t!.ask).toBeUndefined();
    expect(t!.high).toBeUndefined();
    expect(t!.time).toBe(1613580710768);
  });

  it("book, candles (sorted), trades", () => {
    const b = parseBook(
      {
        instrument_name: "BTC_USD",
        depth: 10,
        data: [{ bids: [["50113.5", "0.4", "0"]], asks: [["50126", "0.4", 2]], t: "1613580710768" }],
      },
      "BTC_USD",
    );
    expect(b.bids[0]!.price.toFixed()).toBe("50113.5");
    expect(b.asks[0]!.count).toBe(2);
    expect(b.time).toBe(1613580710768);
    const c = parseCandles({
      data: [
        { o: "2", h: "3", l: "1", c: "2.5", v: "10", t: 2000 },
        { o: "1", h: "1", l: "1", c: "1", v: "0", t: 1000 },
      ],
    });
    expect(c.map((x) => x.time)).toEqual([1000, 2000]);
    const [tr] = parsePublicTrades({
      data: [
        {
          d: "15281981878",
          t: 1613581138462,
          tn: "1",
          q: "0.0015",
          p: "51170.00",
          s: "BUY",
          i: "BTC_USD",
          m: "1",
        },
      ],
    });
    expect(tr!.side).toBe("BUY");
    expect(tr!.price.toFixed(2)).toBe("51170.00");
  });
});

describe("account and order parsers", () => {
  it("user-balance: per-currency available = quantity - reserved_qty", () => {
    const b = parseUserBalance({
      data: [
        {
          instrument_name: "USD",
          total_available_balance: "4721.05",
          total_cash_balance: "7595.42",
          position_balances: [
            {
              instrument_name: "BTC",
              quantity: "0.25",
              reserved_qty: "0.01",
              market_value: "12750.00",
              max_withdrawal_balance: "0.2", // differs from 0.25 − 0.01, so the test tells them apart
            },
          ],
        },
      ],
    });
    expect(b.totalAvailable.toFixed()).toBe("4721.05");
    expect(b.currencies[0]!.available.toFixed()).toBe("0.24");
    expect(b.currencies[0]!.reserved.toFixed()).toBe("0.01");
    expect(b.currencies[0]!.maxWithdrawal?.toFixed()).toBe("0.2");
  });

  it("orders: string/number timestamps and reason codes, zero prices as absent", () => {
    const [o] = parseOrderList({
      data: [
        {
          order_id: "19848525",
          client_oid: "c1",
          order_type: "MARKET",
          side: "SELL",
          quantity: "0.00011",
          limit_price: "0",
          avg_price: "0.0",
          cumulative_quantity: "0",
          cumulative_value: "0",
          cumulative_fee: "0",
          status: "REJECTED",
          reason: "213",
          instrument_name: "BTC_USD",
          create_time: "1613575617173",
          update_time: 1613575617999,
        },
      ],
    });
    expect(o!.reason).toBe(213);
    expect(o!.price).toBeUndefined();
    expect(o!.avgPrice).toBeUndefined();
    expect(o!.createTime).toBe(1613575617173);
    expect(o!.updateTime).toBe(1613575617999);
    const d = parseOrderDetail({
      order_info: {
        order_id: 1,
        side: "BUY",
        instrument_name: "X",
        status: "ACTIVE",
        order_type: "LIMIT",
        limit_price: "2",
      },
    });
    expect(d.orderId).toBe("1");
  });

  it("fills: negative exchange fees become positive fees paid", () => {
    const [f] = parseFills({
      data: [
        {
          trade_id: "1",
          order_id: "2",
          side: "BUY",
          instrument_name: "BTC_USD",
          traded_price: "51278.5",
          traded_quantity: "0.05",
          fees: "-1.2819625",
          taker_side: "MAKER",
          create_time: 1,
        },
      ],
    });
    expect(f!.fee.toFixed()).toBe("1.2819625");
    expect(f!.liquidity).toBe("MAKER");
  });

  it("shape errors name the field", () => {
    expect(() => parseOrderList({ data: [{ order_id: "1", side: "SIDEWAYS" }] })).toThrow(ResponseShapeError);
    expect(() => parseTickers({ data: [{ i: "X", a: "1e" }] })).toThrow(/result\.data\[0\]\.a/);
  });
});
