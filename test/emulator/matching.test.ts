/** The matching core on its own (no HTTP): a fake market view, the engine, its ledger and events. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type EngineEvent,
  type MarketView,
  MatchingEngine,
  orderToWire,
  type VenueBookLevel,
  type VenueOrderRequest,
} from "../../src/emulator/matching/index.js";
import { type Instrument, validateOrder } from "../../src/exchange/cryptocom/instruments.js";
import { Dec, dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";

const BTC: Instrument = btcUsd({ minNotional: dec("1") });

/** A hand-written book: asks 100, 101, 102 (1 BTC each); bids 99, 98, 97 (1 BTC each). */
class FakeMarket implements MarketView {
  mark = dec("100");
  book: Record<"bids" | "asks", VenueBookLevel[]> = { bids: [], asks: [] };
  constructor() {
    this.reset();
  }
  reset(mid = 100): void {
    this.mark = new Dec(mid);
    this.book = {
      asks: [0, 1, 2].map((i) => ({ price: new Dec(mid + 0.5 + i), qty: dec("1") })),
      bids: [0, 1, 2].map((i) => ({ price: new Dec(mid - 0.5 - i), qty: dec("1") })),
    };
  }
  levels(_s: string, side: "bids" | "asks"): readonly VenueBookLevel[] {
    return this.book[side];
  }
  refPrice(): Dec {
    return this.mark;
  }
  consume(_s: string, side: "bids" | "asks", price: Dec, qty: Dec): void {
    const l = this.book[side].find((x) => x.price.eq(price));
    if (l) l.qty = l.qty.sub(qty);
    this.book[side] = this.book[side].filter((x) => x.qty.gt(0));
  }
}

function setup(balances: Record<string, string> = { USD: "1000", BTC: "2" }) {
  const market = new FakeMarket();
  let t = 1_000;
  const engine = new MatchingEngine({
    instruments: [BTC],
    market,
    now: () => ++t,
    fees: { maker: "0.001", taker: "0.002" },
  });
  engine.setBalances("a", balances);
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  return { market, engine, events };
}

let n = 0;
const req = (r: Partial<VenueOrderRequest>): VenueOrderRequest => ({
  instrument_name: "BTC_USD",
  side: "BUY",
  type: "LIMIT",
  client_oid: `c${++n}`,
  ...r,
});

