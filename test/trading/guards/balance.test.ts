/** INSUFFICIENT_BALANCE on SQLite: BUY needs the quote available, a spot SELL the base quantity. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GuardRequest, runGuards } from "../../../src/trading/guards/index.js";
import { dec } from "../../../src/util/decimal.js";
import { balanceOf, type GuardFixture, guardFixture } from "./fixture.js";

describe("guards: balance", () => {
  let f: GuardFixture;
  beforeAll(async () => {
    f = await guardFixture();
  });
  afterAll(() => f.dispose());
  beforeEach(async () => {
    await f.reset();
    await f.watch();
    f.stub.failure = undefined;
  });

  const check = async (req: Partial<GuardRequest>) => {
    const v = await runGuards(f.ctx, f.venue, f.req(req));
    return { v, c: v.checks.find((c) => c.code === "INSUFFICIENT_BALANCE") };
  };
  const sell = { kind: "EXIT" as const, side: "SELL" as const };

  it("a BUY needs the quote currency available ≥ the amount", async () => {
    f.stub.balance = balanceOf({ USD: "49.99", BTC: "5" });
    let r = await check({});
    expect(r.v.reasonCode).toBe("INSUFFICIENT_BALANCE");
    expect(r.c?.detail).toBe("49.99 USD available, 50 USD needed");
    f.stub.balance = balanceOf({ USD: "50" });
    r = await check({});
    expect(r.c).toEqual({
      code: "INSUFFICIENT_BALANCE",
      ok: true,
      detail: "50 USD available, 50 USD needed",
    });
    r = await check({ symbol: "BTC_USDT" }); // not listed: blocked before the balance
    expect(r.v.reasonCode).toBe("NOT_IN_WATCHLIST");
    await f.watch("BTC_USDT");
    r = await check({ symbol: "BTC_USDT" });
    expect(r.c?.detail).toBe("0 USDT available, 50 USDT needed");
  });

  it("a spot SELL needs the base quantity its lots hold (or the request's), counting what protection reserves", async () => {
    await f.lot({ qty: "0.003" });
    f.stub.balance = balanceOf({ BTC: "0.0029" });
    let r = await check(sell);
    expect(r.v.reasonCode).toBe("INSUFFICIENT_BALANCE");
    expect(r.c?.detail).toBe("0.0029 BTC held (0.0029 available), 0.003 BTC to sell (DRY_RUN)");
    const reserved = balanceOf({ BTC: "0.003" });
    reserved.currencies[0] = { ...reserved.currencies[0]!, reserved: dec("0.003"), available: dec("0") };
    f.stub.balance = reserved;
    r = await check(sell);
    expect(r.c).toEqual({
      code: "INSUFFICIENT_BALANCE",
      ok: true,
      detail: "0.003 BTC held (0 available), 0.003 BTC to sell (DRY_RUN)",
    });
    r = await check({ ...sell, quantity: dec("0.0031") });
    expect(r.c?.ok).toBe(false);
  });

  it("a balance that cannot be read blocks, named by category and code; an invalid symbol blocks", async () => {
    f.stub.failure = Object.assign(new Error("secret-free text"), {
      method: "private/user-balance",
      category: "auth",
      code: 40101,
    });
    const r = await check({});
    expect(r.v.reasonCode).toBe("INSUFFICIENT_BALANCE");
    expect(r.c?.detail).toBe("could not check (fail closed): private/user-balance failed: auth (code 40101)");
    f.stub.failure = undefined;
    await f.watch("BTCUSD-PERP");
    const p = await check({ symbol: "BTCUSD-PERP" });
    expect(p.c).toEqual({
      code: "INSUFFICIENT_BALANCE",
      ok: false,
      detail: "BTCUSD-PERP is not a spot symbol BASE_QUOTE",
    });
  });

  it("a store read that fails blocks with the guard's own code (fail closed)", async () => {
    await f.store.settings.set("kill_switch", false);
    const broken = {
      ...f.ctx,
      store: {
        ...f.store,
        watchlist: {
          ...f.store.watchlist,
          get: async () => {
            throw new Error("database gone");
          },
        },
      },
    };
    const v = await runGuards(broken, f.venue, f.req());
    expect(v.reasonCode).toBe("NOT_IN_WATCHLIST");
    expect(v.checks.at(-1)?.detail).toBe("could not check (fail closed): database gone");
  });
});
