/**
 * Properties of the doctor's order check, for arbitrary order inputs, market prices and balances:
 * - the input is either read or refused with an OrderInputError naming the field, never a TypeError;
 * - every order the doctor suggests (the corrected order, the alternative) passes `validateOrder`
 *   for the instrument (with the minimum the doctor checks against) and the market rules, and fits
 *   the available balance when it is known;
 * - the doctor never passes an order its own rules reject.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessOrder, normaliseOrder, OrderInputError } from "../../src/diagnostics/order-check.js";
import {
  balanceNeed,
  type MarketPrices,
  marketFindings,
  markOf,
  withMinimum,
} from "../../src/diagnostics/order-rules.js";
import { JsonNumberText } from "../../src/domain/json-text.js";
import {
  type Instrument,
  type OrderFields,
  validateOrder,
} from "../../src/exchange/cryptocom/instruments.js";
import { Dec, dec } from "../../src/util/decimal.js";
import { btcUsd } from "../helpers/instruments.js";

const INSTRUMENTS: Instrument[] = [
  btcUsd(),
  btcUsd({
    symbol: "CRO_USD",
    baseCcy: "CRO",
    displayName: "CRO/USD",
    quoteDecimals: 5,
    quantityDecimals: 0,
    priceTickSize: dec("0.00001"),
    qtyTickSize: dec("1"),
  }),
  btcUsd({
    symbol: "ETH_BTC",
    baseCcy: "ETH",
    quoteCcy: "BTC",
    displayName: "ETH/BTC",
    quoteDecimals: 6,
    quantityDecimals: 4,
    priceTickSize: dec("0.000001"),
    qtyTickSize: dec("0.0001"),
  }),
  // a published minimum (as a risk-parameter source would give it)
  btcUsd({
    symbol: "SOL_USD",
    baseCcy: "SOL",
    quantityDecimals: 3,
    qtyTickSize: dec("0.001"),
    minNotional: dec("5"),
  }),
  btcUsd({ symbol: "XRP_USD", baseCcy: "XRP", tradable: false }),
];
const TYPICAL: Record<string, string> = {
  BTC_USD: "89936",
  CRO_USD: "0.1",
  ETH_BTC: "0.035",
  SOL_USD: "150",
  XRP_USD: "0.6",
};

const JUNK = fc.constantFrom<unknown>(
  "-1",
  "0",
  "0.0",
  "1e-8",
  "2E3",
  "NaN",
  "",
  "abc",
  " 0.001 ",
  "+1",
  ".5",
  "1.",
  null,
  true,
  ["1"],
  { v: "1" },
  0.001,
  Number.NaN,
);

/** Decimal texts near a scale: `unit` × an integer, sometimes with extra digits (off the tick), or as a JSON number. */
function near(unit: Dec, maxUnits: number): fc.Arbitrary<unknown> {
  const onScale = fc
    .tuple(fc.integer({ min: 1, max: maxUnits }), fc.constantFrom("", "", "", "1", "0", "37"))
    .map(([k, extra]) => {
      const text = unit.mul(k).toFixed(unit.decimalPlaces());
      return extra && !text.includes(".") ? `${text}.${extra}` : `${text}${extra}`;
    });
  return fc.oneof(
    { weight: 12, arbitrary: onScale },
    { weight: 1, arbitrary: onScale.map((t) => new JsonNumberText(t)) },
    { weight: 2, arbitrary: JUNK },
  );
}
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

const TYPES = ["MARKET", "LIMIT", "STOP_LOSS", "STOP_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"];

const orderInput = fc.constantFrom(...INSTRUMENTS).chain((inst) => {
  const typical = dec(TYPICAL[inst.symbol]!);
  const priceTick = inst.priceTickSize;
  const price = near(priceTick, typical.mul(2).div(priceTick).toNumber());
  return fc.record(
    {
      instrument_name: fc.oneof(
        { weight: 19, arbitrary: fc.constant<unknown>(inst.symbol) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>("BTCUSD", ["BTC_USD"], 7, "") },
      ),
      side: fc.oneof(
        { weight: 19, arbitrary: fc.constantFrom<unknown>("BUY", "SELL", "buy") },
        { weight: 1, arbitrary: fc.constantFrom<unknown>("HOLD", ["BUY"]) },
      ),
      type: opt(
        fc.oneof(
          { weight: 19, arbitrary: fc.constantFrom<unknown>(...TYPES, "market") },
          { weight: 1, arbitrary: fc.constantFrom<unknown>("FOO", 3) },
        ),
      ),
      // quantities from one tick to ~20 units of quote value… 2 × 10^6 ticks
      quantity: opt(near(inst.qtyTickSize, 2_000_000)),
      notional: opt(near(dec("0.01"), 2_000_000)),
      price: opt(price),
      ref_price: opt(price),
      amount: opt(near(dec("0.01"), 2_000_000)),
    },
    { requiredKeys: ["instrument_name", "side"] },
  );
});