describe("MatchingEngine", () => {
  it("submit validates and reserves; execute fills across levels as TAKER with the fee in the received currency", () => {
    const { engine, events } = setup();
    const r = engine.submit("a", req({ type: "MARKET", quantity: "1.50000" }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.status).toBe("NEW");
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("151.25"); // 1 × 100.5 + 0.5 × 101.5
    engine.execute(r.order.orderId);
    expect(r.order.status).toBe("FILLED");
    expect(r.order.cumValue.toFixed()).toBe("151.25");
    expect(engine.ledger.total("a", "USD").toFixed()).toBe("848.75");
    expect(engine.ledger.total("a", "BTC").toFixed()).toBe("3.497"); // 2 + 1.5 − 0.2 % fee
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("0");
    const kinds = events.map((e) => e.type);
    expect(kinds.filter((k) => k === "fill")).toHaveLength(2);
    expect(kinds.at(-1)).toBe("balance");
  });

  it("returns the exchange's codes without touching balances", () => {
    const { engine } = setup();
    const codes = [
      req({ instrument_name: "ETH_USD", price: "100", quantity: "1" }),
      req({ price: "100.001", quantity: "1" }),
      req({ price: "100", quantity: "0.000001" }),
      req({ price: "100", quantity: "0.00001" }),
      req({ price: "100", quantity: "20" }),
      req({ price: "10", quantity: "1" }),
      req({ type: "MARKET", notional: "10", quantity: "0.1" }),
    ].map((x) => {
      const r = engine.submit("a", x);
      return r.ok ? 0 : r.code;
    });
    expect(codes).toEqual([209, 308, 213, 415, 306, 315, 40004]);
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("0");
  });

  it("one rule set for client and emulator: both answer the documented code of each order", () => {
    // Expected codes from the rules (docs/emulator.md "Checks in order"), not from either
    // implementation: BTC_USD ticks 0.01 / 0.00001, min_notional 1, mark 100 (asks from 100.5).
    const cases: [string, Partial<VenueOrderRequest>, number][] = [
      ["a valid LIMIT", { price: "100.00", quantity: "0.02000" }, 0],
      ["a valid MARKET BUY by notional", { type: "MARKET", notional: "20.00" }, 0],
      [
        "a valid STOP_LIMIT SELL",
        { type: "STOP_LIMIT", side: "SELL", price: "90.00", ref_price: "95.00", quantity: "0.02000" },
        0,
      ],
      ["LIMIT without price", { quantity: "0.02000" }, 40004],
      ["LIMIT with notional instead of quantity", { price: "100.00", notional: "2.00" }, 40004],
      ["MARKET with a price", { type: "MARKET", notional: "20.00", price: "100.00" }, 40004],
      [
        "MARKET BUY with notional and quantity",
        { type: "MARKET", notional: "20.00", quantity: "0.02000" },
        40004,
      ],
      ["MARKET SELL by notional", { type: "MARKET", side: "SELL", notional: "20.00" }, 40004],
      ["STOP_LOSS without ref_price", { type: "STOP_LOSS", side: "SELL", quantity: "0.02000" }, 40004],
      ["LIMIT with a ref_price", { price: "100.00", quantity: "0.02000", ref_price: "95.00" }, 40004],
      ["a negative quantity", { price: "100.00", quantity: "-0.02000" }, 40004],
      ["a quantity in exponent form", { price: "100.00", quantity: "2e-2" }, 40004],
      ["quantity off the tick", { price: "100.00", quantity: "0.020001" }, 213],
      ["notional with more decimals than the quote", { type: "MARKET", notional: "20.001" }, 213],
      ["price off the tick", { price: "100.005", quantity: "0.02000" }, 308],
      [
        "POST_ONLY and SMART_POST_ONLY both",
        { price: "99.00", quantity: "0.02000", exec_inst: ["POST_ONLY", "SMART_POST_ONLY"] },
        219,
      ],
      ["POST_ONLY on a MARKET order", { type: "MARKET", notional: "20.00", exec_inst: ["POST_ONLY"] }, 219],
      [
        "POST_ONLY with IOC",
        {
          price: "99.00",
          quantity: "0.02000",
          exec_inst: ["POST_ONLY"],
          time_in_force: "IMMEDIATE_OR_CANCEL",
        },
        43005,
      ],
      ["LIMIT value below min_notional", { price: "100.00", quantity: "0.00500" }, 415],
      ["MARKET BUY notional below min_notional", { type: "MARKET", notional: "0.50" }, 415],
      [
        "MARKET SELL by quantity below min_notional at the mark",
        { type: "MARKET", side: "SELL", quantity: "0.00500" },
        415,
      ],
    ];
    for (const [name, fields, code] of cases) {
      const { engine, market } = setup({ USD: "100000", BTC: "100" });
      const r = engine.submit("a", req(fields));
      const v = validateOrder(
        BTC,
        { instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", ...fields },
        {
          marketPrice: market.mark,
        },
      );
      expect([name, r.ok ? 0 : r.code], "emulator").toEqual([name, code]);
      expect([name, v[0]?.code ?? 0], "client validator").toEqual([name, code]);
    }
  });

  it("answers the shared validator's first violation before its own later checks", () => {
    const TYPES = ["LIMIT", "MARKET", "STOP_LOSS", "STOP_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"] as const;
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom(...TYPES),
          side: fc.constantFrom("BUY" as const, "SELL" as const),
          quantity: opt(fc.constantFrom("0.00001", "0.01000", "0.000011")),
          notional: opt(fc.constantFrom("0.50", "20.00", "20.001")),
          price: opt(fc.constantFrom("100.00", "100.005", "99.00")),
          ref_price: opt(fc.constantFrom("90.00", "110.00")),
          exec_inst: opt(fc.constantFrom(["POST_ONLY"], ["POST_ONLY", "SMART_POST_ONLY"])),
          time_in_force: opt(fc.constantFrom("GOOD_TILL_CANCEL" as const, "IMMEDIATE_OR_CANCEL" as const)),
        }),
        (o) => {
          const { engine, market } = setup({ USD: "100000", BTC: "100" });
          const r = engine.submit("a", req(o));
          const v = validateOrder(BTC, { instrument_name: "BTC_USD", ...o }, { marketPrice: market.mark });
          // The engine's own checks (open-order limits, trigger direction, price band, balance,
          // sync POST_ONLY) come after the shared ones and never replace one of their codes.
          if (v.length > 0) expect(r.ok ? 0 : r.code).toBe(v[0]!.code);
          else if (!r.ok) expect([229, 306, 315, 318, 43005]).toContain(r.code);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a resting limit fills as MAKER at its own price when the book crosses it (onMarket)", () => {
    const { engine, market } = setup();
    const r = engine.place("a", req({ price: "99.00", quantity: "0.50000" }));
    if (!r.ok) throw new Error("rejected");
    expect(r.order.status).toBe("ACTIVE");
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("49.5");
    market.reset(98);
    engine.onMarket("BTC_USD");
    expect(r.order.status).toBe("FILLED");
    expect(r.order.cumValue.toFixed()).toBe("49.5");
    expect(r.order.cumFee.toFixed()).toBe("0.0005"); // maker 0.1 % of 0.5 BTC
    expect(orderToWire(r.order)).toMatchObject({
      avg_price: "99",
      limit_price: "99.00",
      cumulative_quantity: "0.50000",
    });
  });

  it("a partially filled GTC rests ACTIVE with the remainder; cancel releases what is left", () => {
    const { engine } = setup({ USD: "1000", BTC: "0" });
    const r = engine.place("a", req({ price: "101.50", quantity: "3.00000" }));
    if (!r.ok) throw new Error("rejected");
    expect(r.order.status).toBe("ACTIVE");
    expect(r.order.cumQty.toFixed()).toBe("2");
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("101.5");
    engine.cancel("a", { orderId: r.order.orderId });
    expect(r.order.status).toBe("CANCELED");
    expect(engine.ledger.reserved("a", "USD").toFixed()).toBe("0");
    expect(engine.ledger.total("a", "USD").toFixed()).toBe("798"); // 1000 − 100.5 − 101.5
  });

  it("FOK is all or nothing; IOC keeps what filled", () => {
    const { engine } = setup();
    const fok = engine.place(
      "a",
      req({ price: "101.50", quantity: "3.00000", time_in_force: "FILL_OR_KILL" }),
    );
    if (!fok.ok) throw new Error("rejected");
    expect([fok.order.status, fok.order.reason, fok.order.cumQty.toFixed()]).toEqual([
      "CANCELED",
      43003,
      "0",
    ]);
    const ioc = engine.place(
      "a",
      req({ price: "101.50", quantity: "3.00000", time_in_force: "IMMEDIATE_OR_CANCEL" }),
    );
    if (!ioc.ok) throw new Error("rejected");
    expect([ioc.order.status, ioc.order.reason, ioc.order.cumQty.toFixed()]).toEqual([
      "CANCELED",
      43004,
      "2",
    ]);
  });

  it("an OCO shares one reservation; the trigger firing cancels the limit leg", () => {
    const { engine, market } = setup();
    const r = engine.submitOco("a", [
      req({ side: "SELL", price: "110.00", quantity: "1.00000" }),
      req({ side: "SELL", type: "STOP_LOSS", ref_price: "95.00", quantity: "1.00000" }),
    ]);
    if (!r.ok) throw new Error(r.message);
    for (const o of r.orders) engine.execute(o.orderId);
    expect(engine.ledger.reserved("a", "BTC").toFixed()).toBe("1");
    market.reset(94);
    engine.onMarket();
    const [limit, stop] = r.orders;
    expect(stop!.status).toBe("FILLED");
    expect(limit!.status).toBe("CANCELED");
    expect(engine.ledger.reserved("a", "BTC").toFixed()).toBe("0");
    expect(engine.ledger.total("a", "BTC").toFixed()).toBe("1");
  });

  it("keeps 0 <= reserved <= total through random orders, cancels and price moves", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant("limit" as const),
              side: fc.constantFrom("BUY" as const, "SELL" as const),
              price: fc.integer({ min: 9000, max: 11000 }),
              qty: fc.integer({ min: 1, max: 300_000 }),
            }),
            fc.record({
              kind: fc.constant("market" as const),
              side: fc.constantFrom("BUY" as const, "SELL" as const),
              qty: fc.integer({ min: 1, max: 300_000 }),
            }),
            fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
            fc.record({ kind: fc.constant("move" as const), mid: fc.integer({ min: 92, max: 108 }) }),
          ),
          { maxLength: 40 },
        ),
        (ops) => {
          const { engine, market } = setup({ USD: "500", BTC: "3" });
          for (const op of ops) {
            if (op.kind === "limit") {
              engine.place(
                "a",
                req({
                  side: op.side,
                  price: (op.price / 100).toFixed(2),
                  quantity: (op.qty / 1e5).toFixed(5),
                }),
              );
            } else if (op.kind === "market") {
              engine.place("a", req({ side: op.side, type: "MARKET", quantity: (op.qty / 1e5).toFixed(5) }));
            } else if (op.kind === "cancel") {
              const open = engine.open("a");
              const o = open[op.pick % Math.max(1, open.length)];
              if (o) engine.cancel("a", { orderId: o.orderId });
            } else {
              market.reset(op.mid);
              engine.onMarket();
            }
            for (const ccy of ["USD", "BTC"]) {
              const total = engine.ledger.total("a", ccy);
              const reserved = engine.ledger.reserved("a", ccy);
              if (reserved.isNegative() || total.isNegative() || reserved.gt(total)) return false;
            }
          }
          engine.cancelAll("a", { origin: "plain", kind: "ALL" });
          return engine.ledger.reserved("a", "USD").isZero() && engine.ledger.reserved("a", "BTC").isZero();
        },
      ),
      { numRuns: 150 },
    );
  });
});
