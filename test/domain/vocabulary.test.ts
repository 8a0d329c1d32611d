/**
 * The shared vocabulary (src/domain): one `as const` list per enum, guards that accept exactly the
 * list's members (never a prototype name), the final statuses and the trader's roles and modes.
 */
import { describe, expect, it } from "vitest";
import {
  FINAL_STATUSES,
  isFinalStatus,
  isLimitPriced,
  isOrderStatus,
  isOrderType,
  isPlainOrderType,
  isSide,
  isTimeInForce,
  isTriggerType,
  LIMIT_PRICED_TYPES,
  ORDER_STATUSES,
  ORDER_TYPES,
  PLAIN_ORDER_TYPES,
  TRIGGER_TYPES,
  unreachable,
} from "../../src/domain/orders.js";
import {
  isOrderRole,
  isTradingMode,
  MODE_MOVES_MONEY,
  ORDER_ROLES,
  TRADING_MODES,
} from "../../src/domain/trading.js";

describe("order vocabulary", () => {
  it("order types are the plain types and the trigger types; limit-priced ones are a subset", () => {
    expect(ORDER_TYPES).toEqual([...PLAIN_ORDER_TYPES, ...TRIGGER_TYPES]);
    expect(LIMIT_PRICED_TYPES.every((t) => isOrderType(t))).toBe(true);
    expect(ORDER_TYPES.filter((t) => isLimitPriced(t))).toEqual(["LIMIT", "STOP_LIMIT", "TAKE_PROFIT_LIMIT"]);
    expect(ORDER_TYPES.filter((t) => isTriggerType(t))).toEqual([...TRIGGER_TYPES]);
    expect(ORDER_TYPES.filter((t) => isPlainOrderType(t))).toEqual(["LIMIT", "MARKET"]);
  });

  it("guards accept exactly the members, case-sensitively, and no prototype name", () => {
    for (const guard of [isSide, isOrderType, isOrderStatus, isTimeInForce, isOrderRole, isTradingMode]) {
      for (const v of ["__proto__", "constructor", "toString", "", undefined, null, 1, {}])
        expect(guard(v)).toBe(false);
    }
    expect([isSide("BUY"), isSide("buy"), isOrderStatus("FILLED"), isTimeInForce("FILL_OR_KILL")]).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });

  it("final statuses: FILLED, CANCELED, REJECTED, EXPIRED", () => {
    expect([...FINAL_STATUSES]).toEqual(["FILLED", "CANCELED", "REJECTED", "EXPIRED"]);
    expect(ORDER_STATUSES.filter((s) => !isFinalStatus(s))).toEqual(["NEW", "PENDING", "ACTIVE"]);
  });

  it("unreachable() names what was not handled", () => {
    expect(() => unreachable("ODD" as never, "order status")).toThrow('unhandled order status: "ODD"');
  });
});

describe("trading vocabulary", () => {
  it("roles and modes; only LIVE moves money", () => {
    expect(ORDER_ROLES).toEqual(["ENTRY", "STOP_LOSS", "TAKE_PROFIT", "EXIT"]);
    expect(TRADING_MODES).toEqual(["LIVE", "DRY_RUN", "DEMO"]);
    expect(TRADING_MODES.filter((m) => MODE_MOVES_MONEY[m])).toEqual(["LIVE"]);
  });
});