/** A market around the instrument's typical price (×0.5 … ×2), or none. */
const marketFactor = opt(
  fc.record({
    factor: fc.integer({ min: 50, max: 200 }),
    spreadBp: fc.integer({ min: 0, max: 50 }),
    lastOnly: fc.boolean(),
  }),
);
const balances = opt(
  fc.record({ base: fc.integer({ min: 0, max: 2_000_000 }), quote: fc.integer({ min: 0, max: 2_000_000 }) }),
);

function marketFor(
  inst: Instrument,
  m: { factor: number; spreadBp: number; lastOnly: boolean } | undefined,
): MarketPrices | undefined {
  if (!m) return undefined;
  const p = dec(TYPICAL[inst.symbol] ?? "1")
    .mul(m.factor)
    .div(100)
    .toDecimalPlaces(inst.priceTickSize.decimalPlaces());
  if (m.lastOnly) return { last: p };
  const half = p.mul(m.spreadBp).div(20_000);
  return { bid: p.minus(half), ask: p.add(half), last: p };
}

function balanceMap(
  inst: Instrument,
  b: { base: number; quote: number } | undefined,
): Map<string, Dec> | undefined {
  if (!b) return undefined;
  // base: up to 2 units of ~1 USD worth… 20 BTC; quote: 0 … 20,000
  const worth = dec(TYPICAL[inst.symbol] ?? "1");
  return new Map([
    [inst.baseCcy, dec(String(b.base)).div(100_000).div(worth).toDecimalPlaces(8, Dec.ROUND_DOWN)],
    [inst.quoteCcy, dec(String(b.quote)).div(100)],
  ]);
}

describe("order check properties", () => {
  it("input: read, or an OrderInputError naming a field; never another error", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          orderInput,
          fc.anything(),
          fc.dictionary(
            fc.constantFrom("instrument_name", "side", "type", "quantity", "price", "amount"),
            fc.anything(),
          ),
        ),
        (input) => {
          try {
            normaliseOrder(input);
          } catch (err) {
            expect(err).toBeInstanceOf(OrderInputError);
            expect((err as Error).message).toMatch(/"[a-z_]+"|the order must be a JSON object/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("every suggested order passes validateOrder and the market rules, and fits a known balance; no pass on a rule it checks", () => {
    let suggestions = 0;
    fc.assert(
      fc.property(orderInput, marketFactor, balances, (input, m, b) => {
        let order: ReturnType<typeof normaliseOrder>;
        try {
          order = normaliseOrder(input);
        } catch (err) {
          if (err instanceof OrderInputError) return;
          throw err;
        }
        const inst = INSTRUMENTS.find((i) => i.symbol === order.instrument_name);
        const market = inst ? marketFor(inst, m) : undefined;
        const bal = inst ? balanceMap(inst, b) : undefined;
        const a = assessOrder({ order, instruments: INSTRUMENTS, market, balances: bal });
        if (!inst) {
          expect(a.violations.map((v) => v.code)).toEqual([209]);
          return;
        }
        const mark = markOf(market);
        const rules = withMinimum(inst);
        for (const s of [a.corrected, a.alternative?.order].filter((x): x is OrderFields => !!x)) {
          suggestions++;
          expect(validateOrder(rules, s, { marketPrice: mark }), JSON.stringify(s)).toEqual([]);
          expect(validateOrder(inst, s, { marketPrice: mark })).toEqual([]);
          expect(marketFindings(inst, s, mark), JSON.stringify(s)).toEqual([]);
          if (bal) {
            const need = balanceNeed(inst, s, market);
            if (need)
              expect(need.amount.lte(bal.get(need.currency) ?? dec("0")), JSON.stringify(s)).toBe(true);
          }
        }
        // never "passes" what its own rules reject
        if (a.checked) {
          const broken =
            validateOrder(rules, a.checked, { marketPrice: mark }).length > 0 ||
            marketFindings(inst, a.checked, mark).length > 0;
          if (broken) expect(a.violations.length).toBeGreaterThan(0);
        }
        // the suggested fixes never point at a value the corrected order does not carry
        for (const v of a.violations) if (v.corrected !== undefined) expect(a.corrected).toBeDefined();
      }),
      { numRuns: 1500 },
    );
    expect(suggestions).toBeGreaterThan(100); // the property is not vacuous
  });
});
